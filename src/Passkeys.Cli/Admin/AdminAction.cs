using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Passkeys.Cli.Admin;

/// <summary>One invocation of an admin command: the connection, the parsed command line, the console.</summary>
internal sealed record AdminCall(AdminHttp Http, ParseResult Result, AdminConsole Console, bool Json)
{
    public TextWriter Out => Console.Out;

    public T? Value<T>(Option<T> option) => Result.GetValue(option);

    public T Value<T>(Argument<T> argument) => Result.GetValue(argument)!;
}

/// <summary>
/// The action behind every admin command. It owns the exit codes: 0 done, 1 the server said no
/// (its problem printed), 2 bad usage or no server to talk to; never a stack trace.
/// </summary>
/// <remarks>
/// System.CommandLine reports parse errors itself with exit code 1, which a script could not tell
/// from "the server refused". <see cref="ClearsParseErrors"/> makes it hand them to this action
/// instead, which reports them with exit code 2. That mechanism drops the errors it considers the
/// command's own (a missing required option, an unknown token), so those are re-checked here.
/// </remarks>
internal sealed class AdminAction(AdminOptions options, Func<AdminCall, CancellationToken, Task<int>> run) : AsynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var console = options.Console;
        var problems = UsageProblems(parseResult);
        if (problems.Count > 0)
        {
            foreach (string problem in problems)
            {
                console.Error.WriteLine($"passkeys: {problem}");
            }
            console.Error.WriteLine($"See '{CommandPath(parseResult.CommandResult)} --help'.");
            return 2;
        }
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

    /// <summary>Parse errors plus the ones <see cref="ClearsParseErrors"/> dropped.</summary>
    private static List<string> UsageProblems(ParseResult result)
    {
        var problems = result.Errors.Select(e => e.Message).ToList();
        problems.AddRange(result.UnmatchedTokens.Select(t => $"unrecognized argument or option '{t}'"));
        for (var command = result.CommandResult; command is not null; command = command.Parent as CommandResult)
        {
            foreach (var option in command.Command.Options)
            {
                if (option.Required && result.GetResult(option) is null)
                {
                    problems.Add($"option '{option.Name}' is required");
                }
            }
        }
        return problems;
    }

    public static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? c = command; c is CommandResult r; c = r.Parent)
        {
            names.Add(r.Parent is null ? "passkeys" : r.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}

/// <summary>The action of a command group invoked without its subcommand: a usage error (exit 2).</summary>
internal sealed class AdminUsageAction(AdminOptions options) : SynchronousCommandLineAction
{
    // Also keeps System.CommandLine from answering with its own exit code 1 (see AdminAction).
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var command = parseResult.CommandResult;
        string path = AdminAction.CommandPath(command);
        options.Console.Error.WriteLine($"passkeys: '{path}' needs a subcommand: {string.Join(", ", command.Command.Subcommands.Select(c => c.Name))}");
        options.Console.Error.WriteLine($"See '{path} --help'.");
        return 2;
    }
}
