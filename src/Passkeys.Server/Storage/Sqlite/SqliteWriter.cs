using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// The one writer of a SQLite database file in this process: a queue of turns (SQLite allows one
/// writer at a time), a connection that only writers use, and group commit of ceremony steps.
/// </summary>
/// <remarks>
/// <para><b>Turns.</b> Every write takes a turn, first come first served. Without the queue,
/// concurrent writers collide on SQLite's lock (SQLITE_BUSY) and its busy handler sleeps in growing
/// steps (1, 2, 5, 10 … 100 ms), so throughput under load fell to a single user's; here a waiting
/// writer holds no thread and gets the lock the moment the previous one leaves. Reads take no
/// turn: in WAL mode they run beside the writer. Keyed by full path (<see cref="Acquire"/>), because
/// two stores on one file in one process (tests do this) must share the queue.</para>
/// <para><b>The writer connection.</b> A ceremony step writes on this one connection. SQLite
/// empties a connection's page cache whenever another connection has written since its last
/// transaction; with steps writing on whichever pooled connection they had, every step read back
/// every page it touched (pread, a tenth of a sign-in's CPU). Only writers use this connection, so
/// its cache stays valid from one step to the next.</para>
/// <para><b>Group commit.</b> A step writes inside <c>SAVEPOINT step</c> in the group's
/// transaction and, when it commits, releases the savepoint. If the next turn in the queue is
/// another step's, it hands the turn over and waits: the next step writes in the same transaction,
/// and whoever leaves with no step waiting (or the group's <see cref="MaxGroup"/>th member) commits
/// them all at once and only then are they answered; with no step waiting but one that has opened
/// and not written yet, the group is left open for it (SqliteWriter.StepsInFlight.cs). Each step is still all or nothing (its
/// savepoint is rolled back on failure without touching the others), and no step is acknowledged
/// before its writes are committed; a commit covers the pages several steps share (the audit
/// table's last leaf and its indexes, the ceremonies table) once instead of once per step. A write
/// that is not a step (purges, migrations, imports: <see cref="EnterAsync"/>) uses its own
/// connection; the group is committed before such a turn starts.</para>
/// </remarks>
internal sealed partial class SqliteWriter
{
    /// <summary>At most this many steps share one commit: bounds how long the first one waits for the commit.</summary>
    public const int MaxGroup = 16;

    private static readonly ConcurrentDictionary<string, SqliteWriter> Writers = new(StringComparer.Ordinal);

    private readonly string _key;
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly List<TaskCompletionSource> _group = [];
    private readonly Func<CancellationToken, Task<KeptSqliteConnection>> _open;
    private bool _turnTaken;
    // Turns the open group has had (steps that committed or rolled back): bounds the group.
    private int _groupTurns;
    // A step's savepoint could not be released or rolled back: what the transaction holds of it is
    // unknown, so the whole group is rolled back and fails rather than commit half a step.
    private bool _poisoned;
    private int _users;
    private long _commits;
    private KeptSqliteConnection? _connection;
    private SqliteTransaction? _transaction;

    private SqliteWriter(string key, Func<CancellationToken, Task<KeptSqliteConnection>> open)
    {
        _key = key;
        _open = open;
    }

    /// <summary>
    /// The writer of the database at <paramref name="databasePath"/>, shared by every store on that
    /// file in this process; <paramref name="open"/> opens its connection (first use). Pair with <see cref="Release"/>.
    /// </summary>
    /// <remarks>
    /// A path spelled two ways (a symlink, different case on a case-insensitive file system) gets
    /// two writers; that is still correct, only slower: the busy timeout then serializes them, as it
    /// does writers in other processes.
    /// </remarks>
    public static SqliteWriter Acquire(string databasePath, Func<CancellationToken, Task<KeptSqliteConnection>> open)
    {
        var key = Path.GetFullPath(databasePath);
        while (true)
        {
            var writer = Writers.GetOrAdd(key, k => new SqliteWriter(k, open));
            lock (writer._lock)
            {
                if (writer._users >= 0)
                {
                    writer._users++;
                    return writer;
                }
            }
            // Closed by its last user meanwhile: it is leaving the registry, take a new one.
            Writers.TryRemove(new KeyValuePair<string, SqliteWriter>(key, writer));
        }
    }

    /// <summary>How many group commits this writer has made (tests read it).</summary>
    internal long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many turns are queued now (tests read it).</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>A store is done with the writer; the last one closes its connection (an open group is committed by the turn that holds it first).</summary>
    public void Release()
    {
        KeptSqliteConnection? close = null;
        var commitOpenGroup = false;
        lock (_lock)
        {
            if (--_users > 0)
            {
                return;
            }
            _users = -1;
            if (!_turnTaken && _transaction is not null)
            {
                _turnTaken = true; // a group left open for steps in flight: commit it, then close (CommitAndPassOn)
                commitOpenGroup = true;
            }
            else if (!_turnTaken)
            {
                close = _connection;
                _connection = null;
            }
        }
        Writers.TryRemove(new KeyValuePair<string, SqliteWriter>(_key, this));
        _groupTimer?.Dispose();
        if (commitOpenGroup)
        {
            CommitAndPassOn();
        }
        close?.CloseForGood();
    }

    /// <summary>A turn for a write that is not a step (its own connection and transaction); dispose it when the write has ended.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        await TakeTurnAsync(grouped: false, presence: null, ct).ConfigureAwait(false);
        // A group left open for steps in flight (SqliteWriter.StepsInFlight.cs) is committed before
        // a write of another kind, on another connection, can take the database's write lock.
        CommitGroup();
        return new PlainTurn(this);
    }

    /// <summary>
    /// A turn for a ceremony step: the writer connection, the group's transaction (begun when none
    /// is open) and the step's savepoint. The step ends it with <see cref="GroupedStep.CommitAsync"/>
    /// or <see cref="GroupedStep.RollbackAsync"/>.
    /// </summary>
    public async ValueTask<GroupedStep> BeginStepAsync(StepPresence? presence, CancellationToken ct)
    {
        await TakeTurnAsync(grouped: true, presence, ct).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                _connection = await _open(CancellationToken.None).ConfigureAwait(false);
            }
            // BEGIN IMMEDIATE: the write lock now, so a writer in another process waits here (busy
            // timeout) rather than failing a step half-way.
            _transaction ??= _connection.BeginTransaction(deferred: false);
            _groupTurns++;
            Execute("SAVEPOINT step");
            return new GroupedStep(this);
        }
        catch
        {
            Leave(committed: null);
            throw;
        }
    }

    // SQLite does its work synchronously whatever the API says: the savepoint statements run inline.
    private void Execute(string sql)
    {
        var command = _connection!.CommandFor(sql);
        try
        {
            command.Transaction = _transaction;
            command.ExecuteNonQuery();
        }
        finally
        {
            command.Dispose();
        }
    }

    // True while SQLite still has the group's transaction open: a statement error that SQLite
    // answers by rolling the whole transaction back (SQLITE_FULL, SQLITE_IOERR, …) ends it under us.
    private bool TransactionAlive => _connection?.Handle is { } handle && raw.sqlite3_get_autocommit(handle) == 0;

    private async ValueTask TakeTurnAsync(bool grouped, StepPresence? presence, CancellationToken ct)
    {
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_users < 0, this);
            // From now on the step is a waiter (or the turn's holder), no longer a step in flight.
            presence?.LeaveUnderLock();
            if (!_turnTaken)
            {
                _turnTaken = true;
                return;
            }
            waiter = new Waiter(grouped);
            waiter.Node = _waiters.AddLast(waiter);
        }
        using var registration = ct.CanBeCanceled
            ? ct.Register(() =>
            {
                lock (_lock)
                {
                    if (waiter.Node?.List is not null && waiter.Turn.TrySetCanceled(ct))
                    {
                        _waiters.Remove(waiter.Node);
                    }
                }
            })
            : default;
        await waiter.Turn.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the turn holder's use of the writer. <paramref name="committed"/>: the step's savepoint
    /// was released and it waits for the group's commit (null: nothing of the step's to commit).
    /// Hands the turn to the next step while the group may grow; otherwise commits the group (if
    /// any) and hands the turn to whoever is next.
    /// </summary>
    private void Leave(TaskCompletionSource? committed)
    {
        lock (_lock)
        {
            if (committed is not null)
            {
                _group.Add(committed);
            }
            if (_transaction is not null && !_poisoned && _groupTurns < MaxGroup)
            {
                if (NextWaiter() is { Grouped: true } next)
                {
                    _waiters.Remove(next.Node!);
                    next.Turn.TrySetResult(); // RunContinuationsAsynchronously: the next step does not run on this thread
                    return;
                }
                if (NextWaiter() is null && KeepGroupOpenUnderLock())
                {
                    return;
                }
            }
        }
        CommitAndPassOn();
    }

    // Under the turn: commits the open group (if any), then hands the turn to whoever is next or frees it.
    private void CommitAndPassOn()
    {
        CommitGroup();
        KeptSqliteConnection? close = null;
        lock (_lock)
        {
            if (NextWaiter() is { } next)
            {
                _waiters.Remove(next.Node!);
                next.Turn.TrySetResult();
                return;
            }
            _turnTaken = false;
            if (_users < 0)
            {
                close = _connection; // released while this turn was out: close it now
                _connection = null;
            }
        }
        close?.CloseForGood();
    }

    // The first waiter whose wait has not been cancelled (cancelled ones removed themselves under the lock).
    private Waiter? NextWaiter() => _waiters.First?.Value;

    // Commits the group's transaction (under the turn) and answers its steps: all succeed or all
    // get the error, since none of them was acknowledged yet.
    private void CommitGroup()
    {
        var transaction = _transaction;
        if (transaction is null)
        {
            return;
        }
        _transaction = null;
        _groupTurns = 0;
        var poisoned = _poisoned;
        _poisoned = false;
        TaskCompletionSource[] members;
        lock (_lock)
        {
            members = [.. _group];
            _group.Clear();
        }
        Exception? failure = null;
        try
        {
            if (!TransactionAlive)
            {
                failure = new SqliteException("The group's transaction was rolled back by SQLite after an error; its steps were not written.", raw.SQLITE_ABORT);
            }
            else if (poisoned)
            {
                failure = new SqliteException("A step of the group could not be undone on its own; the group was rolled back and none of its steps written.", raw.SQLITE_ABORT);
                transaction.Rollback();
            }
            else if (members.Length == 0)
            {
                transaction.Rollback(); // every step of the group rolled back: nothing to write
            }
            else
            {
                transaction.Commit();
                Interlocked.Increment(ref _commits);
            }
        }
        catch (SqliteException e)
        {
            failure = e;
            if (TransactionAlive)
            {
                try { transaction.Rollback(); } catch (SqliteException) { /* the connection is closed for good below */ }
            }
        }
        finally
        {
            transaction.Dispose();
        }
        if (failure is not null && _connection is { } broken && TransactionAlive)
        {
            // Never reuse a connection whose transaction state is unknown.
            _connection = null;
            broken.CloseForGood();
        }
        foreach (var member in members)
        {
            if (failure is null)
            {
                member.TrySetResult();
            }
            else
            {
                member.TrySetException(failure);
            }
        }
    }

    private sealed class Waiter(bool grouped)
    {
        public bool Grouped { get; } = grouped;

        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private sealed class PlainTurn(SqliteWriter writer) : IDisposable
    {
        private SqliteWriter? _writer = writer;

        public void Dispose() => Interlocked.Exchange(ref _writer, null)?.Leave(committed: null);
    }
}
