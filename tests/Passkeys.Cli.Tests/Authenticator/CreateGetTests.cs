using System.Security.Cryptography.X509Certificates;
using Passkeys.Ceremonies;
using Passkeys.Cli.Authenticator;
using Passkeys.Protocol;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>`authenticator create|get|list|export-root` in process, their output verified by the library's RelyingParty.</summary>
public sealed class CreateGetTests : IDisposable
{
    private const string Origin = "https://login.example.com";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    internal static RelyingParty NewRelyingParty(AttestationConveyancePreference attestation = AttestationConveyancePreference.None, bool requireTrusted = false)
    {
        var root = new StringWriter();
        AuthenticatorCommand.RunExportRoot(root);
        return new RelyingParty(new RelyingPartyOptions
        {
            RpId = "login.example.com",
            RpName = "Example",
            Origins = [Origin],
            Attestation = attestation,
            TrustAnchors = [X509Certificate2.CreateFromPem(root.ToString())],
            RequireTrustedAttestation = requireTrusted,
        });
    }

    internal static RegistrationCeremony BeginRegistration(RelyingParty rp, string name = "alice") =>
        rp.BeginRegistration(new RegistrationRequest { User = new UserIdentity(System.Text.Encoding.UTF8.GetBytes("user-" + name), name, name.ToUpperInvariant()) });

    private (int Exit, string Output, string Error) Create(string optionsJson, string attestation = "none", string? alg = null, int? seed = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AuthenticatorCommand.RunCreate(new AuthenticatorSettings(_store.Path, seed), optionsJson, Origin, attestation, alg, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private (int Exit, string Output, string Error) Get(string optionsJson, string origin = Origin)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AuthenticatorCommand.RunGet(new AuthenticatorSettings(_store.Path), optionsJson, origin, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("packed", null)]
    [InlineData("packed-self", "ES384")]
    [InlineData("packed-self", "ES512")]
    [InlineData("packed-self", "RS256")]
    [InlineData("packed-self", "PS256")]
    [InlineData("packed-self", "EdDSA")]
    [InlineData("packed-self", "ML-DSA-44")]
    [InlineData("packed", "ML-DSA-44")]
    [InlineData("fido-u2f", null)]
    [InlineData("tpm", null)]
    [InlineData("tpm", "ES384")]
    [InlineData("tpm", "RS256")]
    public void Create_then_get_verify_with_the_relying_party(string attestation, string? alg)
    {
        var rp = NewRelyingParty(AttestationConveyancePreference.Direct);
        var registration = BeginRegistration(rp);
        var created = Create(registration.OptionsJson, attestation, alg);
        Assert.True(created.Exit == 0, created.Error);
        var passkey = rp.FinishRegistration(created.Output, registration.State);
        if (attestation is "packed" or "fido-u2f" or "tpm")
        {
            Assert.True(passkey.Trust.IsTrusted, passkey.Trust.Detail);
        }
        Assert.True(File.Exists(_store.Path));

        var authentication = rp.BeginAuthentication(new AuthenticationRequest());
        var got = Get(authentication.OptionsJson);
        Assert.True(got.Exit == 0, got.Error);
        var verified = rp.FinishAuthentication(got.Output, authentication.State, passkey.Credential);
        Assert.Equal(passkey.Credential.Id, verified.CredentialId);
        Assert.Equal(2u, verified.SignCount);

        // The counter was saved: the next assertion reports 3.
        var again = rp.BeginAuthentication(new AuthenticationRequest());
        var third = Get(again.OptionsJson);
        Assert.Equal(3u, rp.FinishAuthentication(third.Output, again.State, verified.UpdatedCredential).SignCount);
    }

    [Fact]
    public void Create_accepts_a_server_begin_response_wrapping_the_options()
    {
        var rp = NewRelyingParty();
        var registration = BeginRegistration(rp);
        var created = Create($$"""{"ceremonyId":"abc","options":{{registration.OptionsJson}}}""");
        Assert.True(created.Exit == 0, created.Error);
        rp.FinishRegistration(created.Output, registration.State);
    }

    [Fact]
    public void Seeded_create_is_reproducible_and_list_shows_the_credentials()
    {
        var rp = NewRelyingParty();
        var registration = BeginRegistration(rp);
        var first = Create(registration.OptionsJson, seed: 7);
        File.Delete(_store.Path);
        var second = Create(registration.OptionsJson, seed: 7);
        Assert.Equal(first.Output, second.Output);
        // The same seed on the saved store moves on: a new credential, not the same one again.
        var third = Create(BeginRegistration(rp, "bob").OptionsJson, seed: 7);
        Assert.NotEqual(Id(second.Output), Id(third.Output));

        var list = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunList(new AuthenticatorSettings(_store.Path), list));
        string[] lines = list.ToString().TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Contains("login.example.com", lines[1], StringComparison.Ordinal);
        Assert.Contains("alice", lines[1], StringComparison.Ordinal);
        Assert.Contains(Id(second.Output), lines[1], StringComparison.Ordinal);
        Assert.Contains("ES256", lines[1], StringComparison.Ordinal);
        Assert.Contains("bob", lines[2], StringComparison.Ordinal);
    }

    private static string Id(string responseJson) =>
        System.Text.Json.JsonDocument.Parse(responseJson).RootElement.GetProperty("id").GetString()!;

    [Fact]
    public void List_on_a_missing_store_says_it_is_empty()
    {
        var list = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunList(new AuthenticatorSettings(_store.Path), list));
        Assert.Contains("no credentials", list.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Client_errors_print_the_DOMException_name_and_exit_1()
    {
        var rp = NewRelyingParty();
        // An origin outside the rp id: SecurityError.
        var error = new StringWriter();
        int exit = AuthenticatorCommand.RunCreate(new AuthenticatorSettings(_store.Path), BeginRegistration(rp).OptionsJson, "https://evil.example", "none", null, new StringWriter(), error);
        Assert.Equal(1, exit);
        Assert.StartsWith("SecurityError: ", error.ToString(), StringComparison.Ordinal);

        // No credential for this rp id: NotAllowedError.
        var got = Get(rp.BeginAuthentication(new AuthenticationRequest()).OptionsJson);
        Assert.Equal(1, got.Exit);
        Assert.StartsWith("NotAllowedError: ", got.Error, StringComparison.Ordinal);

        // Options that are not JSON: TypeError.
        var bad = Create("{not json");
        Assert.Equal(1, bad.Exit);
        Assert.StartsWith("TypeError: ", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tpm_with_EdDSA_says_why_no_key_was_made()
    {
        // `passkeys authenticator create --attestation tpm --alg EdDSA`, as the command runs it.
        var rp = NewRelyingParty(AttestationConveyancePreference.Direct);
        var created = Create(BeginRegistration(rp).OptionsJson, "tpm", "EdDSA");
        Assert.Equal(1, created.Exit);
        Assert.Equal("", created.Output);
        string message = created.Error.TrimEnd();
        Assert.StartsWith("NotSupportedError: ", message, StringComparison.Ordinal);
        Assert.Contains("TPM 2.0", message, StringComparison.Ordinal);
        Assert.Contains("Ed25519", message, StringComparison.Ordinal);
        Assert.Single(message.Split('\n'));
        Assert.False(File.Exists(_store.Path));   // nothing was made, nothing saved
    }

    [Fact]
    public void A_corrupt_store_is_a_usage_error_not_a_crash()
    {
        File.WriteAllText(_store.Path, "[1,2,3]");
        var error = new StringWriter();
        int exit = AuthenticatorCommand.Guard(error, () => AuthenticatorCommand.RunList(new AuthenticatorSettings(_store.Path), new StringWriter()));
        Assert.Equal(2, exit);
        Assert.Contains(_store.Path, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_root_prints_the_same_self_signed_root_every_time()
    {
        var a = new StringWriter();
        var b = new StringWriter();
        AuthenticatorCommand.RunExportRoot(a);
        AuthenticatorCommand.RunExportRoot(b);
        Assert.Equal(a.ToString(), b.ToString());
        using var root = X509Certificate2.CreateFromPem(a.ToString());
        Assert.Equal(root.Subject, root.Issuer);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", a.ToString(), StringComparison.Ordinal);
    }
}
