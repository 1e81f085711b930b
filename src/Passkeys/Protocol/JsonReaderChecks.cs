using System.Text.Json;

namespace Passkeys.Protocol;

/// <summary>
/// Utf8JsonReader accepts an escaped lone surrogate ("\ud800") as well-formed JSON and throws
/// InvalidOperationException only when that text is unescaped, which a comparison may or may not do
/// (ValueTextEquals skips it when the lengths cannot match). The parsers of hostile JSON call these
/// so that every escaped name and string is checked, whether or not it is used, and catch
/// InvalidOperationException as their Malformed* error.
/// </summary>
internal static class JsonReaderChecks
{
    /// <summary>
    /// Skips the member whose name the reader is on (its name and value), unescaping every escaped
    /// name and string on the way: a lone surrogate anywhere throws InvalidOperationException,
    /// however uninteresting the member, so that no other parser of the same bytes can read a
    /// different text (a plain Skip() never unescapes).
    /// </summary>
    public static void SkipMember(scoped ref Utf8JsonReader reader)
    {
        RequireUnicode(ref reader); // the member's name
        reader.Read();
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            int depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                RequireUnicode(ref reader);
            }
            // Now on the matching end token, as Skip() would leave it.
        }
        else
        {
            RequireUnicode(ref reader);
        }
    }

    /// <summary>Unescapes the current name or string when it is escaped; throws InvalidOperationException on a lone surrogate.</summary>
    public static void RequireUnicode(scoped ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
        {
            _ = reader.GetString(); // unescapes, throwing InvalidOperationException on a lone surrogate
        }
    }
}
