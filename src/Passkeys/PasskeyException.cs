namespace Passkeys;

/// <summary>
/// The one exception type the library throws for anything wrong with its input or a failed
/// verification step. <see cref="Error"/> is stable and meant for code; <see cref="UserMessage"/> is
/// plain language meant for the person at the keyboard; <see cref="Detail"/> says, for logs, what was
/// expected and what was found.
/// </summary>
public sealed class PasskeyException : Exception
{
    /// <summary>Creates an exception with the standard plain-language message for <paramref name="error"/>.</summary>
    public PasskeyException(PasskeyError error, string detail, Exception? innerException = null)
        : base($"{error}: {detail}", innerException)
    {
        Error = error;
        Detail = detail;
        UserMessage = PasskeyErrorMessages.For(error);
    }

    /// <summary>The stable error code.</summary>
    public PasskeyError Error { get; }

    /// <summary>The stable numeric value of <see cref="Error"/>.</summary>
    public int Code => (int)Error;

    /// <summary>A sentence a person can act on, free of technical terms.</summary>
    public string UserMessage { get; }

    /// <summary>Technical detail for logs: what was expected and what was found. Never contains secrets.</summary>
    public string Detail { get; }
}
