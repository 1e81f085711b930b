namespace Passkeys.Cli.Admin;

/// <summary>
/// What an admin command reads and writes besides the server: standard streams, whether stdin is a
/// terminal (destructive commands may only prompt there) and environment variables.
/// </summary>
/// <remarks>
/// Passed in rather than read from <see cref="Console"/> so that tests can run many commands in
/// parallel in one process, each with its own output and its own PASSKEYS_* variables.
/// </remarks>
internal sealed record AdminConsole(TextWriter Out, TextWriter Error, TextReader In, bool InputIsTerminal, Func<string, string?> Environment)
{
    /// <summary>The process's own console and environment.</summary>
    public static AdminConsole System => new(Console.Out, Console.Error, Console.In, !Console.IsInputRedirected, global::System.Environment.GetEnvironmentVariable);
}
