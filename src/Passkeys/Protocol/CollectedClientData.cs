namespace Passkeys.Protocol;

/// <summary>
/// CollectedClientData (WebAuthn L3 §5.8.1) as strings, for reports and tools. The ceremonies use the
/// allocation-free <see cref="ClientData"/> view over the same bytes, so both always agree.
/// </summary>
/// <param name="Type">"webauthn.create" or "webauthn.get".</param>
/// <param name="Challenge">The challenge, base64url.</param>
/// <param name="Origin">The caller's origin.</param>
/// <param name="CrossOrigin">The crossOrigin member, when present.</param>
/// <param name="TopOrigin">The topOrigin member, when present.</param>
public sealed record CollectedClientData(string Type, string Challenge, string Origin, bool? CrossOrigin, string? TopOrigin)
{
    /// <summary>Parses clientDataJSON.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedClientData"/>.</exception>
    public static CollectedClientData Parse(ReadOnlySpan<byte> clientDataJson)
    {
        var view = ClientData.Parse(clientDataJson);
        return new CollectedClientData(
            System.Text.Encoding.UTF8.GetString(view.Type),
            System.Text.Encoding.UTF8.GetString(view.Challenge),
            System.Text.Encoding.UTF8.GetString(view.Origin),
            view.CrossOrigin,
            view.HasTopOrigin ? System.Text.Encoding.UTF8.GetString(view.TopOrigin) : null);
    }
}
