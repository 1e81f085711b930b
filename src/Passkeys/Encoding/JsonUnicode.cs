using System.Text.Json;

namespace Passkeys.Encoding;

/// <summary>
/// JSON text can escape what no Unicode string holds: a lone surrogate ("\ud800"). System.Text.Json
/// parses such a document and only throws <see cref="InvalidOperationException"/> when a name or
/// string is unescaped later (GetString, TryGetProperty, Name). Checking a parsed document once here
/// turns that into the caller's error before any lookup can throw.
/// </summary>
internal static class JsonUnicode
{
    /// <summary>Whether every member name and string in <paramref name="element"/> is valid Unicode.</summary>
    public static bool IsValid(JsonElement element)
    {
        try
        {
            Walk(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Walk(JsonElement element)
    {
        // Recursion is bounded by the depth limit the document was parsed with.
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    _ = member.Name;
                    Walk(member.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
                break;
        }
    }
}
