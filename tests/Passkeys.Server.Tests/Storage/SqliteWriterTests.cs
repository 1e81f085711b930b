using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// Group commit on SQLite (<see cref="SqliteWriter"/>): steps queued behind one another share a
/// commit, each is still all or nothing, none is answered before its writes are committed, and a
/// write that is not a step never runs while a group is open.
/// </summary>
public sealed class SqliteWriterTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new("writer");
    private readonly SqlitePasskeyStore _store;

    public SqliteWriterTests()
    {
        _store = _folder.NewStore();
        _store.MigrateAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static CeremonyRecord Ceremony(string id) =>
        new("default", id, CeremonyKind.Authentication, [1, 2, 3], null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

    // What another process would see: a connection of its own, outside the store.
    private async Task<bool> CommittedAsync(string id)
    {
        await using var connection = await _folder.OpenOutsideAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ceremonies WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private async Task UntilWaitingAsync(int count)
    {
        for (var i = 0; i < 2000 && _store.Writer.Waiting < count; i++)
        {
            await Task.Delay(5);
        }
        Assert.Equal(count, _store.Writer.Waiting);
    }

    // A step that saves one ceremony and commits, then says whether its row was committed at the moment it was answered.
    private async Task<bool> SaveAndCommitAsync(string id)
    {
        await using var step = await _store.BeginStepAsync();
        await step.SaveCeremonyAsync(Ceremony(id));
        await step.CommitAsync();
        return await CommittedAsync(id);
    }

    [Fact]
    public async Task Steps_queued_behind_one_another_share_one_commit_and_each_is_answered_only_once_committed()
    {
        var commitsBefore = _store.Writer.Commits;
        await using var first = await _store.BeginStepAsync();
        await first.SaveCeremonyAsync(Ceremony("first")); // holds the writer's turn, uncommitted
        var queued = Enumerable.Range(0, 10).Select(i => Task.Run(() => SaveAndCommitAsync("queued-" + i))).ToArray();
        await UntilWaitingAsync(10);
        Assert.False(await CommittedAsync("first"));

        await first.CommitAsync();
        Assert.True(await CommittedAsync("first"));
        Assert.All(await Task.WhenAll(queued), Assert.True); // every step saw its row committed when it was answered
        Assert.Equal(commitsBefore + 1, _store.Writer.Commits); // eleven steps, one commit
    }

    [Fact]
    public async Task A_failing_step_in_a_group_undoes_only_its_own_writes()
    {
        await using var first = await _store.BeginStepAsync();
        await first.SaveCeremonyAsync(Ceremony("first"));
        var failing = Task.Run(async () =>
        {
            await using var step = await _store.BeginStepAsync();
            await step.SaveCeremonyAsync(Ceremony("failing"));
            await step.SaveCeremonyAsync(Ceremony("first")); // the group already holds "first": a primary-key violation
        });
        await UntilWaitingAsync(1);
        var after = Task.Run(() => SaveAndCommitAsync("after"));
        await UntilWaitingAsync(2);

        await first.CommitAsync();
        await Assert.ThrowsAsync<SqliteException>(() => failing); // disposed uncommitted: its savepoint rolled back
        Assert.True(await after);
        Assert.True(await CommittedAsync("first"));
        Assert.False(await CommittedAsync("failing"));
    }

    [Fact]
    public async Task A_step_rolled_back_explicitly_leaves_the_group_and_writes_again_in_the_next()
    {
        await using var step = await _store.BeginStepAsync();
        await step.SaveCeremonyAsync(Ceremony("undone"));
        await step.RollbackAsync();
        await step.SaveCeremonyAsync(Ceremony("kept"));
        await step.CommitAsync();
        Assert.False(await CommittedAsync("undone"));
        Assert.True(await CommittedAsync("kept"));
    }

    [Fact]
    public async Task A_write_that_is_not_a_step_waits_for_the_open_group_to_commit_and_never_joins_it()
    {
        var commitsBefore = _store.Writer.Commits;
        await using var first = await _store.BeginStepAsync();
        await first.SaveCeremonyAsync(Ceremony("first"));
        // A plain write (its own connection and transaction) queued behind the open group, and a step behind it.
        var plain = Task.Run(async () => await _store.SaveCeremonyAsync(Ceremony("plain")));
        await UntilWaitingAsync(1);
        var step = Task.Run(() => SaveAndCommitAsync("second"));
        await UntilWaitingAsync(2);

        await first.CommitAsync();
        await plain; // would wait on SQLite's lock (busy timeout) if the group were still open
        Assert.True(await step);
        Assert.True(await CommittedAsync("first"));
        Assert.True(await CommittedAsync("plain"));
        // The group ended at the plain write: "first" and "second" were committed separately.
        Assert.Equal(commitsBefore + 2, _store.Writer.Commits);
    }

    [Fact]
    public async Task A_group_holds_at_most_MaxGroup_steps()
    {
        var commitsBefore = _store.Writer.Commits;
        await using var first = await _store.BeginStepAsync();
        await first.SaveCeremonyAsync(Ceremony("first"));
        var queued = Enumerable.Range(0, SqliteWriter.MaxGroup).Select(i => Task.Run(() => SaveAndCommitAsync("q-" + i))).ToArray();
        await UntilWaitingAsync(SqliteWriter.MaxGroup);

        await first.CommitAsync();
        Assert.All(await Task.WhenAll(queued), Assert.True);
        Assert.Equal(commitsBefore + 2, _store.Writer.Commits); // MaxGroup + 1 steps: two commits
    }

    // Until the writer has left a group open for the steps in flight (no turn taken, members waiting).
    private async Task UntilGroupOpenAsync()
    {
        for (var i = 0; i < 2000 && !_store.Writer.GroupOpen; i++)
        {
            await Task.Delay(5);
        }
        Assert.True(_store.Writer.GroupOpen);
    }

    [Fact]
    public async Task A_group_waits_for_a_step_that_has_opened_and_commits_once_with_it()
    {
        _store.Writer.GroupWait = TimeSpan.FromMinutes(5); // only the steps decide here
        var commitsBefore = _store.Writer.Commits;
        await using var inFlight = await _store.BeginStepAsync(); // reading, not written yet
        Assert.Equal(1, _store.Writer.InFlight);
        var first = Task.Run(() => SaveAndCommitAsync("first"));
        await UntilGroupOpenAsync();
        Assert.False(first.IsCompleted); // not answered: its write is not committed
        Assert.False(await CommittedAsync("first"));

        await inFlight.SaveCeremonyAsync(Ceremony("joined"));
        Assert.Equal(0, _store.Writer.InFlight);
        await inFlight.CommitAsync();
        Assert.True(await first);
        Assert.True(await CommittedAsync("joined"));
        Assert.Equal(commitsBefore + 1, _store.Writer.Commits); // two steps, one commit
    }

    [Fact]
    public async Task A_step_that_ends_without_writing_lets_the_group_that_waited_for_it_commit()
    {
        _store.Writer.GroupWait = TimeSpan.FromMinutes(5);
        var inFlight = await _store.BeginStepAsync();
        var first = Task.Run(() => SaveAndCommitAsync("first"));
        await UntilGroupOpenAsync();
        Assert.Null(await inFlight.GetCeremonyAsync("default", "no-such-ceremony")); // a read-only step

        await inFlight.DisposeAsync();
        Assert.True(await first);
        Assert.Equal(0, _store.Writer.InFlight);
        Assert.False(_store.Writer.GroupOpen);
    }

    [Fact]
    public async Task A_group_is_committed_after_GroupWait_even_while_a_step_stays_open()
    {
        _store.Writer.GroupWait = TimeSpan.FromMilliseconds(50);
        await using var slow = await _store.BeginStepAsync(); // open for the whole test, never writes
        Assert.True(await SaveAndCommitAsync("first").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, _store.Writer.InFlight);
        // The next group waits for the open step again, and is committed again.
        Assert.True(await SaveAndCommitAsync("second").WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_write_that_is_not_a_step_commits_the_group_left_open_before_it_writes()
    {
        _store.Writer.GroupWait = TimeSpan.FromMinutes(5);
        var commitsBefore = _store.Writer.Commits;
        await using var inFlight = await _store.BeginStepAsync();
        var first = Task.Run(() => SaveAndCommitAsync("first"));
        await UntilGroupOpenAsync();

        await _store.SaveCeremonyAsync(Ceremony("plain")); // its own connection: SQLite's lock would make it wait if the group were still open
        Assert.True(await first);
        Assert.True(await CommittedAsync("plain"));
        Assert.Equal(commitsBefore + 1, _store.Writer.Commits); // the group's (the plain write commits on its own connection)
    }

    [Fact]
    public async Task The_last_store_on_a_file_commits_a_group_left_open_before_it_closes_the_writer()
    {
        var other = _folder.NewStore(); // shares the writer
        other.Writer.GroupWait = TimeSpan.FromMinutes(5);
        var inFlight = await other.BeginStepAsync();
        var first = Task.Run(async () =>
        {
            await using var step = await other.BeginStepAsync();
            await step.SaveCeremonyAsync(Ceremony("first"));
            await step.CommitAsync();
        });
        for (var i = 0; i < 2000 && !other.Writer.GroupOpen; i++)
        {
            await Task.Delay(5);
        }
        Assert.True(other.Writer.GroupOpen);

        _store.Dispose();
        other.Dispose(); // the last user: commits the open group, then closes
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await CommittedAsync("first"));
        await inFlight.DisposeAsync();
    }
}
