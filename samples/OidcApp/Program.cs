using OidcApp;

// A missing setting (see README.md) stops the start with one line saying which, not a trace.
WebApplication app;
try
{
    app = OidcAppHost.Build(args);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"OidcApp did not start: {e.Message}");
    return 1;
}
app.Run();
return 0;
