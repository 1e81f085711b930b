namespace Passkeys.Server.Storage.Sqlite;

// Group commit that waits for the steps already under way (SqliteWriter): a group is committed
// when no step is waiting for the turn AND no opened step is still on its way to its first write,
// or at the latest GroupWait after it was first left open.
internal sealed partial class SqliteWriter
{
    /// <summary>The longest a group is left open for steps in flight before it is committed anyway (<see cref="GroupWait"/>'s default).</summary>
    /// <remarks>
    /// A step in flight is reading and verifying (a sign-in finish: ~0.1–0.3 ms) and then joins;
    /// the bound is for a step that takes long before writing, or that waits itself for something
    /// that needs this group committed first (a write of its own on another step).
    /// </remarks>
    public static readonly TimeSpan DefaultGroupWait = TimeSpan.FromMilliseconds(2);

    /// <summary>The longest a group is left open for steps in flight (tests lengthen it to look at an open group).</summary>
    internal TimeSpan GroupWait { get; set; } = DefaultGroupWait;

    // Steps opened (IStoreStep) that have neither asked for the turn yet nor ended.
    private int _inFlight;
    private Timer? _groupTimer;
    private bool _groupTimerArmed;

    /// <summary>
    /// A step has opened and may write: until it asks for its turn or ends (<see cref="StepPresence.Dispose"/>),
    /// a group is not committed without it unless <see cref="GroupWait"/> passes.
    /// </summary>
    /// <remarks>
    /// Why: most pages a step writes are shared with the other steps of its commit (the rightmost
    /// pages of the audit, ceremony and funnel indexes, the sequence row), so a commit's cost
    /// grows with its pages, not its steps; committing as soon as the queue was empty made groups
    /// of about 2.5 steps under load (with the wait: 5–10 at 64 users, docs/benchmarks.md).
    /// </remarks>
    public StepPresence StepOpened()
    {
        lock (_lock)
        {
            _inFlight++;
        }
        return new StepPresence(this);
    }

    /// <summary>True while a group's transaction is open and no step holds the turn: it waits for steps in flight (tests read it).</summary>
    internal bool GroupOpen
    {
        get
        {
            lock (_lock)
            {
                return _transaction is not null && !_turnTaken;
            }
        }
    }

    /// <summary>How many opened steps have not asked for their turn nor ended (tests read it).</summary>
    internal int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    // Under the lock, by the turn's holder leaving with the group open and nobody waiting: true
    // when the group stays open (the turn is freed, the group's members keep waiting) because a
    // step in flight may still join it.
    private bool KeepGroupOpenUnderLock()
    {
        if (_inFlight == 0 || _users < 0)
        {
            return false;
        }
        _turnTaken = false;
        if (!_groupTimerArmed)
        {
            _groupTimerArmed = true;
            _groupTimer ??= new Timer(static w => ((SqliteWriter)w!).CommitOpenGroupIfIdle(fromTimer: true), this, Timeout.Infinite, Timeout.Infinite);
            _groupTimer.Change(GroupWait, Timeout.InfiniteTimeSpan);
        }
        return true;
    }

    // An open group whose turn nobody holds is committed here, on this thread.
    private void CommitOpenGroupIfIdle(bool fromTimer)
    {
        lock (_lock)
        {
            if (fromTimer)
            {
                _groupTimerArmed = false;
            }
            if (_turnTaken || _transaction is null || _users < 0)
            {
                return;
            }
            _turnTaken = true;
        }
        CommitAndPassOn();
    }

    private void Departed()
    {
        bool commit;
        lock (_lock)
        {
            _inFlight--;
            commit = _inFlight == 0 && !_turnTaken && _transaction is not null && _users >= 0;
        }
        if (commit)
        {
            CommitOpenGroupIfIdle(fromTimer: false);
        }
    }

    /// <summary>A step's presence among the steps in flight; see <see cref="StepOpened"/>.</summary>
    internal sealed class StepPresence(SqliteWriter writer) : IDisposable
    {
        private int _left;

        // Under the writer's lock, as the step asks for its turn: it is a waiter from then on.
        internal void LeaveUnderLock()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                writer._inFlight--;
            }
        }

        /// <summary>The step ended without asking for a turn (or after it did: then nothing happens).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                writer.Departed();
            }
        }
    }
}
