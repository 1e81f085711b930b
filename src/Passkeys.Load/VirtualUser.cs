using System.Diagnostics;
using System.Text.Json;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;

namespace Passkeys.Load;

/// <summary>How one ceremony ended, with what failed and where.</summary>
public readonly record struct CeremonyResult(bool Ok, Stage Stage, LoadError Error, string? Detail);

/// <summary>
/// One person with one device: a <see cref="SoftwareAuthenticator"/> and a <see cref="SoftwareClient"/>
/// on the tenant's page, running whole ceremonies against the server as a browser would — begin,
/// create()/get() with a real key and signature, finish — and timing each stage into the worker's
/// <see cref="WorkerStats"/>.
/// </summary>
/// <remarks>
/// The device is a synced passkey provider (backup eligible and backed up, signature counter always
/// 0, as iCloud Keychain and Google Password Manager report): the commonest passkey today, and one
/// whose credential may legitimately sign on two devices at once. The load engine gives each
/// worker users of its own (<c>LoadEngine.UsersOf</c>), so a user signs in twice at once only when
/// there are fewer users than workers; with per-credential counters such sign-ins could deliver
/// counters out of order and be rejected for it, which would be the generator's fault, not the server's.
/// </remarks>
public sealed class VirtualUser : IDisposable
{
    private readonly SoftwareAuthenticator _device;
    private readonly SoftwareClient _client;
    private readonly string _registrationBegin;
    private readonly string _registrationBeginWithId;
    private readonly string _usernameBegin;

    /// <summary>Creates a user named <paramref name="name"/> (a-z, 0-9, '-': put into JSON as is) with a new device on <paramref name="origin"/>.</summary>
    public VirtualUser(string name, string origin)
    {
        Name = name;
        _device = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Counter = SignCounterMode.AlwaysZero,
            BackupEligible = true,
            BackupState = true,
        });
        _client = new SoftwareClient(_device, new SoftwareClientOptions { Origin = origin });
        // The bodies are fixed per user: built once, not per ceremony. With an API key the app
        // names its user (id = name); self sign-up lets the server choose the id.
        _registrationBegin = $$$"""{"user":{"name":"{{{name}}}","displayName":"{{{name}}}"}}""";
        _registrationBeginWithId = $$$"""{"user":{"id":"{{{name}}}","name":"{{{name}}}","displayName":"{{{name}}}"}}""";
        _usernameBegin = $$"""{"username":"{{name}}"}""";
    }

    /// <summary>The account name.</summary>
    public string Name { get; }

    /// <summary>The user id the server gave (or took) at registration; null before.</summary>
    public string? UserId { get; private set; }

    /// <summary>Registers this user's passkey (self sign-up, or through the API key when the connection has one).</summary>
    public async Task<CeremonyResult> RegisterAsync(ServerConnection server, WorkerStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(stats);
        string body = server.UsesApiKey ? _registrationBeginWithId : _registrationBegin;
        var (result, finish, ticks) = await RunAsync(server, stats, Operation.Register, server.RegistrationBegin, body, server.UsesApiKey,
            server.RegistrationFinish, cancellationToken).ConfigureAwait(false);
        using (finish)
        {
            if (finish is null)
            {
                return result;
            }
            UserId = UserIdOf(finish);
            if (UserId is null)
            {
                return Fail(stats, Operation.Register, Stage.Finish, LoadError.Check("NoUserId"), "the finish response has no user.id");
            }
            stats.RecordSuccess(Operation.Register, ticks);
            return result;
        }
    }

    /// <summary>Signs in, by username or usernameless, and checks that the server recognised this user.</summary>
    public async Task<CeremonyResult> SignInAsync(ServerConnection server, bool byUsername, WorkerStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(stats);
        var operation = byUsername ? Operation.SignInUsername : Operation.SignInDiscoverable;
        var (result, finish, ticks) = await RunAsync(server, stats, operation, server.AuthenticationBegin, byUsername ? _usernameBegin : "{}", false,
            server.AuthenticationFinish, cancellationToken).ConfigureAwait(false);
        using (finish)
        {
            if (finish is null)
            {
                return result;
            }
            string? signedIn = UserIdOf(finish);
            if (signedIn != UserId)
            {
                return Fail(stats, operation, Stage.Finish, LoadError.Check("WrongUser"), $"signed in as '{signedIn}', expected '{UserId}'");
            }
            stats.RecordSuccess(operation, ticks);
            return result;
        }
    }

    /// <summary>
    /// begin → the device answers → finish. Returns the finish JSON (the caller disposes it) and the
    /// ceremony's duration in ticks; the caller checks the JSON and only then counts the success.
    /// On failure the JSON is null and the failure is already counted.
    /// </summary>
    private async Task<(CeremonyResult, JsonDocument?, long)> RunAsync(ServerConnection server, WorkerStats stats, Operation operation,
        string beginPath, string beginBody, bool withApiKey, string finishPath, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var begin = await server.PostAsync(beginPath, beginBody, withApiKey, cancellationToken).ConfigureAwait(false);
        if (!begin.Ok)
        {
            return (Fail(stats, operation, Stage.Begin, begin.Error, begin.Detail), null, 0);
        }
        long beginEnd = Stopwatch.GetTimestamp();
        stats.RecordStage(operation, Stage.Begin, beginEnd - start);

        string ceremonyId;
        string options;
        using (var json = begin.Json!)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ceremonyId", out var id) || id.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("options", out var o) || o.ValueKind != JsonValueKind.Object)
            {
                return (Fail(stats, operation, Stage.Begin, LoadError.Check("BadBeginResponse"), "the begin response has no ceremonyId or options"), null, 0);
            }
            ceremonyId = id.GetRawText();
            options = o.GetRawText();
        }

        string response;
        try
        {
            response = operation == Operation.Register
                ? await _client.CreateAsync(options, cancellationToken).ConfigureAwait(false)
                : await _client.GetAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (WebAuthnClientException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (Fail(stats, operation, Stage.Device, LoadError.Client(e.Name), e.Message), null, 0);
        }
        long deviceEnd = Stopwatch.GetTimestamp();
        stats.RecordStage(operation, Stage.Device, deviceEnd - beginEnd);

        // ceremonyId is the server's JSON string literal, copied as is; the response is the client's JSON.
        var finish = await server.PostAsync(finishPath, "{\"ceremonyId\":" + ceremonyId + ",\"response\":" + response + "}", false, cancellationToken)
            .ConfigureAwait(false);
        if (!finish.Ok)
        {
            return (Fail(stats, operation, Stage.Finish, finish.Error, finish.Detail), null, 0);
        }
        long end = Stopwatch.GetTimestamp();
        stats.RecordStage(operation, Stage.Finish, end - deviceEnd);
        return (new CeremonyResult(true, Stage.Ceremony, default, null), finish.Json, end - start);
    }

    private static CeremonyResult Fail(WorkerStats stats, Operation operation, Stage stage, LoadError error, string? detail)
    {
        stats.RecordFailure(operation, stage, error, detail);
        return new CeremonyResult(false, stage, error, detail);
    }

    private static string? UserIdOf(JsonDocument finish) =>
        finish.RootElement.ValueKind == JsonValueKind.Object && finish.RootElement.TryGetProperty("user", out var user)
        && user.ValueKind == JsonValueKind.Object && user.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    /// <summary>Releases the device.</summary>
    public void Dispose() => _device.Dispose();
}
