using Passkeys.Server;

// The start (configuration, store, key ring, listening addresses) either succeeds or ends with one
// line on standard error and exit code 1, which systemd, Docker and Kubernetes report as a failed
// start; a defect (an unexpected exception) still ends with its full trace.
WebApplication app;
try
{
    app = PasskeysServerApp.Build(args);
}
catch (Exception e) when (StartupFailure.IsExpected(e))
{
    await Console.Error.WriteLineAsync(StartupFailure.Describe(e, []));
    return StartupFailure.ExitCode;
}
try
{
    await app.StartAsync();
}
catch (Exception e) when (StartupFailure.IsExpected(e))
{
    // Stops the background services that did start, and flushes what the loggers still hold
    // (warnings written before the failure), before the line that says why.
    var addresses = StartupFailure.ListeningAddresses(app.Configuration);
    try
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }
    catch (Exception cleanup) when (StartupFailure.IsExpected(cleanup) || cleanup is OperationCanceledException)
    {
        // The process ends next; what stopped the start is the line to print.
    }
    await Console.Error.WriteLineAsync(StartupFailure.Describe(e, addresses));
    return StartupFailure.ExitCode;
}
await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;
