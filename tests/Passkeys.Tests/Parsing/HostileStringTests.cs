using Utf8Text = System.Text.Encoding;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Ceremonies;
using Passkeys.Encoding;
using Passkeys.Tests.Attestation;
using Passkeys.Protocol;
using Passkeys.Tests.Ceremonies;

namespace Passkeys.Tests.Parsing;

/// <summary>
/// Strings a browser never sends but an attacker can: escaped lone surrogates (well-formed JSON
/// text, no Unicode string), bytes that are not UTF-8 (invalid, overlong, encoded surrogates), and
/// NUL, as member values and as member names. Every parser of hostile JSON must refuse them with a
/// Malformed* code (or, for NUL, the ordinary check it then fails): a different exception is a 500.
/// </summary>
public class HostileStringTests
{
    /// <summary>JSON string contents that unescape to no valid Unicode string.</summary>
    public static TheoryData<string> LoneSurrogates() => new()
    {
        @"\ud800",            // lone high
        @"\udc00",            // lone low
        @"\udc00\ud800",      // a pair in the wrong order
        @"abc\ud83d",         // high at the end
        @"\ud83dx",           // high followed by a non-surrogate
    };

    /// <summary>Raw bytes inside a JSON string that are not UTF-8.</summary>
    public static TheoryData<byte[]> InvalidUtf8() => new()
    {
        new byte[] { 0xFF },                   // never valid
        new byte[] { 0xC0, 0xAF },             // overlong '/'
        new byte[] { 0xE0, 0x80, 0xAF },       // overlong '/' in three bytes
        new byte[] { 0xC0, 0x80 },             // overlong NUL ("modified UTF-8")
        new byte[] { 0xED, 0xA0, 0x80 },       // a surrogate encoded as UTF-8 (CESU)
        new byte[] { 0xF4, 0x90, 0x80, 0x80 }, // beyond U+10FFFF
        new byte[] { 0xE2, 0x82 },             // truncated sequence
    };

    private const string Challenge = "AAECAwQFBgcICQoLDA0ODw";

    private static byte[] ClientData(string type = "webauthn.create", string challenge = Challenge, string origin = "https://example.com", string? topOrigin = null, string extraName = "x") =>
        Utf8Text.UTF8.GetBytes($$"""{"type":"{{type}}","challenge":"{{challenge}}","origin":"{{origin}}"{{(topOrigin is null ? "" : $",\"topOrigin\":\"{topOrigin}\"")}},"{{extraName}}":1}""");

    private static IEnumerable<byte[]> EveryPlace(string hostile) =>
    [
        ClientData(type: hostile),
        ClientData(challenge: hostile),
        ClientData(origin: hostile),
        ClientData(topOrigin: hostile),
        ClientData(extraName: hostile),
        ClientData(extraName: "ty" + hostile),
    ];

    private static void RefusedAsMalformed(byte[] clientData)
    {
        var e = Assert.Throws<PasskeyException>(() => Passkeys.Protocol.ClientData.Parse(clientData));
        Assert.Equal(PasskeyError.MalformedClientData, e.Error);
        e = Assert.Throws<PasskeyException>(() => CollectedClientData.Parse(clientData));
        Assert.Equal(PasskeyError.MalformedClientData, e.Error);
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Client_data_with_an_escaped_lone_surrogate_anywhere_is_MalformedClientData(string hostile)
    {
        foreach (var clientData in EveryPlace(hostile))
        {
            RefusedAsMalformed(clientData);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Client_data_with_bytes_that_are_not_UTF8_anywhere_is_MalformedClientData(byte[] bytes)
    {
        foreach (var clientData in EveryPlace("\u0001"))
        {
            // Put the raw bytes where the placeholder is, in a value or in a name.
            int at = clientData.AsSpan().IndexOf((byte)0x01);
            RefusedAsMalformed([.. clientData.AsSpan(0, at), .. bytes, .. clientData.AsSpan(at + 1)]);
        }
    }

    [Fact]
    public void Client_data_with_an_escaped_NUL_parses_and_the_origin_check_refuses_it()
    {
        // NUL is a valid character: the parser keeps it and the value comparisons then fail.
        var parsed = CollectedClientData.Parse(ClientData(origin: @"https://example.com\u0000", extraName: @"\u0000"));
        Assert.Equal("https://example.com\0", parsed.Origin);
        // A raw NUL byte inside a string is not JSON at all.
        var raw = ClientData(origin: "https://example.com\0");
        Assert.Equal(PasskeyError.MalformedClientData, Assert.Throws<PasskeyException>(() => CollectedClientData.Parse(raw)).Error);
    }

    /// <summary>Replaces the text of one clientDataJSON member value (or inserts a hostile member) in a real response.</summary>
    private static string WithHostileClientData(string responseJson, string member, string hostile)
    {
        string text = Utf8Text.UTF8.GetString(Scenario.ClientDataOf(responseJson));
        string edited = member == "name"
            ? "{\"" + hostile + "\":1," + text[1..]
            : System.Text.RegularExpressions.Regex.Replace(text, $"\"{member}\":\"[^\"]*\"", $"\"{member}\":\"{hostile}\"");
        Assert.NotEqual(text, edited);
        return Scenario.WithClientData(responseJson, Utf8Text.UTF8.GetBytes(edited));
    }

    public static TheoryData<string, string> MembersAndSurrogates()
    {
        var data = new TheoryData<string, string>();
        foreach (string member in new[] { "type", "challenge", "origin", "name" })
        {
            foreach (string hostile in new[] { @"\ud800", @"\udc00" })
            {
                data.Add(member, hostile);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MembersAndSurrogates))]
    public async Task Registration_with_hostile_client_data_fails_with_MalformedClientData(string member, string hostile)
    {
        using var scenario = new Scenario();
        var (response, state) = await scenario.CreateAsync();
        string hostileResponse = WithHostileClientData(response, member, hostile);
        Assert.Equal(PasskeyError.MalformedClientData, Scenario.ErrorOf(() => scenario.RelyingParty.FinishRegistration(hostileResponse, state)));
    }

    [Theory]
    [MemberData(nameof(MembersAndSurrogates))]
    public async Task Authentication_with_hostile_client_data_fails_with_MalformedClientData(string member, string hostile)
    {
        using var scenario = new Scenario();
        var passkey = await scenario.RegisterAsync();
        var (response, state) = await scenario.GetAsync();
        string hostileResponse = WithHostileClientData(response, member, hostile);
        Assert.Equal(PasskeyError.MalformedClientData, Scenario.ErrorOf(() => scenario.RelyingParty.FinishAuthentication(hostileResponse, state, passkey.Credential)));
    }

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00")]
    public async Task Authentication_response_with_a_hostile_member_name_or_attachment_is_MalformedResponse(string hostile)
    {
        using var scenario = new Scenario();
        await scenario.RegisterAsync();
        var (response, _) = await scenario.GetAsync();
        string[] hostileResponses =
        [
            "{\"" + hostile + "\":1," + response[1..],                                            // top-level name
            response.Replace("\"response\":{", "\"response\":{\"" + hostile + "\":1,", StringComparison.Ordinal), // inner name
            "{\"authenticatorAttachment\":\"" + hostile + "\"," + response[1..].Replace("\"authenticatorAttachment\":", "\"ignored\":", StringComparison.Ordinal),
        ];
        foreach (string json in hostileResponses)
        {
            Assert.Equal(PasskeyError.MalformedResponse, Assert.Throws<PasskeyException>(() => AuthenticationResponse.Parse(json)).Error);
            Assert.Equal(PasskeyError.MalformedResponse, Assert.Throws<PasskeyException>(() => AuthenticationResponse.Parse(Utf8Text.UTF8.GetBytes(json))).Error);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Authentication_response_bytes_that_are_not_UTF8_are_MalformedResponse(byte[] bytes)
    {
        using var scenario = new Scenario();
        await scenario.RegisterAsync();
        var (response, _) = await scenario.GetAsync();
        byte[] utf8 = Utf8Text.UTF8.GetBytes("{\"ignored\":\"\u0001\"," + response[1..]);
        int at = utf8.AsSpan().IndexOf((byte)0x01);
        byte[] hostile = [.. utf8.AsSpan(0, at), .. bytes, .. utf8.AsSpan(at + 1)];
        Assert.Equal(PasskeyError.MalformedResponse, Assert.Throws<PasskeyException>(() => AuthenticationResponse.Parse(hostile)).Error);
    }

    /// <summary>Replaces the (flat) clientExtensionResults object of a real response.</summary>
    private static string WithExtensionOutputs(string response, string outputs)
    {
        int at = response.IndexOf("\"clientExtensionResults\":{", StringComparison.Ordinal);
        Assert.True(at >= 0);
        int end = response.IndexOf('}', at);
        return response[..(at + "\"clientExtensionResults\":".Length)] + outputs + response[(end + 1)..];
    }

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00")]
    public async Task Authentication_extension_output_named_by_a_lone_surrogate_is_InvalidExtensionOutput(string hostile)
    {
        using var scenario = new Scenario();
        var passkey = await scenario.RegisterAsync();
        scenario.Options.UnrequestedExtensions = UnrequestedExtensionPolicy.Reject;
        var (response, state) = await scenario.GetAsync();
        string json = WithExtensionOutputs(response, "{\"" + hostile + "\":true}");
        Assert.Equal(PasskeyError.InvalidExtensionOutput, Scenario.ErrorOf(() => scenario.RelyingParty.FinishAuthentication(json, state, passkey.Credential)));
    }

    [Theory]
    [InlineData(@"{""\ud800"":true}")]                      // an output's name
    [InlineData(@"{""credProps"":{""\udc00"":true}}")]      // a name inside an output
    [InlineData(@"{""credProps"":{""rk"":true,""x"":""\ud800""}}")] // a string inside an output
    public async Task Registration_extension_outputs_with_a_lone_surrogate_are_MalformedResponse(string outputs)
    {
        using var scenario = new Scenario();
        var (response, state) = await scenario.CreateAsync();
        string json = WithExtensionOutputs(response, outputs);
        var e = Assert.Throws<PasskeyException>(() => scenario.RelyingParty.FinishRegistration(json, state));
        Assert.Equal(PasskeyError.MalformedResponse, e.Error);
    }

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00")]
    public async Task Registration_response_with_a_hostile_member_name_or_value_is_MalformedResponse(string hostile)
    {
        using var scenario = new Scenario();
        var (response, _) = await scenario.CreateAsync();
        string[] hostileResponses =
        [
            "{\"" + hostile + "\":1," + response[1..],
            "{\"authenticatorAttachment\":\"" + hostile + "\"," + response[1..].Replace("\"authenticatorAttachment\":", "\"ignored\":", StringComparison.Ordinal),
            response.Replace("\"response\":{", "\"response\":{\"transports\":[\"" + hostile + "\"],\"x\":", StringComparison.Ordinal),
        ];
        foreach (string json in hostileResponses)
        {
            Assert.Equal(PasskeyError.MalformedResponse, Assert.Throws<PasskeyException>(() => RegistrationResponse.Parse(json)).Error);
        }
    }

    [SharedDataTheory]
    [InlineData(@"{""nonce"":""\ud800""}")]                   // the nonce itself
    [InlineData(@"{""\udc00"":1,""nonce"":""x""}")]           // a name the lookups pass over
    [InlineData(@"{""nonce"":""x"",""ctsProfileMatch"":true,""\ud800"":[]}")]
    public void SafetyNet_payload_with_a_lone_surrogate_is_MalformedAttestationStatement(string payload)
    {
        // A JWS that gets past the signature check: signed by its own attest.android.com leaf.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=attest.android.com", key, HashAlgorithmName.SHA256);
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string header = Base64UrlStrict.Encode(Utf8Text.UTF8.GetBytes($$$"""{"alg":"ES256","x5c":["{{{Convert.ToBase64String(leaf.RawData)}}}"]}"""));
        string signingInput = header + "." + Base64UrlStrict.Encode(Utf8Text.UTF8.GetBytes(payload));
        byte[] signature = key.SignData(Utf8Text.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        byte[] jws = Utf8Text.ASCII.GetBytes(signingInput + "." + Base64UrlStrict.Encode(signature));

        var vector = AttestationVector.Load("simplewebauthn/reg-android-safetynet-gsr2-2019.json");
        var statement = ((CborMap)vector.Statement).With("response", new CborByteString(jws));
        var e = Assert.Throws<PasskeyException>(() => new AndroidSafetyNetAttestationVerifier().Verify(vector.Input(statement)));
        Assert.Equal(PasskeyError.MalformedAttestationStatement, e.Error);
    }
}
