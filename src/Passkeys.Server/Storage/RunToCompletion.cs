namespace Passkeys.Server.Storage;

/// <summary>
/// Cancellation for work that must not stop halfway because the client went away. Once a ceremony
/// step has changed state (a challenge consumed, a recovery code or grant spent), the writes that
/// follow (credential counter, new credential, grant, token key, audit event) run on this bounded
/// timeout instead of <c>HttpContext.RequestAborted</c>: an aborted request must not leave a
/// consumed ceremony without its credential update, a spent code without its grant, or an outcome
/// without its audit event.
/// </summary>
public static class RunToCompletion
{
    /// <summary>How long such work may take before it is given up (it then fails like a store outage).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A source that cancels after <see cref="Timeout"/>; dispose it when the work is done.</summary>
    /// <remarks>
    /// Wall-clock on purpose, not the app's <see cref="TimeProvider"/>: this bounds I/O, and a test
    /// clock moved days ahead must not cancel writes in flight.
    /// </remarks>
    public static CancellationTokenSource Start() => new(Timeout);
}
