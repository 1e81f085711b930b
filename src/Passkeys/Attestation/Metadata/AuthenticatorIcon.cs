namespace Passkeys.Attestation.Metadata;

/// <summary>
/// Checks an MDS <c>metadataStatement.icon</c> before it is shown to anyone. The icon comes from a
/// signed BLOB, but its content is the vendor's: only a bounded <c>data:</c> URI of a raster image
/// (PNG, JPEG, GIF, WebP) whose bytes really start as that type is passed on. SVG is refused because
/// it is a document that can carry script and external references, not just pixels.
/// </summary>
public static class AuthenticatorIcon
{
    /// <summary>
    /// The largest icon passed on, in characters of the data URI. Icons go into every credential list
    /// response; MDS icons are a few KiB, the largest in the 2024 BLOB is 87 KiB and is left out.
    /// </summary>
    public const int MaxLength = 64 * 1024;

    private static readonly (string MediaType, byte[] Magic)[] Types =
    [
        ("image/png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/gif", [(byte)'G', (byte)'I', (byte)'F', (byte)'8']),
        ("image/webp", [(byte)'R', (byte)'I', (byte)'F', (byte)'F']),
    ];

    /// <summary><paramref name="icon"/> when it is a safe image data URI, otherwise null.</summary>
    public static string? Validate(string? icon)
    {
        if (icon is null || icon.Length > MaxLength || !icon.StartsWith("data:", StringComparison.Ordinal))
        {
            return null;
        }
        int comma = icon.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return null;
        }
        // The header must be exactly "<type>;base64": no parameters, no URL-encoded (non-base64) payload.
        var header = icon.AsSpan(5, comma - 5);
        if (!header.EndsWith(";base64", StringComparison.Ordinal))
        {
            return null;
        }
        var mediaType = header[..^";base64".Length];
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(icon[(comma + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        foreach (var (type, magic) in Types)
        {
            if (mediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            {
                bool matches = bytes.AsSpan().StartsWith(magic)
                    && (type != "image/webp" || (bytes.Length >= 12 && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8)));
                return matches ? icon : null;
            }
        }
        return null;
    }
}
