using System.Buffers;
using System.Buffers.Text;

namespace Passkeys.Encoding;

/// <summary>Strict unpadded base64url over UTF-8 bytes, for parsers that never materialize strings.</summary>
public static class Base64UrlUtf8
{
    private static readonly SearchValues<byte> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>Whether <paramref name="utf8"/> is strict unpadded base64url.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => utf8.IndexOfAnyExcept(Alphabet) < 0 && utf8.Length % 4 != 1;

    /// <summary>The exact decoded length of valid base64url text of <paramref name="length"/> characters.</summary>
    public static int DecodedLength(int length) => length / 4 * 3 + (length % 4 == 0 ? 0 : length % 4 - 1);

    /// <summary>Decodes strict base64url text into <paramref name="destination"/> (which must be exactly <see cref="DecodedLength"/> long).</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedBase64Url"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> utf8, Span<byte> destination, string field)
    {
        if (!IsValid(utf8))
        {
            throw new PasskeyException(PasskeyError.MalformedBase64Url, $"{field} is not unpadded base64url");
        }
        var status = Base64Url.DecodeFromUtf8(utf8, destination, out _, out int written);
        if (status != OperationStatus.Done || written != destination.Length)
        {
            throw new PasskeyException(PasskeyError.MalformedBase64Url, $"{field} is not unpadded base64url ({status})");
        }
    }

    /// <summary>Writes base64url of <paramref name="data"/> to <paramref name="destination"/>; returns the length.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> destination) => Base64Url.EncodeToUtf8(data, destination);

    /// <summary>The encoded length of <paramref name="byteCount"/> bytes.</summary>
    public static int EncodedLength(int byteCount) => Base64Url.GetEncodedLength(byteCount);
}
