using System.Buffers;
using System.Buffers.Text;

namespace Passkeys.Encoding;

/// <summary>
/// Unpadded base64url (RFC 4648 §5) as WebAuthn's JSON serialization uses it. Decoding is strict:
/// padding, whitespace and characters outside the base64url alphabet are rejected, as is a length
/// that no byte string encodes to.
/// </summary>
/// <remarks>
/// The BCL's <see cref="Base64Url"/> tolerates padding and whitespace, so the alphabet is checked here
/// first (vectorized through <see cref="SearchValues"/>), then the BCL decoder does the work.
/// </remarks>
public static class Base64UrlStrict
{
    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Encodes <paramref name="data"/> as unpadded base64url.</summary>
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Decodes strict unpadded base64url, naming <paramref name="field"/> in the error.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedBase64Url"/>.</exception>
    public static byte[] Decode(ReadOnlySpan<char> text, string field)
    {
        Validate(text, field);
        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException e)
        {
            // The alphabet and length are valid, so the last character carries non-zero padding bits:
            // a non-canonical encoding that no conforming encoder produces.
            throw new PasskeyException(PasskeyError.MalformedBase64Url, $"{field}: the last character has non-zero padding bits", e);
        }
    }

    /// <summary>Returns whether <paramref name="text"/> is strict unpadded base64url.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) =>
        text.IndexOfAnyExcept(Alphabet) < 0 && text.Length % 4 != 1;

    /// <summary>Decodes into <paramref name="destination"/>, returning the number of bytes written.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedBase64Url"/>, or when the destination is too small.</exception>
    public static int Decode(ReadOnlySpan<char> text, Span<byte> destination, string field)
    {
        Validate(text, field);
        bool decoded;
        int written;
        try
        {
            decoded = Base64Url.TryDecodeFromChars(text, destination, out written);
        }
        catch (FormatException e)
        {
            throw new PasskeyException(PasskeyError.MalformedBase64Url, $"{field}: the last character has non-zero padding bits", e);
        }
        if (!decoded)
        {
            throw new PasskeyException(PasskeyError.InputTooLarge,
                $"{field}: decodes to more than {destination.Length} bytes");
        }
        return written;
    }

    /// <summary>The greatest number of bytes a base64url text of <paramref name="textLength"/> characters decodes to.</summary>
    public static int DecodedLength(int textLength) => Base64Url.GetMaxDecodedLength(textLength);

    private static void Validate(ReadOnlySpan<char> text, string field)
    {
        int bad = text.IndexOfAnyExcept(Alphabet);
        if (bad >= 0)
        {
            string what = text[bad] == '=' ? "padding '='" : $"character U+{(int)text[bad]:X4}";
            throw new PasskeyException(PasskeyError.MalformedBase64Url,
                $"{field}: {what} at position {bad} is not allowed in unpadded base64url");
        }
        if (text.Length % 4 == 1)
        {
            throw new PasskeyException(PasskeyError.MalformedBase64Url,
                $"{field}: length {text.Length} is not a possible base64url length");
        }
    }
}
