using System.CommandLine;
using System.CommandLine.Invocation;

namespace Passkeys.Cli.Admin;

/// <summary>One invocation of an admin command: the connection, the parsed command line, the console.</summary>
internal sealed record AdminCall(AdminHttp Http, ParseResult Result, AdminConsole Console, bool Json)
{
    public TextWriter Out => Console.Out;

    public T? Value<T>(Option<T> option) => Result.GetValue(option);

    public T Value<T>(Argument<T> argument) => Result.GetValue(argument)!;
}

/// <summary>
/// The action behind every admin command. It owns the exit codes of a run: 0 done, 1 the server
/// said no (its problem printed), 2 bad usage found once the command runs or no server to talk to;
/// never a stack trace. Parse errors never reach it: <see cref="PasskeysCli"/> reports them with
/// exit code 2 before any command runs.
/// </summary>
internal sealed class AdminAction(AdminOptions options, Func<AdminCall, CancellationToken, Task<int>> run) : AsynchronousCommandLineAction
{
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var console = options.Console;
        try
        {
            using var http = options.Connect(parseResult);
            return await run(new AdminCall(http, parseResult, console, parseResult.GetValue(options.Json)), cancellationToken).ConfigureAwait(false);
        }
        catch (AdminProblemException e)
        {
            console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (CliException e)
        {
            console.Error.WriteLine($"passkeys: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C during a request: nothing half-printed to explain; 130 is the shell's SIGINT convention.
            return 130;
        }
    }
}
