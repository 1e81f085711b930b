using System.Globalization;
using System.Text;

namespace Passkeys.Cli.Admin;

/// <summary>
/// Readable output: aligned columns and "name: value" blocks, in plain text so that it pipes,
/// greps and tests like any other text.
/// </summary>
internal static class TextTable
{
    /// <summary>Columns padded to their widest cell, two spaces apart; the last column is not padded.</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string whenEmpty)
    {
        var cells = rows.Select(r => r.Select(Cell).ToArray()).ToList();
        if (cells.Count == 0)
        {
            output.WriteLine(whenEmpty);
            return;
        }
        int[] widths = headers.Select((h, i) => Math.Max(h.Length, cells.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(headers.ToArray(), widths));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>One record as "name: value" lines, values aligned.</summary>
    public static void Fields(TextWriter output, params (string Name, string? Value)[] fields)
    {
        int width = fields.Max(f => f.Name.Length) + 2;
        foreach (var (name, value) in fields)
        {
            output.WriteLine((name + ":").PadRight(width) + Cell(value));
        }
    }

    /// <summary>UTC to the second; times in tables are for reading, --json keeps full precision.</summary>
    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>
    /// A cell as it may reach a terminal. User names and user agents come from anyone who can sign
    /// up, so control characters (ANSI escapes could rewrite the screen) become '?'; null is "-".
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }
        if (!value.Any(char.IsControl))
        {
            return value;
        }
        var safe = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            safe.Append(char.IsControl(c) ? '?' : c);
        }
        return safe.ToString();
    }

    private static string Line(string[] row, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < row.Length; i++)
        {
            line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
        }
        return line.ToString().TrimEnd();
    }
}
