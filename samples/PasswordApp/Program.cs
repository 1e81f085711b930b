using PasswordApp;

// A missing or wrong setting (see README.md) stops the start with one line saying which, not a trace.
WebApplication app;
try
{
    app = PasswordAppHost.Build(args);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"PasswordApp did not start: {e.Message}");
    return 1;
}
app.Run();
return 0;
