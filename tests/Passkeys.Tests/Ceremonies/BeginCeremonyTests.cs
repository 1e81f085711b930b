using System.Text.Json.Nodes;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Tests.Ceremonies;

/// <summary>REG-01 / AUTH-01: the options the browser gets, in WebAuthn Level 3 JSON, and the state kept server-side.</summary>
public class BeginCeremonyTests
{
    private static RelyingParty Rp(Action<RelyingPartyOptions>? configure = null)
    {
        var options = new RelyingPartyOptions { RpId = "example.com", RpName = "Example", Origins = ["https://example.com"] };
        configure?.Invoke(options);
        return new RelyingParty(options);
    }

    [Fact]
    public void Creation_options_are_level_3_json()
    {
        var ceremony = Rp().BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity([1, 2, 3], "alice", "Alice"),
            ExcludeCredentials = [new CredentialDescriptor([9, 9], ["usb"])],
            Hints = ["security-key"],
            Attestation = AttestationConveyancePreference.Direct,
        });
        var json = JsonNode.Parse(ceremony.OptionsJson)!;
        Assert.Equal("example.com", (string?)json["rp"]!["id"]);
        Assert.Equal("AQID", (string?)json["user"]!["id"]);
        Assert.Equal("alice", (string?)json["user"]!["name"]);
        Assert.Equal(43, ((string?)json["challenge"])!.Length);
        Assert.Equal(-7, (int)json["pubKeyCredParams"]![0]!["alg"]!);
        Assert.Equal("public-key", (string?)json["pubKeyCredParams"]![0]!["type"]);
        Assert.Equal("CQk", (string?)json["excludeCredentials"]![0]!["id"]);
        Assert.Equal("usb", (string?)json["excludeCredentials"]![0]!["transports"]![0]);
        Assert.Equal("required", (string?)json["authenticatorSelection"]!["residentKey"]);
        Assert.True((bool)json["authenticatorSelection"]!["requireResidentKey"]!);
        Assert.Equal("preferred", (string?)json["authenticatorSelection"]!["userVerification"]);
        Assert.Equal("security-key", (string?)json["hints"]![0]);
        Assert.Equal("direct", (string?)json["attestation"]);
        Assert.True((bool)json["extensions"]!["credProps"]!);
        Assert.Equal(300000, (int)json["timeout"]!);
        Assert.Equal(ceremony.State.Challenge, ceremony.Options.Challenge);
        Assert.Equal([-7, -8, -48, -35, -36, -37, -257], ceremony.State.Algorithms);
    }

    [Fact]
    public void Request_options_are_level_3_json_and_bind_a_transaction()
    {
        byte[] payload = "pay 120 EUR to X"u8.ToArray();
        var ceremony = Rp().BeginAuthentication(new AuthenticationRequest
        {
            UserHandle = [1],
            AllowCredentials = [new CredentialDescriptor([7, 7, 7])],
            UserVerification = UserVerificationRequirement.Required,
            TransactionPayload = payload,
            AppId = "https://example.com/appid.json",
        });
        var json = JsonNode.Parse(ceremony.OptionsJson)!;
        Assert.Equal("example.com", (string?)json["rpId"]);
        Assert.Equal("BwcH", (string?)json["allowCredentials"]![0]!["id"]);
        Assert.Equal("required", (string?)json["userVerification"]);
        Assert.Equal("https://example.com/appid.json", (string?)json["extensions"]!["appid"]);
        byte[] challenge = ceremony.Options.Challenge;
        Assert.Equal(64, challenge.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(payload), challenge[32..]);
        Assert.Equal(["BwcH"], ceremony.State.AllowCredentials);
    }

    [Fact]
    public void Each_ceremony_gets_a_fresh_challenge()
    {
        var rp = Rp();
        var a = rp.BeginAuthentication(new AuthenticationRequest()).State.Challenge;
        var b = rp.BeginAuthentication(new AuthenticationRequest()).State.Challenge;
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void State_round_trips_through_serialization_and_rejects_garbage()
    {
        var state = Rp().BeginRegistration(new RegistrationRequest { User = new UserIdentity([1], "a", "A"), ConditionalCreate = true }).State;
        var copy = RegistrationState.Deserialize(state.Serialize());
        Assert.Equal(state.Challenge, copy.Challenge);
        Assert.True(copy.ConditionalCreate);
        Assert.Equal(state.ExpiresAt, copy.ExpiresAt);
        Assert.Equal(PasskeyError.MalformedOptions, Assert.Throws<PasskeyException>(() => RegistrationState.Deserialize("{\"v\":1}"u8)).Error);
        Assert.Equal(PasskeyError.MalformedOptions, Assert.Throws<PasskeyException>(() => AuthenticationState.Deserialize("not json"u8)).Error);
        Assert.Equal(PasskeyError.MalformedOptions, Assert.Throws<PasskeyException>(() => AuthenticationState.Deserialize("{\"challenge\":\"AA\",\"rpId\":\"x\",\"extra\":1}"u8)).Error);
    }

    [Theory]
    [InlineData("https://Example.COM:443", "https://example.com")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("https://example.com/", "https://example.com")]
    [InlineData("android:apk-key-hash:abc123", "android:apk-key-hash:abc123")]
    public void Origins_are_normalized_like_browsers_serialize_them(string configured, string normalized) =>
        Assert.Equal(normalized, OriginPolicy.Normalize(configured, "Origins"));

    [Theory]
    [InlineData("https://example.com/path")]
    [InlineData("https://example.com?q=1")]
    [InlineData("example.com")]
    [InlineData("")]
    public void Origins_with_paths_or_without_scheme_are_configuration_errors(string configured) =>
        Assert.Equal(PasskeyError.InvalidConfiguration, Assert.Throws<PasskeyException>(() => OriginPolicy.Normalize(configured, "Origins")).Error);

    [Fact]
    public void Invalid_options_are_refused_at_construction_with_a_clear_code()
    {
        void Bad(Action<RelyingPartyOptions> configure) =>
            Assert.Equal(PasskeyError.InvalidConfiguration, Assert.Throws<PasskeyException>(() => Rp(configure)).Error);
        Bad(o => o.RpId = "https://example.com");
        Bad(o => o.RpId = "Example.com");
        Bad(o => o.Origins = []);
        Bad(o => o.Algorithms = []);
        Bad(o => o.ChallengeSize = 8);
        Bad(o => o.Timeout = TimeSpan.Zero);
        Bad(o => o.AllowedTopOrigins = ["https://a.example"]);
        Bad(o => o.RequireTrustedAttestation = true);
    }

    [Fact]
    public void User_handles_longer_than_64_bytes_are_refused()
    {
        Assert.Equal(PasskeyError.InvalidConfiguration, Assert.Throws<PasskeyException>(() =>
            Rp().BeginRegistration(new RegistrationRequest { User = new UserIdentity(new byte[65], "a", "A") })).Error);
    }

    [Fact]
    public void Fake_credentials_are_stable_per_username_and_differ_between_usernames()
    {
        var fakes = new FakeCredentials(new byte[32]);
        var alice = fakes.For("alice");
        static string Ids(IReadOnlyList<CredentialDescriptor> list) => string.Join(",", list.Select(c => Convert.ToHexString(c.Id)));
        Assert.Equal(Ids(alice), Ids(fakes.For("alice")));
        Assert.Equal(Ids(alice), Ids(fakes.For("ALICE")));
        Assert.NotEqual(Convert.ToHexString(alice[0].Id), Convert.ToHexString(fakes.For("bob")[0].Id));
        Assert.InRange(alice.Count, 1, 2);
        Assert.Contains(alice[0].Id.Length, new[] { 16, 32, 48, 64 });
        Assert.NotEqual(Convert.ToHexString(alice[0].Id), Convert.ToHexString(new FakeCredentials(Enumerable.Repeat((byte)1, 32).ToArray()).For("alice")[0].Id));
        Assert.Throws<PasskeyException>(() => new FakeCredentials(new byte[16]));
    }

    [Fact]
    public void Every_error_code_has_a_plain_language_message()
    {
        foreach (var error in Enum.GetValues<PasskeyError>().Where(e => e != PasskeyError.None))
        {
            string message = PasskeyErrorMessages.For(error);
            Assert.False(message.StartsWith("Something went wrong", StringComparison.Ordinal), $"{error} has only the generic message");
        }
    }

    [Fact]
    public void Key_algorithm_names_are_in_the_state_as_numbers()
    {
        var state = Rp(o => o.Algorithms = [CoseAlgorithm.ES256]).BeginRegistration(new RegistrationRequest { User = new UserIdentity([1], "a", "A") }).State;
        Assert.Equal([-7], state.Algorithms);
    }
}
