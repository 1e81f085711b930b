using System.Globalization;
using System.Text;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// Serializes CollectedClientData the way WebAuthn Level 3 §5.8.1.2 prescribes and browsers do:
/// type, challenge, origin, crossOrigin, then topOrigin when cross-origin; strings escaped only
/// where JSON requires (", \ and control characters).
/// </summary>
internal static class CollectedClientDataWriter
{
    public static byte[] Serialize(string type, string challenge, string origin, bool crossOrigin, string? topOrigin)
    {
        var result = new StringBuilder(256);
        result.Append("{\"type\":");
        AppendString(result, type);
        result.Append(",\"challenge\":");
        AppendString(result, challenge);
        result.Append(",\"origin\":");
        AppendString(result, origin);
        result.Append(",\"crossOrigin\":").Append(crossOrigin ? "true" : "false");
        if (crossOrigin && topOrigin is not null)
        {
            result.Append(",\"topOrigin\":");
            AppendString(result, topOrigin);
        }
        result.Append('}');
        return System.Text.Encoding.UTF8.GetBytes(result.ToString());
    }

    // §5.8.1.3 "CCDToString": quote, escape " and \ with a backslash, other code points below
    // U+0020 as \uXXXX, everything else as is.
    private static void AppendString(StringBuilder result, string value)
    {
        result.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                result.Append('\\').Append(c);
            }
            else if (c < 0x20)
            {
                result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append(c);
            }
        }
        result.Append('"');
    }
}
