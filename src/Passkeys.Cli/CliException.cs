namespace Passkeys.Cli;

/// <summary>A usage or input problem the CLI reports as one line on stderr, exiting with code 2.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message, Exception? innerException = null) : base(message, innerException) { }

    public CliException() { }

    public CliException(string message) : base(message) { }
}
