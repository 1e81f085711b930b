namespace Passkeys.Authenticator.Client;

/// <summary>
/// A client-side ceremony failure, named as the browser's DOMException would be
/// (<see cref="Name"/>: NotAllowedError, SecurityError, InvalidStateError, NotSupportedError,
/// AbortError, TypeError, EncodingError).
/// </summary>
public sealed class WebAuthnClientException : Exception
{
    /// <summary>DOMException name: the user or a timeout cancelled, or no authenticator could do it.</summary>
    public const string NotAllowedError = nameof(NotAllowedError);
    /// <summary>DOMException name: the origin or rpId is not acceptable.</summary>
    public const string SecurityError = nameof(SecurityError);
    /// <summary>DOMException name: a credential in excludeCredentials is already on the authenticator.</summary>
    public const string InvalidStateError = nameof(InvalidStateError);
    /// <summary>DOMException name: no requested algorithm or credential type is supported.</summary>
    public const string NotSupportedError = nameof(NotSupportedError);
    /// <summary>DOMException name: the caller aborted the ceremony.</summary>
    public const string AbortError = nameof(AbortError);
    /// <summary>The options are not of the required shape (a JavaScript TypeError in a browser).</summary>
    public const string TypeError = nameof(TypeError);
    /// <summary>DOMException name: a base64url field in the options cannot be decoded.</summary>
    public const string EncodingError = nameof(EncodingError);

    /// <summary>Creates the exception.</summary>
    public WebAuthnClientException(string name, string message, Exception? innerException = null)
        : base(message, innerException) => Name = name;

    /// <summary>Creates a NotAllowedError.</summary>
    public WebAuthnClientException() : this(NotAllowedError, "The operation either timed out or was not allowed.") { }

    /// <summary>Creates a NotAllowedError.</summary>
    public WebAuthnClientException(string message) : this(NotAllowedError, message) { }

    /// <summary>Creates a NotAllowedError.</summary>
    public WebAuthnClientException(string message, Exception innerException) : this(NotAllowedError, message, innerException) { }

    /// <summary>The DOMException name a browser would use.</summary>
    public string Name { get; }
}
