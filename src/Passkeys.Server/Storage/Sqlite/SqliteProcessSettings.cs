using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// SQLite's process-wide settings, applied once, before this process opens its first database
/// (SQLite accepts them only then: afterwards <c>sqlite3_config</c> answers SQLITE_MISUSE and the
/// defaults stay, which are correct, only slower).
/// <list type="bullet">
/// <item>Multi-thread mode instead of serialized: no mutex around every call on a connection. The
/// store never uses one connection from two threads at once (a kept connection serves one step at
/// a time, the writer's connection one turn at a time), which is all this mode asks.</item>
/// <item>No memory statistics: SQLite otherwise takes a process-wide mutex on every allocation to
/// count it, for <c>sqlite3_memory_used</c>, which nothing here reads.</item>
/// </list>
/// Together the two mutexes were ~3% of a sign-in's CPU (docs/benchmarks.md, session 8).
/// </summary>
internal static class SqliteProcessSettings
{
    /// <summary>Whether the settings took: false when SQLite was opened in this process before the first store.</summary>
    public static bool Applied { get; } = Apply();

    private static bool Apply()
    {
        // Microsoft.Data.Sqlite chooses SQLite's native library in its static constructor.
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        var threading = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
        var statistics = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
        return threading == raw.SQLITE_OK && statistics == raw.SQLITE_OK;
    }
}
