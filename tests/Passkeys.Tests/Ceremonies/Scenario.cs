using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Protocol;

namespace Passkeys.Tests.Ceremonies;

/// <summary>A clock tests can move.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A relying party, a software authenticator and a software client wired together, so that a test
/// changes exactly one thing (a fault switch, an option, one JSON member) and checks the outcome.
/// </summary>
internal sealed class Scenario : IDisposable
{
    public const string RpId = "example.com";
    public const string Origin = "https://example.com";
    public static readonly byte[] UserId = [0x75, 0x73, 0x65, 0x72, 0x31];

    public Scenario(SoftwareAuthenticatorOptions? authenticator = null, string origin = Origin, string? topOrigin = null)
    {
        // Now, because the authenticator's test CA issues its certificates at the real current time.
        Clock = new TestClock(TimeProvider.System.GetUtcNow());
        Options = new RelyingPartyOptions { RpId = RpId, RpName = "Example", Origins = [Origin] };
        Authenticator = new SoftwareAuthenticator(authenticator ?? new SoftwareAuthenticatorOptions { Seed = 7 });
        Client = new SoftwareClient(Authenticator, new SoftwareClientOptions { Origin = origin, TopOrigin = topOrigin });
    }

    public TestClock Clock { get; }
    public RelyingPartyOptions Options { get; }
    public SoftwareAuthenticator Authenticator { get; }
    public SoftwareClient Client { get; }
    public RelyingParty RelyingParty => new(Options, Clock);

    public RegistrationCeremony BeginRegistration(RegistrationRequest? request = null) =>
        RelyingParty.BeginRegistration(request ?? new RegistrationRequest { User = new UserIdentity(UserId, "alice", "Alice") });

    /// <summary>Begin, let the client create, return the response JSON and the state.</summary>
    public async Task<(string Response, RegistrationState State)> CreateAsync(RegistrationRequest? request = null, Func<JsonObject, JsonObject>? editOptions = null)
    {
        var ceremony = BeginRegistration(request);
        string optionsJson = ceremony.OptionsJson;
        if (editOptions is not null)
        {
            optionsJson = editOptions(JsonNode.Parse(optionsJson)!.AsObject()).ToJsonString();
        }
        string response = await Client.CreateAsync(optionsJson);
        return (response, ceremony.State);
    }

    public async Task<RegisteredPasskey> RegisterAsync(RegistrationRequest? request = null)
    {
        var (response, state) = await CreateAsync(request);
        return RelyingParty.FinishRegistration(response, state);
    }

    public async Task<(string Response, AuthenticationState State)> GetAsync(AuthenticationRequest? request = null)
    {
        var ceremony = RelyingParty.BeginAuthentication(request ?? new AuthenticationRequest());
        string response = await Client.GetAsync(ceremony.OptionsJson);
        return (response, ceremony.State);
    }

    public async Task<VerifiedAuthentication> SignInAsync(CredentialRecord record, AuthenticationRequest? request = null)
    {
        var (response, state) = await GetAsync(request);
        return RelyingParty.FinishAuthentication(response, state, record);
    }

    /// <summary>Rewrites one member of the response JSON (path like "response.clientDataJSON").</summary>
    public static string Edit(string json, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    /// <summary>Replaces clientDataJSON with other bytes (only meaningful where no signature covers it).</summary>
    public static string WithClientData(string json, byte[] clientData) =>
        Edit(json, o => o["response"]!["clientDataJSON"] = global::Passkeys.Encoding.Base64UrlStrict.Encode(clientData));

    public static byte[] ClientDataOf(string json) =>
        global::Passkeys.Encoding.Base64UrlStrict.Decode(JsonNode.Parse(json)!["response"]!["clientDataJSON"]!.GetValue<string>(), "clientDataJSON");

    public static PasskeyError ErrorOf(Action action) => Assert.Throws<PasskeyException>(action).Error;

    public void Dispose() => Authenticator.Dispose();
}
