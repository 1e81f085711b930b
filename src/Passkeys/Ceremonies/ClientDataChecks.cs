using System.Security.Cryptography;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>
/// The client-data checks both ceremonies make (REG-07…11, AUTH-10…14), each one failure in one place,
/// with the step id in its detail. Comparisons are on UTF-8 bytes; nothing here allocates on success.
/// </summary>
internal static class ClientDataChecks
{
    public static void VerifyType(in ClientData clientData, ReadOnlySpan<byte> expected, string step)
    {
        if (!clientData.Type.SequenceEqual(expected))
        {
            throw new PasskeyException(PasskeyError.WrongClientDataType,
                $"clientData.type is '{Text(clientData.Type)}', expected '{Text(expected)}' ({step})");
        }
    }

    /// <summary>Constant-time comparison of clientData.challenge with base64url of the issued challenge.</summary>
    public static void VerifyChallenge(in ClientData clientData, byte[] challenge, string step)
    {
        Span<byte> expected = stackalloc byte[Base64UrlUtf8.EncodedLength(challenge.Length)];
        Base64UrlUtf8.Encode(challenge, expected);
        if (clientData.Challenge.Length != expected.Length || !CryptographicOperations.FixedTimeEquals(clientData.Challenge, expected))
        {
            throw new PasskeyException(PasskeyError.ChallengeMismatch,
                $"clientData.challenge does not match the challenge issued for this ceremony ({step})");
        }
    }

    public static void VerifyOrigin(in ClientData clientData, OriginPolicy origins, string step)
    {
        if (!origins.IsAllowedOrigin(clientData.Origin))
        {
            throw new PasskeyException(PasskeyError.OriginNotAllowed,
                $"clientData.origin '{Text(clientData.Origin)}' is not one of the relying party's origins ({step})");
        }
    }

    public static void VerifyCrossOrigin(in ClientData clientData, bool allowCrossOrigin, string step)
    {
        if (clientData.CrossOrigin == true && !allowCrossOrigin)
        {
            throw new PasskeyException(PasskeyError.CrossOriginNotAllowed,
                $"clientData.crossOrigin is true and the relying party does not expect to be embedded in a cross-origin iframe ({step})");
        }
    }

    public static void VerifyTopOriginExpected(in ClientData clientData, bool allowCrossOrigin, string step)
    {
        if (clientData.HasTopOrigin && !allowCrossOrigin)
        {
            throw new PasskeyException(PasskeyError.TopOriginNotAllowed,
                $"clientData.topOrigin '{Text(clientData.TopOrigin)}' is present and the relying party does not expect to be embedded ({step})");
        }
    }

    public static void VerifyTopOriginValue(in ClientData clientData, OriginPolicy origins, string step)
    {
        if (clientData.HasTopOrigin && !origins.IsAllowedTopOrigin(clientData.TopOrigin))
        {
            throw new PasskeyException(PasskeyError.TopOriginNotAllowed,
                $"clientData.topOrigin '{Text(clientData.TopOrigin)}' is not an allowed embedding origin ({step})");
        }
    }

    private static string Text(ReadOnlySpan<byte> utf8) =>
        utf8.Length > 200 ? System.Text.Encoding.UTF8.GetString(utf8[..200]) + "…" : System.Text.Encoding.UTF8.GetString(utf8);
}
