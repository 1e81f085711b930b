using System.Globalization;
using System.Text.Json;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Migration;

/// <summary>
/// One value of an import file with its JSON path, and typed reads that fail as
/// <see cref="ServerError.ImportFieldInvalid"/> naming that path. Files written by other libraries'
/// serializers spell members in PascalCase or camelCase, so those readers look members up ignoring case.
/// </summary>
internal readonly record struct JsonField(JsonElement Value, string Path, bool IgnoreCase = false)
{
    /// <summary>The failure for this value.</summary>
    public ServerException Invalid(string message) => Invalid(Path, message);

    /// <summary>The failure for the value at <paramref name="path"/>.</summary>
    public static ServerException Invalid(string path, string message) =>
        new(ServerError.ImportFieldInvalid, $"{path}: {message}") { Path = path };

    /// <summary>A required member (present and not null).</summary>
    public JsonField Member(string name) =>
        Optional(name) ?? throw Invalid($"{Path}.{name}", "is required.");

    /// <summary>A member, or null when absent or JSON null.</summary>
    public JsonField? Optional(string name)
    {
        if (Value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("must be an object.");
        }
        foreach (var property in Value.EnumerateObject())
        {
            if (string.Equals(property.Name, name, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                // The path spells the member as the file does, so it can be found there.
                return property.Value.ValueKind == JsonValueKind.Null ? null : new JsonField(property.Value, $"{Path}.{property.Name}", IgnoreCase);
            }
        }
        return null;
    }

    /// <summary>The items of an array of at most <paramref name="max"/> entries.</summary>
    public IReadOnlyList<JsonField> Items(int max)
    {
        if (Value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("must be an array.");
        }
        var count = Value.GetArrayLength();
        if (count > max)
        {
            throw Invalid($"has {count} entries; at most {max} are allowed.");
        }
        var path = Path;
        var ignoreCase = IgnoreCase;
        return [.. Value.EnumerateArray().Select((item, i) => new JsonField(item, $"{path}[{i}]", ignoreCase))];
    }

    /// <summary>A string of 1 to <paramref name="max"/> characters without control characters.</summary>
    public string Text(int max)
    {
        if (Value.ValueKind != JsonValueKind.String)
        {
            throw Invalid("must be a string.");
        }
        var text = Value.GetString()!;
        if (text.Length == 0 || text.Length > max || text.Any(char.IsControl))
        {
            throw Invalid($"must be 1 to {max} characters without control characters.");
        }
        return text;
    }

    /// <summary>Bytes written as base64url (as this server exports) or base64 (as System.Text.Json writes byte[]).</summary>
    public byte[] Bytes(int min, int max)
    {
        if (Value.ValueKind != JsonValueKind.String)
        {
            throw Invalid("must be a base64url or base64 string.");
        }
        var text = Value.GetString()!;
        byte[]? bytes = null;
        if (text.Length <= 4 * ((max + 2) / 3) + 4)
        {
            // One alphabet per string: '-'/'_' (base64url) and '+'/'/' (base64) never mix.
            var url = text.AsSpan().IndexOfAny('-', '_') >= 0;
            var standard = text.AsSpan().IndexOfAny('+', '/') >= 0;
            if (!(url && standard))
            {
                var padded = text.TrimEnd('=').Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - padded.Length % 4) % 4);
                var buffer = new byte[padded.Length / 4 * 3];
                if (padded.Length % 4 == 0 && Convert.TryFromBase64String(padded, buffer, out var written))
                {
                    bytes = buffer[..written];
                }
            }
        }
        if (bytes is null || bytes.Length < min || bytes.Length > max)
        {
            throw Invalid($"must be base64url or base64 of {min} to {max} bytes.");
        }
        return bytes;
    }

    /// <summary>true or false.</summary>
    public bool Bool() => Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid("must be true or false."),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public long Number(long min, long max)
    {
        if (Value.ValueKind != JsonValueKind.Number || !Value.TryGetInt64(out var n) || n < min || n > max)
        {
            throw Invalid($"must be a whole number from {min} to {max}.");
        }
        return n;
    }

    /// <summary>An RFC 3339 date and time (without an offset: UTC).</summary>
    public DateTimeOffset Time()
    {
        if (Value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(Value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && time.Year is >= 1970 and <= 9999)
        {
            return time;
        }
        throw Invalid("must be a date and time such as 2025-01-31T09:30:00Z.");
    }

    /// <summary>A UUID such as an AAGUID.</summary>
    public Guid Uuid() =>
        Value.ValueKind == JsonValueKind.String && Guid.TryParse(Value.GetString(), out var guid) ? guid : throw Invalid("must be a UUID.");
}
