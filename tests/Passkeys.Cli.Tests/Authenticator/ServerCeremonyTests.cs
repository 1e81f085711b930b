using Passkeys.Cli.Authenticator;
using Passkeys.Cli.Tests.Infrastructure;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>`authenticator register|sign-in` against a <see cref="RealServer"/> (its default tenant: rpId localhost, self sign-up on).</summary>
public sealed class ServerCeremonyTests : IAsyncLifetime
{
    private const string Origin = RealServer.Origin;
    private readonly TempStore _store = new();
    private RealServer _server = null!;

    public async Task InitializeAsync() => _server = await RealServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
    }

    private AuthenticatorSettings Settings => new(_store.Path);

    private async Task<(int Exit, string Output, string Error)> Register(string username, string? apiKey = null, string? userId = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ServerCeremonies.RunRegisterAsync(Settings, _server.Url, "default", username, Origin, apiKey, userId, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<(int Exit, string Output, string Error)> SignIn(string? username = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ServerCeremonies.RunSignInAsync(Settings, _server.Url, "default", username, Origin, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Value(string output, string name) =>
        output.Split('\n').Select(l => l.TrimEnd()).First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    [Fact]
    public async Task Register_then_sign_in_usernameless_and_by_name_print_user_credential_and_claims()
    {
        var registered = await Register("alice");
        Assert.True(registered.Exit == 0, registered.Error);
        string userId = Value(registered.Output, "user id");
        string credentialId = Value(registered.Output, "credential id");
        Assert.Equal("alice", Value(registered.Output, "user name"));
        Assert.Equal(userId, Value(registered.Output, "  sub"));
        Assert.Equal(credentialId, Value(registered.Output, "  cid"));
        Assert.Equal("default", Value(registered.Output, "  aud"));

        var usernameless = await SignIn();
        Assert.True(usernameless.Exit == 0, usernameless.Error);
        Assert.Equal(userId, Value(usernameless.Output, "user id"));
        Assert.Equal(credentialId, Value(usernameless.Output, "credential id"));
        Assert.Equal("true", Value(usernameless.Output, "user verified"));
        Assert.Equal(userId, Value(usernameless.Output, "  sub"));

        var byName = await SignIn("alice");
        Assert.True(byName.Exit == 0, byName.Error);
        Assert.Equal(credentialId, Value(byName.Output, "  cid"));
    }

    [Fact]
    public async Task Register_with_an_api_key_uses_the_apps_user_id()
    {
        string key = (string)(await _server.AdminAsync(HttpMethod.Post, "/v1/admin/tenants/default/api-keys", """{"name":"cli"}"""))["key"]!;

        var registered = await Register("carol", key, "app-user-7");
        Assert.True(registered.Exit == 0, registered.Error);
        Assert.Equal("app-user-7", Value(registered.Output, "user id"));
    }

    [Fact]
    public async Task Server_problems_print_code_and_message_and_exit_1()
    {
        Assert.Equal(0, (await Register("bob")).Exit);
        var taken = await Register("bob");
        Assert.Equal(1, taken.Exit);
        Assert.StartsWith("server error 1012 UsernameTaken (HTTP 409): ", taken.Error, StringComparison.Ordinal);

        var wrongKey = await Register("dave", "pkk_nope_nope");
        Assert.Equal(1, wrongKey.Exit);
        Assert.Contains("1006", wrongKey.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_without_a_credential_is_a_client_NotAllowedError()
    {
        var result = await SignIn();
        Assert.Equal(1, result.Exit);
        Assert.StartsWith("NotAllowedError: ", result.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string> Formats() => [.. AuthenticatorChoices.Attestations.Keys];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_attestation_format_registers_with_the_real_server_untrusted_and_signs_in(string format)
    {
        // The server has no attestation trust anchors: every statement is verified (a faulty one is
        // refused, below), recorded with its format, and not trusted.
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ServerCeremonies.RunRegisterAsync(Settings, _server.Url, "default", "erin", Origin, null, null, output, error,
            AuthenticatorChoices.Attestation(format), new AuthenticatorBehaviour(Passkeys.Authenticator.AuthenticatorFaults.None, Passkeys.Authenticator.AttestationKinds.DefaultCompound));
        Assert.True(exit == 0, error.ToString());
        string wireFormat = format == "packed-self" ? "packed" : format;
        Assert.Equal($"{wireFormat}, not trusted", Value(output.ToString(), "attestation"));

        string userId = Value(output.ToString(), "user id");
        var detail = await _server.AdminAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{userId}");
        var credential = detail["credentials"]![0]!;
        Assert.Equal(wireFormat, (string?)credential["attestationFormat"]);
        Assert.False((bool)credential["attestationTrusted"]!);

        var signedIn = await SignIn("erin");
        Assert.True(signedIn.Exit == 0, signedIn.Error);
    }

    [Theory]
    [InlineData("android-key", "android-key-wrong-challenge", PasskeyError.AttestationDataMismatch)]
    [InlineData("android-safetynet", "safetynet-stale-timestamp", PasskeyError.AttestationDataMismatch)]
    [InlineData("apple", "apple-wrong-nonce", PasskeyError.AttestationDataMismatch)]
    [InlineData("compound", "compound-missing-sub-statement", PasskeyError.MalformedAttestationStatement)]
    public async Task The_real_server_refuses_a_faulty_statement_and_stores_nothing(string format, string fault, PasskeyError expected)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ServerCeremonies.RunRegisterAsync(Settings, _server.Url, "default", "frank", Origin, null, null, output, error,
            AuthenticatorChoices.Attestation(format), new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet([fault]), Passkeys.Authenticator.AttestationKinds.DefaultCompound));
        Assert.Equal(1, exit);
        Assert.StartsWith($"server error {(int)expected} {expected} (HTTP 400): ", error.ToString(), StringComparison.Ordinal);
        var users = await _server.AdminAsync(HttpMethod.Get, "/v1/admin/tenants/default/users");
        Assert.Empty(users["users"]!.AsArray());
    }

    [Fact]
    public async Task Sign_in_with_a_fault_is_refused_by_the_real_server()
    {
        Assert.Equal(0, (await Register("gina")).Exit);
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ServerCeremonies.RunSignInAsync(Settings, _server.Url, "default", "gina", Origin, output, error,
            new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet(["signature-over-wrong-bytes"]), Passkeys.Authenticator.AttestationKinds.DefaultCompound));
        Assert.Equal(1, exit);
        Assert.StartsWith($"server error {(int)PasskeyError.SignatureInvalid} {PasskeyError.SignatureInvalid} (HTTP ", error.ToString(), StringComparison.Ordinal);
    }
}
