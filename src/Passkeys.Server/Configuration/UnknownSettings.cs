using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Passkeys.Server.Configuration;

/// <summary>
/// Keys under a configuration section that no option binds: <c>Passkeys:Stroe=postgres</c>, or
/// <c>Passkeys__DefaultTenant__UserVerificaton=required</c> in the environment. The configuration
/// binder ignores them, so the server would run on the defaults the operator meant to change —
/// for a security setting, a weaker one — without a word. Each is reported with its full path and
/// the nearest setting's name, so the start can stop on it as on any wrong value.
/// </summary>
public static class UnknownSettings
{
    /// <param name="section">The section, e.g. <c>Passkeys</c>.</param>
    /// <param name="options">The options type bound to it.</param>
    /// <param name="alsoBound">Keys of the section bound to another options type (e.g. <c>Webhooks</c>).</param>
    public static IReadOnlyList<string> Find(IConfigurationSection section, Type options, IReadOnlyDictionary<string, Type> alsoBound)
    {
        var root = Settings(options).Concat(alsoBound).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            Check(child, section.Path, root, problems);
        }
        return problems;
    }

    private static void Check(IConfigurationSection key, string owner, IReadOnlyDictionary<string, Type> settings, List<string> problems)
    {
        if (settings.TryGetValue(key.Key, out var type))
        {
            Inside(key, type, problems);
            return;
        }
        problems.Add(Nearest(key.Key, settings.Keys) is { } meant
            ? $"{key.Path} is not a setting; did you mean {owner}:{meant}? (docs/operations.md lists the settings)"
            : $"{key.Path} is not a setting; {owner} takes {string.Join(", ", settings.Keys.Order(StringComparer.Ordinal))} (docs/operations.md).");
    }

    // What may be below a key bound to a value of this type.
    private static void Inside(IConfigurationSection key, Type type, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsSingleValue(type))
        {
            foreach (var below in key.GetChildren())
            {
                problems.Add($"{below.Path} is not a setting: {key.Path} takes a single value.");
            }
            return;
        }
        if (ElementType(type) is { } element)
        {
            // Array items and dictionary entries have keys of the operator's choosing.
            foreach (var item in key.GetChildren())
            {
                Inside(item, element, problems);
            }
            return;
        }
        var settings = Settings(type).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var below in key.GetChildren())
        {
            Check(below, key.Path, settings, problems);
        }
    }

    // The keys the binder sets on an instance: public instance properties it can write, and
    // objects it binds into even without a setter.
    private static IEnumerable<KeyValuePair<string, Type>> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || (p.GetMethod?.IsPublic == true && !IsSingleValue(p.PropertyType))))
            .Select(p => new KeyValuePair<string, Type>(p.Name, p.PropertyType));

    private static bool IsSingleValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) ||
            type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }
        var sequence = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return sequence?.GetGenericArguments()[0];
    }

    // The setting a typo most likely meant: at most two edits away (a third of the name for long
    // names), case aside. None when nothing is that close.
    private static string? Nearest(string key, IEnumerable<string> settings)
    {
        var best = settings.Select(s => (Name: s, Distance: Distance(key.ToUpperInvariant(), s.ToUpperInvariant())))
            .OrderBy(s => s.Distance).ThenBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Name : null;
    }

    // Levenshtein distance, with a swap of two neighbours counting as one edit ("Stroe").
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
