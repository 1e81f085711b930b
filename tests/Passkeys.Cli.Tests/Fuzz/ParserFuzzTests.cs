using Passkeys.Cli.Fuzzing;

namespace Passkeys.Cli.Tests.Fuzz;

/// <summary>The fuzz corpus and targets, built once: seeding runs real ceremonies.</summary>
public sealed class FuzzFixture : IDisposable
{
    public FuzzFixture()
    {
        Corpus = FuzzCorpus.Build(SharedData.Directory is null ? null : SharedData.VectorsDirectory);
        Signer = new MetadataSigner();
        Targets = FuzzTargets.Create(Corpus, Signer, SharedData.Directory is null ? null : Path.Combine(SharedData.Directory, "metadata", "statements"));
    }

    internal FuzzCorpus Corpus { get; }
    internal MetadataSigner Signer { get; }
    internal IReadOnlyList<FuzzTarget> Targets { get; }

    public void Dispose() => Signer.Dispose();
}

/// <summary>
/// A fixed-seed sample of `passkeys fuzz` in the suite: mutated real inputs (the software
/// authenticator's output, plus ../shared/vectors when present) into every parser and verifier;
/// nothing but PasskeyException may escape. A failure prints the target, seed and input hex.
/// </summary>
public sealed class ParserFuzzTests : IClassFixture<FuzzFixture>
{
    private const int Seed = 20261122;
    private const int IterationsPerTarget = 600;
    private readonly FuzzFixture _fixture;

    public ParserFuzzTests(FuzzFixture fixture) => _fixture = fixture;

    private static readonly string[] s_names =
    [
        "cbor-lax", "cbor-ctap2", "cbor-oracle", "authenticator-data", "attestation-object", "cose-key", "client-data", "client-data-strings", "response-strings",
        "registration-response", "authentication-response", "base64url", "attestation-verifiers",
        "finish-registration", "finish-authentication", "metadata-blob", "compact-jws", "tpmt-public",
        "tpms-attest", "android-key-description",
    ];

    public static TheoryData<string> TargetNames() => new(s_names);

    [Fact]
    public void Every_target_is_in_the_theory()
    {
        Assert.Equal(s_names.Order(), _fixture.Targets.Select(t => t.Name).Order());
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Only_PasskeyException_escapes(string target)
    {
        var report = FuzzRunner.Run([_fixture.Targets.Single(t => t.Name == target)], Seed, IterationsPerTarget, TimeSpan.FromSeconds(30));
        Assert.Equal(IterationsPerTarget, report.Iterations);
        Assert.True(report.Findings.Count == 0, string.Join("\n\n", report.Findings));
    }

    [Fact]
    public void The_seeds_themselves_are_accepted_so_mutations_start_from_valid_input()
    {
        // Software seeds finish; a seed that failed would make its mutations test nothing deeper.
        foreach (var seed in _fixture.Corpus.Registrations.Where(r => r.Name.StartsWith("software", StringComparison.Ordinal)))
        {
            seed.RelyingParty.FinishRegistration(seed.ResponseJson, seed.State);
        }
        foreach (var seed in _fixture.Corpus.Authentications.Where(a => a.Name.StartsWith("software", StringComparison.Ordinal)))
        {
            seed.RelyingParty.FinishAuthentication(seed.ResponseJson, seed.State, seed.Credential);
        }
        Assert.Equal(8, _fixture.Corpus.Registrations.Count(r => r.Name.StartsWith("software", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_CBOR_oracle_target_passes_agreement_and_explained_differences()
    {
        var target = _fixture.Targets.Single(t => t.Name == "cbor-oracle");
        Assert.Null(FuzzRunner.RunOne(target, 0, [0xA1, 0x01, 0x02])); // both accept {1: 2}
        Assert.Null(FuzzRunner.RunOne(target, 0, [0x18, 0x17]));       // both refuse a non-minimal head
        Assert.Null(FuzzRunner.RunOne(target, 0, [0xF8, 0x20]));       // simple(32): an explained difference
        // What the target throws on a real disagreement is a finding like any non-PasskeyException.
        var throwing = FuzzTarget.Bytes("oracle", [[0x00]], _ => throw new OracleDisagreementException("ours accepts u0; System.Formats.Cbor refuses"));
        Assert.IsType<OracleDisagreementException>(FuzzRunner.RunOne(throwing, 0, [0x00])!.Exception);
    }

    [Fact]
    public void Mutations_replay_from_the_seed()
    {
        byte[] input = [0xA3, 0x63, 0x66, 0x6D, 0x74, 0x64, 0x6E, 0x6F, 0x6E, 0x65, 0x01, 0x02, 0x03, 0x04];
        var a = new Random(7);
        var b = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(Mutator.Mutate(a, input), Mutator.Mutate(b, input));
        }
    }

    [Fact]
    public void A_finding_names_the_target_and_carries_the_input_hex()
    {
        var target = FuzzTarget.Bytes("throws", [[0x01]], _ => throw new InvalidOperationException("boom"));
        var report = FuzzRunner.Run([target], Seed, 5, TimeSpan.FromSeconds(5));
        var finding = Assert.Single(report.Findings);
        Assert.Contains("throws", finding.ToString(), StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(finding.Input), finding.ToString(), StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(finding.Exception);
    }

    [Fact]
    public void Fuzz_command_prints_iterations_and_exits_0_when_nothing_escapes()
    {
        var output = new StringWriter();
        int exit = FuzzCommand.Run(TimeSpan.FromSeconds(1), 3, null, null, output);
        Assert.Equal(0, exit);
        Assert.Matches(@"\d+ iterations, 0 non-PasskeyException finding\(s\)", output.ToString());
    }
}
