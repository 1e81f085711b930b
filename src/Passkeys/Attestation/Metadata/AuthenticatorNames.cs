using System.Collections.Frozen;
using System.Text.Json;

namespace Passkeys.Attestation.Metadata;

/// <summary>
/// The one source of friendly names and icons for authenticators by AAGUID, for the library, the
/// server and its pages. Names: passkey providers from our own data file (passkey-providers.json,
/// facts sourced in ../shared/metadata/passkey-provider-aaguids.md), then the FIDO metadata
/// description. Icons: the FIDO metadata icon, only when <see cref="AuthenticatorIcon"/> passes it.
/// For display only: without trusted attestation an AAGUID is self-asserted.
/// </summary>
public static class AuthenticatorNames
{
    private static readonly Lazy<FrozenDictionary<Guid, string>> Providers = new(LoadProviders);

    /// <summary>The name for <paramref name="aaguid"/>, or null when unknown (always for the zero AAGUID).</summary>
    public static string? Find(Guid aaguid, MetadataBlob? blob)
    {
        if (aaguid == Guid.Empty)
        {
            return null;
        }
        if (Providers.Value.TryGetValue(aaguid, out var name))
        {
            return name;
        }
        return blob?.Find(aaguid)?.Description;
    }

    /// <summary>
    /// The icon for <paramref name="aaguid"/> as a <c>data:image/…;base64</c> URI, or null when the
    /// metadata has none, or one that is not a bounded raster image (see <see cref="AuthenticatorIcon"/>).
    /// </summary>
    public static string? FindIcon(Guid aaguid, MetadataBlob? blob) =>
        aaguid == Guid.Empty ? null : AuthenticatorIcon.Validate(blob?.Find(aaguid)?.Icon);

    /// <summary>The AAGUIDs the providers file names.</summary>
    public static IReadOnlyCollection<Guid> KnownProviders => Providers.Value.Keys;

    private static FrozenDictionary<Guid, string> LoadProviders()
    {
        using var stream = typeof(AuthenticatorNames).Assembly.GetManifestResourceStream("Passkeys.Attestation.Metadata.passkey-providers.json")
            ?? throw new InvalidOperationException("embedded resource passkey-providers.json is missing");
        using var doc = JsonDocument.Parse(stream);
        var map = new Dictionary<Guid, string>();
        foreach (var provider in doc.RootElement.GetProperty("providers").EnumerateArray())
        {
            map.Add(Guid.Parse(provider.GetProperty("aaguid").GetString()!), provider.GetProperty("name").GetString()!);
        }
        return map.ToFrozenDictionary();
    }
}
