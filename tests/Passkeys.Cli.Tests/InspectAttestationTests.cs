using System.Text.Json.Nodes;

namespace Passkeys.Cli.Tests;

/// <summary>`passkeys inspect` verifying real devices' attestation statements from ../shared/vectors and judging their trust.</summary>
public sealed class InspectAttestationTests : IDisposable
{
    private const string At = "2024-12-02T12:00:00Z";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "passkeys-inspect-" + Guid.NewGuid().ToString("N"));

    public InspectAttestationTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, true);

    private static string Metadata(string name) => Path.Combine(SharedData.Directory ?? "", "metadata", name);

    private static JsonNode Vector(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SharedData.VectorsDirectory, name)))!;

    private static (int Exit, string Output) Inspect(string responseJson, InspectOptions options)
    {
        var output = new StringWriter();
        int exit = Inspector.Run(responseJson, output, options);
        return (exit, output.ToString());
    }

    private static string Value(string output, string name) =>
        output.Split('\n').Select(l => l.TrimEnd()).First(l => l.StartsWith("  " + name + ":", StringComparison.Ordinal))[(name.Length + 3)..].Trim();

    [SharedDataFact]
    public void YubiKey_packed_is_verified_named_and_trusted_through_metadata()
    {
        string response = Vector("yubico-java-webauthn-server/reg-yubi-key5-nano.json")["response"]!.ToJsonString();
        var (exit, output) = Inspect(response, new InspectOptions([], Metadata("mds3-blob.jwt"), Metadata("mds3-root-GlobalSign_Root_CA_R3.pem"), At));
        Assert.True(exit == 0, output);
        Assert.Equal("verified (packed)", Value(output, "statement"));
        Assert.Equal("Basic", Value(output, "attestation type"));
        Assert.Equal("YubiKey 5 Series", Value(output, "authenticator"));
        Assert.StartsWith("FIDO_CERTIFIED", Value(output, "metadata status"), StringComparison.Ordinal);
        Assert.EndsWith("2020-05-12", Value(output, "metadata status"), StringComparison.Ordinal);
        Assert.StartsWith("Trusted: chains to 'CN=Yubico U2F Root CA Serial 457200631'", Value(output, "trust"), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void YubiKey_packed_without_anchors_is_verified_but_trust_is_not_judged()
    {
        string response = Vector("yubico-java-webauthn-server/reg-yubi-key5-nano.json")["response"]!.ToJsonString();
        var (exit, output) = Inspect(response, InspectOptions.None);
        Assert.Equal(0, exit);
        Assert.Equal("verified (packed)", Value(output, "statement"));
        Assert.StartsWith("not judged", Value(output, "trust"), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Windows_Hello_tpm_is_verified_as_AttCA_and_trusted_with_the_given_roots()
    {
        var vector = Vector("yubico-java-webauthn-server/reg-windows-hello-tpm.json");
        string roots = Path.Combine(_folder, "roots.pem");
        File.WriteAllText(roots, string.Join('\n', vector["context"]!["trustAnchorsPem"]!.AsArray().Select(p => (string)p!)));
        var (exit, output) = Inspect(vector["response"]!.ToJsonString(), new InspectOptions([roots], At: At));
        Assert.True(exit == 0, output);
        Assert.Equal("verified (tpm)", Value(output, "statement"));
        Assert.Equal("AttCA", Value(output, "attestation type"));
        Assert.StartsWith("Trusted: chains to 'CN=Microsoft TPM Root Certificate Authority 2014", Value(output, "trust"), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Windows_Hello_tpm_against_an_unrelated_root_is_untrusted_and_exits_1()
    {
        var vector = Vector("yubico-java-webauthn-server/reg-windows-hello-tpm.json");
        string other = Path.Combine(_folder, "other.pem");
        var root = new StringWriter();
        Cli.Authenticator.AuthenticatorCommand.RunExportRoot(root);
        File.WriteAllText(other, root.ToString());
        var (exit, output) = Inspect(vector["response"]!.ToJsonString(), new InspectOptions([other], At: At));
        Assert.Equal(1, exit);
        Assert.StartsWith("Untrusted", Value(output, "trust"), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void A_changed_client_data_hash_fails_the_statement_and_exits_1()
    {
        var response = Vector("yubico-java-webauthn-server/reg-yubi-key5-nano.json")["response"]!;
        // Same client data with one extra space: a different hash, so the signature no longer covers it.
        byte[] clientData = Convert.FromBase64String(Pad((string)response["response"]!["clientDataJSON"]!));
        response["response"]!["clientDataJSON"] = Convert.ToBase64String([.. clientData[..^1], (byte)' ', clientData[^1]]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var (exit, output) = Inspect(response.ToJsonString(), InspectOptions.None);
        Assert.Equal(1, exit);
        Assert.StartsWith("NOT verified:", Value(output, "statement"), StringComparison.Ordinal);
    }

    [Fact]
    public void Software_authenticator_packed_output_is_trusted_with_the_exported_root()
    {
        using var store = new Authenticator.TempStore();
        var rp = Authenticator.CreateGetTests.NewRelyingParty(Protocol.AttestationConveyancePreference.Direct);
        var created = new StringWriter();
        Assert.Equal(0, Cli.Authenticator.AuthenticatorCommand.RunCreate(new(store.Path), Authenticator.CreateGetTests.BeginRegistration(rp).OptionsJson,
            "https://login.example.com", "packed", null, created, new StringWriter()));
        string root = Path.Combine(_folder, "root.pem");
        var pem = new StringWriter();
        Cli.Authenticator.AuthenticatorCommand.RunExportRoot(pem);
        File.WriteAllText(root, pem.ToString());
        var (exit, output) = Inspect(created.ToString(), new InspectOptions([root]));
        Assert.True(exit == 0, output);
        Assert.Equal("Basic", Value(output, "attestation type"));
        Assert.StartsWith("Trusted", Value(output, "trust"), StringComparison.Ordinal);
    }

    private static string Pad(string base64Url)
    {
        string s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
