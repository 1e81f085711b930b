using System.Runtime.CompilerServices;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// SQLite's process-wide settings (multi-thread mode, no memory statistics) take when applied
/// before the process opens its first database, as the server does. The test process applies them
/// first too (<see cref="ApplySqliteSettingsFirst"/>), so every store test here also runs SQLite
/// the way the server does: without the per-connection mutex.
/// </summary>
public sealed class SqliteProcessSettingsTests
{
    [Fact]
    public void The_settings_take_when_applied_before_the_first_database_opens() =>
        Assert.True(SqliteProcessSettings.Applied, "sqlite3_config refused the settings: SQLite was initialised before them");

    [Fact]
    public async Task A_store_works_in_multi_thread_mode_under_concurrent_steps()
    {
        // Many steps at once, each on its own kept connection, the writer's turns handed between
        // threads: what multi-thread mode allows as long as no connection is used by two at once.
        using var folder = new SqliteTestFolder("multithread");
        using var store = folder.NewStore();
        await store.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < 20; n++)
            {
                var id = $"c{i}-{n}";
                await using (var step = await store.BeginStepAsync())
                {
                    await step.SaveCeremonyAsync(new CeremonyRecord("default", id, CeremonyKind.Authentication, [1], null, null, now, now.AddMinutes(5)));
                    await step.CommitAsync();
                }
                Assert.NotNull(await store.ConsumeCeremonyAsync("default", id, CeremonyKind.Authentication));
            }
        })));
    }
}

internal static class ApplySqliteSettingsFirst
{
    [ModuleInitializer]
    internal static void Apply() => _ = SqliteProcessSettings.Applied;
}
