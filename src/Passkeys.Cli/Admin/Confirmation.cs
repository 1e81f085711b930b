namespace Passkeys.Cli.Admin;

/// <summary>
/// The guard in front of destructive commands: <c>--yes</c>, or an interactive "y" on a terminal.
/// Without a terminal there is nobody to ask, so the command refuses instead of waiting on a
/// prompt that a CI job would never answer.
/// </summary>
internal static class Confirmation
{
    /// <summary>True to go ahead; false when the person said no.</summary>
    /// <exception cref="CliException">Not confirmed with --yes and stdin is not a terminal (exit 2).</exception>
    public static bool Ask(AdminConsole console, bool yes, string question)
    {
        if (yes)
        {
            return true;
        }
        if (!console.InputIsTerminal)
        {
            throw new CliException($"{question} Refusing without --yes, as stdin is not a terminal to confirm on.");
        }
        // The prompt goes to stderr so that stdout carries only the command's result.
        console.Error.Write($"{question} [y/N] ");
        string? answer = console.In.ReadLine()?.Trim();
        bool confirmed = string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
        if (!confirmed)
        {
            console.Error.WriteLine("cancelled; nothing was changed");
        }
        return confirmed;
    }
}
