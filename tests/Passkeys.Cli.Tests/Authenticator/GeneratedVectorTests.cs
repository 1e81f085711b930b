using Passkeys.Cli.Vectors;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>
/// The vectors in tests/vectors are what <see cref="GeneratedVectors"/> writes, byte for byte, and
/// the same <see cref="VectorRunner"/> that runs ../shared/vectors reaches each one's expected
/// outcome. Set PASSKEYS_REGENERATE_VECTORS=1 to rewrite the files instead of comparing.
/// </summary>
public class GeneratedVectorTests
{
    public static TheoryData<string> Names() => [.. GeneratedVectors.All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_committed_vector_is_what_the_seeded_authenticator_generates(string name)
    {
        string path = Path.Combine(GeneratedVectors.Directory, name);
        string generated = GeneratedVectors.All[name]();
        if (Environment.GetEnvironmentVariable("PASSKEYS_REGENERATE_VECTORS") == "1")
        {
            File.WriteAllText(path, generated);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run PASSKEYS_REGENERATE_VECTORS=1 dotnet test tests/Passkeys.Cli.Tests --filter GeneratedVectorTests");
        Assert.Equal(generated, File.ReadAllText(path));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_vector_runner_reaches_the_expected_outcome(string name)
    {
        var result = VectorRunner.Run(TestVector.Load(Path.Combine(GeneratedVectors.Directory, name)));
        Assert.True(result.Status == VectorStatus.Passed, $"{name}: expected {(result.Vector.ExpectedOk ? "ok" : "failure")}, got {result.Actual} {result.Detail}");
    }

    [Fact]
    public void The_faulty_ML_DSA_vector_is_refused_for_its_statement_signature()
    {
        var result = VectorRunner.Run(TestVector.Load(Path.Combine(GeneratedVectors.Directory, "packed-ml-dsa-44-signature-over-wrong-bytes.registration.json")));
        Assert.Equal(nameof(PasskeyError.AttestationSignatureInvalid), result.Actual);
    }

    [Theory]
    [InlineData("compound-packed-tpm.registration.json")]
    [InlineData("packed-ml-dsa-44.registration.json")]
    public void A_chained_vector_is_refused_once_its_root_is_not_the_configured_anchor(string name)
    {
        // The runner judges trust through context.trustAnchorsPem: a stranger's root must fail it.
        string text = File.ReadAllText(Path.Combine(GeneratedVectors.Directory, name));
        using var stranger = new Passkeys.Authenticator.TestCertificateAuthority(seed: 1);
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        node["context"]!["trustAnchorsPem"] = new System.Text.Json.Nodes.JsonArray(stranger.RootCertificatePem);
        node["expected"] = new System.Text.Json.Nodes.JsonObject { ["ok"] = false, ["error"] = "wrong anchor" };
        string path = Path.Combine(Path.GetTempPath(), $"vector-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, node.ToJsonString());
            var result = VectorRunner.Run(TestVector.Load(path));
            Assert.Equal(VectorStatus.Passed, result.Status);
            Assert.Equal(nameof(PasskeyError.AttestationNotTrusted), result.Actual);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
