using System.Globalization;
using Passkeys.Load;

namespace Passkeys.Benchmarks;

/// <summary>
/// A bench mode's command line: <c>--name value</c> options and <c>--flag</c>s, all checked before
/// anything runs. A mistyped option would otherwise be ignored and a run of minutes measured with
/// a default the user did not mean, and a value that is not a number would end in a stack trace;
/// both stop the run with a message naming the option instead (the modes print it and exit 2).
/// </summary>
internal sealed class BenchOptions
{
    private readonly string[] _args;

    private BenchOptions(string[] args) => _args = args;

    /// <summary>Accepts only <paramref name="valued"/> options, each followed by a value, and <paramref name="flags"/>.</summary>
    /// <exception cref="ArgumentException">Anything else, or an option without its value.</exception>
    public static BenchOptions Parse(string[] args, string[] valued, params string[] flags)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (valued.Contains(args[i]))
            {
                if (++i >= args.Length)
                {
                    throw new ArgumentException($"{args[i - 1]} needs a value");
                }
            }
            else if (!flags.Contains(args[i]))
            {
                throw new ArgumentException($"unknown option '{args[i]}'; this mode takes {string.Join(", ", valued.Concat(flags).Order(StringComparer.Ordinal))}");
            }
        }
        return new BenchOptions(args);
    }

    /// <summary>The value of the last <paramref name="name"/> given, or null.</summary>
    public string? Text(string name)
    {
        var i = Array.LastIndexOf(_args, name);
        return i >= 0 && i + 1 < _args.Length ? _args[i + 1] : null;
    }

    public bool Flag(string name) => _args.Contains(name);

    /// <summary>A whole number of at least <paramref name="min"/>.</summary>
    public int Count(string name, int fallback, int min = 1) =>
        Text(name) is { } v ? ParseCount(name, v, min) : fallback;

    /// <summary>A comma-separated list of whole numbers, each at least 1 (e.g. <c>1,16,64</c>).</summary>
    public int[] Counts(string name, string fallback) =>
        [.. (Text(name) ?? fallback).Split(',').Select(v => ParseCount(name, v.Trim(), 1))];

    /// <summary>A duration such as <c>8s</c>, <c>500ms</c> or <c>2m</c>.</summary>
    public TimeSpan Duration(string name, string fallback)
    {
        var v = Text(name) ?? fallback;
        return TextValues.TryParseDuration(v, out var d) ? d : throw new ArgumentException($"{name} must be a duration such as 8s, not '{v}'");
    }

    /// <summary>A number such as <c>15</c> or <c>0.5</c>, greater than 0.</summary>
    public double Positive(string name, double fallback) =>
        Text(name) is not { } v ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d) ? d
        : throw new ArgumentException($"{name} must be a number greater than 0, not '{v}'");

    private static int ParseCount(string name, string v, int min) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n
        : throw new ArgumentException($"{name} must be a whole number of at least {min}, not '{v}'");
}
