namespace Passkeys.Authenticator.Client;

/// <summary>Ways the software client can be told to misbehave; each produces exactly one defect.</summary>
[Flags]
public enum ClientFaults
{
    /// <summary>Behave correctly.</summary>
    None = 0,
    /// <summary>clientDataJSON.origin is "https://evil.example" (the rpId checks still use the real origin).</summary>
    WrongOrigin = 1 << 0,
    /// <summary>clientDataJSON.type is the other ceremony's ("webauthn.get" when creating, and vice versa).</summary>
    WrongType = 1 << 1,
    /// <summary>clientDataJSON.challenge is the server's challenge with its first byte inverted.</summary>
    AlteredChallenge = 1 << 2,
    /// <summary>Returns the previous response of the same ceremony again, without asking the authenticator.</summary>
    Replay = 1 << 3,
}

/// <summary>
/// How a create call involves the user (CredentialMediationRequirement, Credential Management and
/// WebAuthn L3 §5.1.3); "silent" does not apply to create.
/// </summary>
public enum CredentialMediation
{
    /// <summary>The usual modal prompt (the default when a page passes no mediation).</summary>
    Optional = 0,
    /// <summary>A modal prompt, always.</summary>
    Required = 1,
    /// <summary>No prompt: a conditional create; the authenticator is asked with up=false.</summary>
    Conditional = 2,
}

/// <summary>Where the software client's "page" runs and how its user behaves.</summary>
public sealed class SoftwareClientOptions
{
    /// <summary>The page's origin, e.g. "https://login.example.com" (scheme, host, port if not default).</summary>
    public required string Origin { get; init; }

    /// <summary>
    /// The top-level page's origin when the ceremony runs in an iframe. When it differs from
    /// <see cref="Origin"/>, clientDataJSON has crossOrigin true and this topOrigin.
    /// </summary>
    public string? TopOrigin { get; init; }

    /// <summary>How long the "user" takes to respond; a ceremony whose timeout is shorter fails with NotAllowedError. Default zero.</summary>
    public TimeSpan UserResponseDelay { get; set; }

    /// <summary>The clock the timeout runs on. Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The fault switches in effect.</summary>
    public ClientFaults Faults { get; set; }

    /// <summary>
    /// The Android app this client acts as, or null for a web page. Set with
    /// <see cref="ForAndroidApp"/>, which also makes <see cref="Origin"/> the app's origin.
    /// </summary>
    public AndroidApp? AndroidApp { get; init; }

    /// <summary>A client acting as <paramref name="app"/> (Credential Manager's role) rather than a web page.</summary>
    public static SoftwareClientOptions ForAndroidApp(AndroidApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new SoftwareClientOptions { Origin = app.Origin, AndroidApp = app };
    }
}
