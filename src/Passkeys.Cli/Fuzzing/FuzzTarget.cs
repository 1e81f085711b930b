namespace Passkeys.Cli.Fuzzing;

/// <summary>
/// One parser or verifier under fuzz. <see cref="Next"/> picks a seed and mutates it (the seed
/// index travels with the input because some targets need the seed's ceremony state);
/// <see cref="Run"/> feeds the input in. Only <see cref="PasskeyException"/> may escape Run.
/// </summary>
internal sealed record FuzzTarget(string Name, Func<Random, (int Seed, byte[] Input)> Next, Action<int, byte[]> Run)
{
    /// <summary>A target over plain byte seeds: mostly mutations, some pure random bytes.</summary>
    public static FuzzTarget Bytes(string name, IReadOnlyList<byte[]> seeds, Action<byte[]> run) =>
        new(name, r =>
        {
            if (seeds.Count == 0 || r.Next(16) == 0)
            {
                return (-1, Mutator.RandomBytes(r, 256));
            }
            int seed = r.Next(seeds.Count);
            return (seed, Mutator.Mutate(r, seeds[seed]));
        }, (_, input) => run(input));
}

/// <summary>A non-PasskeyException that escaped a target, with the input that caused it.</summary>
internal sealed record FuzzFinding(string Target, int Seed, byte[] Input, Exception Exception)
{
    /// <summary>Where it was thrown: the exception type and its innermost stack frame, for de-duplication.</summary>
    public string Signature => $"{Target}: {Exception.GetType().FullName} at {Exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";

    public override string ToString() =>
        $"{Target} (seed #{Seed}): {Exception.GetType().FullName}: {Exception.Message}\n  input ({Input.Length} bytes): {Convert.ToHexStringLower(Input)}\n  {Exception.StackTrace?.Replace("\n", "\n  ", StringComparison.Ordinal)}";
}

/// <summary>Our CBOR decoder and System.Formats.Cbor disagreed on an input (a finding, like any non-PasskeyException).</summary>
internal sealed class OracleDisagreementException(string message) : Exception(message);
