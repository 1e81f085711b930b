using System.Globalization;

namespace Passkeys.Load;

/// <summary>
/// The weighted share of each operation, parsed from text such as <c>signin=90,register=10</c>.
/// <c>signin</c> splits its weight evenly between sign-in by username and usernameless sign-in;
/// <c>signin-username</c> and <c>signin-discoverable</c> set each alone.
/// </summary>
public sealed class OperationMix
{
    private readonly int[] _weights;
    private readonly int _total;

    private OperationMix(int[] weights)
    {
        _weights = weights;
        foreach (int w in weights)
        {
            _total += w;
        }
    }

    /// <summary>90% sign-in (half by username, half usernameless), 10% registration.</summary>
    public static OperationMix Default { get; } = Parse("signin=90,register=10");

    /// <summary>The weight of <paramref name="operation"/> (the shares need not add up to 100).</summary>
    public int Weight(Operation operation) => _weights[(int)operation];

    /// <summary>Whether any sign-in is in the mix (and so registered users are needed).</summary>
    public bool SignsIn => Weight(Operation.SignInUsername) + Weight(Operation.SignInDiscoverable) > 0;

    /// <summary>The share of <paramref name="operation"/>, 0–1.</summary>
    public double Share(Operation operation) => (double)Weight(operation) / _total;

    /// <summary>Picks an operation for a roll in [0, total weight).</summary>
    public Operation Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int roll = random.Next(_total);
        for (int i = 0; i < _weights.Length; i++)
        {
            roll -= _weights[i];
            if (roll < 0)
            {
                return (Operation)i;
            }
        }
        return (Operation)(_weights.Length - 1);
    }

    /// <summary>Parses <c>name=weight[,name=weight…]</c>; throws <see cref="FormatException"/> with a message fit for the user.</summary>
    public static OperationMix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var weights = new int[OperationNames.All.Length];
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(part.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int weight) || weight > 1_000_000)
            {
                throw new FormatException($"'{part}' is not name=weight (a whole number, e.g. signin=90)");
            }
            switch (part[..eq].Trim())
            {
                case "signin":
                    weights[(int)Operation.SignInUsername] += weight - (weight / 2);
                    weights[(int)Operation.SignInDiscoverable] += weight / 2;
                    break;
                case "signin-username":
                    weights[(int)Operation.SignInUsername] += weight;
                    break;
                case "signin-discoverable":
                    weights[(int)Operation.SignInDiscoverable] += weight;
                    break;
                case "register":
                    weights[(int)Operation.Register] += weight;
                    break;
                default:
                    throw new FormatException($"unknown operation '{part[..eq].Trim()}' (known: signin, signin-username, signin-discoverable, register)");
            }
        }
        int total = 0;
        foreach (int w in weights)
        {
            total += w;
        }
        return total > 0 ? new OperationMix(weights) : throw new FormatException($"the mix '{text}' has no operation with a weight above 0");
    }

    /// <summary>The mix as text with every operation named, e.g. <c>register=10,signin-username=45,signin-discoverable=45</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (var op in OperationNames.All)
        {
            if (Weight(op) > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{OperationNames.Name(op)}={Weight(op)}"));
            }
        }
        return string.Join(',', parts);
    }
}
