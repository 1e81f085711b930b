using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Passkeys.Cli.Admin;

namespace Passkeys.Cli;

/// <summary>
/// The `passkeys` command tree and the one place that runs it, so that every subcommand keeps the
/// exit codes docs/cli.md promises: 0 success, 1 the thing checked failed, 2 bad usage or
/// unreadable input.
/// </summary>
/// <remarks>
/// System.CommandLine answers its own parse errors (an unknown option, a missing argument or
/// required option, a value it cannot convert, a custom parser's error) with exit code 1, which a
/// script could not tell from "the check failed". <see cref="Run"/> reports them itself, one line
/// each and a pointer to the command's help, with exit code 2. Help and version still run when
/// asked for, whatever else is missing.
/// </remarks>
internal static class PasskeysCli
{
    /// <summary>Exit code for bad usage or unreadable input.</summary>
    public const int UsageError = 2;

    /// <summary>The root command with every subcommand; <paramref name="adminConsole"/> lets tests give `admin` its own streams and variables.</summary>
    public static RootCommand CreateRoot(AdminConsole? adminConsole = null) => new("Passkeys: WebAuthn relying-party tools")
    {
        VectorsCommand.Create(),
        InspectCommand.Create(),
        Authenticator.AuthenticatorCommand.Create(),
        MetadataCommand.Create(),
        FuzzCommand.Create(),
        Bench.BenchCommand.Create(),
        AdminCommand.Create(adminConsole),
    };

    /// <summary>Parses <paramref name="args"/> and runs the command they name, as the `passkeys` executable does.</summary>
    /// <param name="output">Standard output for help (default: the console).</param>
    /// <param name="error">Standard error for usage errors (default: the console).</param>
    public static int Run(Command root, IReadOnlyList<string> args, TextWriter? output = null, TextWriter? error = null)
    {
        var result = Parse(root, args);
        return ReportUsageErrors(result, error ?? Console.Error) ? UsageError : result.Invoke(Configuration(output, error));
    }

    /// <summary><see cref="Run"/> with a cancellation token, for callers that run many commands in one process (tests).</summary>
    public static async Task<int> RunAsync(Command root, IReadOnlyList<string> args, TextWriter? output, TextWriter? error, CancellationToken cancellationToken)
    {
        var result = Parse(root, args);
        return ReportUsageErrors(result, error ?? Console.Error)
            ? UsageError
            : await result.InvokeAsync(Configuration(output, error), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>`passkeys admin tenants` → "passkeys admin tenants": how to name a command to its user.</summary>
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

    private static ParseResult Parse(Command root, IReadOnlyList<string> args)
    {
        RequireSubcommands(root);
        return root.Parse(args);
    }

    /// <summary>Writes the parse errors to <paramref name="error"/>; whether there were any that stop the command.</summary>
    private static bool ReportUsageErrors(ParseResult result, TextWriter error)
    {
        // Help (and version) clear the errors: `passkeys authenticator create --help` shows help
        // although --options is missing.
        if (result.Errors.Count == 0 || result.Action is { ClearsParseErrors: true })
        {
            return false;
        }
        foreach (var problem in result.Errors)
        {
            error.WriteLine($"passkeys: {OneLine(problem.Message)}");
        }
        error.WriteLine($"See '{CommandPath(result.CommandResult)} --help'.");
        return true;
    }

    // Some messages list choices on lines of their own ("Must be one of:\n\t'ES256'…"): one line per problem.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static InvocationConfiguration Configuration(TextWriter? output, TextWriter? error) => new()
    {
        Output = output ?? Console.Out,
        Error = error ?? Console.Error,
    };

    /// <summary>
    /// Gives every group (a command with subcommands and no action of its own) an action that names
    /// its subcommands and exits 2, rather than System.CommandLine's bare "Required command was not
    /// provided". Idempotent: a group that has an action keeps it.
    /// </summary>
    private static void RequireSubcommands(Command command)
    {
        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            command.Action = new SubcommandRequired();
        }
        foreach (var subcommand in command.Subcommands)
        {
            RequireSubcommands(subcommand);
        }
    }

    private sealed class SubcommandRequired : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            ArgumentNullException.ThrowIfNull(parseResult);
            var command = parseResult.CommandResult;
            string path = CommandPath(command);
            var error = parseResult.InvocationConfiguration.Error;
            error.WriteLine($"passkeys: '{path}' needs a subcommand: {string.Join(", ", command.Command.Subcommands.Select(c => c.Name))}");
            error.WriteLine($"See '{path} --help'.");
            return UsageError;
        }
    }
}
