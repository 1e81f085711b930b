using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Wraps the server's store and, when armed, holds one named store call until the client has
/// aborted the request that made it, then lets the call go on with the token it was given. That
/// makes "the client went away in the middle of a ceremony step" deterministic: the abort has
/// happened (the server saw <see cref="HttpContext.RequestAborted"/> fire) before the write runs.
/// A DispatchProxy, so it follows <see cref="IPasskeyStore"/> as it grows.
/// </summary>
public class AbortingStore : DispatchProxy
{
    private IPasskeyStore _inner = null!;
    private IHttpContextAccessor _http = null!;
    private string? _armed;
    private TaskCompletionSource _reached = new();
    private readonly TaskCompletionSource<bool> _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static IPasskeyStore Wrap(IPasskeyStore inner, IHttpContextAccessor http)
    {
        var proxy = Create<IPasskeyStore, AbortingStore>();
        var self = (AbortingStore)(object)proxy;
        (self._inner, self._http) = (inner, http);
        return proxy;
    }

    /// <summary>Replaces the app's store with a wrapped one (call from the server's configure).</summary>
    public static void Install(WebApplicationBuilder builder)
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(IPasskeyStore)).ImplementationFactory!;
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(sp => Wrap((IPasskeyStore)original(sp), sp.GetRequiredService<IHttpContextAccessor>()));
    }

    public static AbortingStore Of(IPasskeyStore store) => (AbortingStore)(object)store;

    /// <summary>Holds the next call of <paramref name="method"/>; the task completes when a request reaches it.</summary>
    public Task Arm(string method)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armed, method);
        return _reached.Task;
    }

    /// <summary>Whether the held request's RequestAborted fired before the call went on.</summary>
    public Task<bool> AbortSeen => _aborted.Task;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var armed = Volatile.Read(ref _armed);
        // Compared by value, disarmed by reference (the instance read): only one call is held.
        if (armed == targetMethod.Name && ReferenceEquals(Interlocked.CompareExchange(ref _armed, null, armed), armed))
        {
            var aborted = _http.HttpContext?.RequestAborted ?? CancellationToken.None;
            _reached.SetResult();
            // Blocking is fine in a test double: one request, on a thread-pool thread.
            _aborted.TrySetResult(aborted.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

/// <summary>
/// A client dropping its request mid-ceremony (real Kestrel, real SQLite): the step the server
/// has begun still completes: the ceremony consumed with its credential update, and the audit
/// event written.
/// </summary>
public sealed class AbortedRequestTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private AbortingStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartWithAsync(AbortingStore.Install);
        _store = AbortingStore.Of(_server.Services<IPasskeyStore>());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Sends, waits until the server holds the armed store call, then aborts the request.</summary>
    private async Task SendAndAbortAsync(Task reached, string path, string body)
    {
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        var sending = _server.Http.SendAsync(request, cancel.Token);
        await reached.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.True(await _store.AbortSeen.WaitAsync(TimeSpan.FromSeconds(10)), "the server never saw the request aborted");
    }

    /// <summary>Polls the audit query until an event matches (the server finishes after the client has gone).</summary>
    private async Task<JsonNode> AuditEventAsync(string tenant, string query, Func<JsonNode, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var events = (await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?{query}", bearer: TestServer.AdminKey))["events"]!.AsArray();
            if (events.FirstOrDefault(e => match(e!)) is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no audit event for {query}; events: {events.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_authentication_finish_aborted_after_its_body_arrived_still_consumes_updates_and_audits()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "ann");
        var userId = (string)signUp["user"]!["id"]!;
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var ceremonyId = (string)begin["ceremonyId"]!;
        var body = TestServer.FinishBody(begin, await client.GetAsync(begin["options"]!.ToJsonString()));

        // Held where the step opens its unit of work (before it consumes the ceremony): everything from here on must happen.
        await SendAndAbortAsync(_store.Arm(nameof(IPasskeyStore.BeginStepAsync)), "/v1/tenants/default/authentication/finish", body);

        await AuditEventAsync("default", "ceremony=authentication&outcome=succeeded", e => (string?)e["ceremonyId"] == ceremonyId);
        var user = await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/default/users/{userId}", bearer: TestServer.AdminKey);
        Assert.NotNull((string?)Assert.Single(user["credentials"]!.AsArray())!["lastUsedAt"]);   // the credential update happened
        using var replay = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", body);
        await TestServer.ProblemAsync(replay, 400, 1009);   // and the ceremony is consumed: no half-done state
    }

    [Fact]
    public async Task A_begin_aborted_before_saving_its_ceremony_still_audits_it_as_started()
    {
        using (var created = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants",
            new { id = "aborts", rpId = "localhost", rpName = "Aborts", origins = new[] { TestServer.Origin }, selfSignUp = true }, bearer: TestServer.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Held where the step opens its unit of work, before it saves the ceremony and its event.
        await SendAndAbortAsync(_store.Arm(nameof(IPasskeyStore.BeginStepAsync)), "/v1/tenants/aborts/authentication/begin", "{}");

        var started = await AuditEventAsync("aborts", "ceremony=authentication&outcome=started", _ => true);
        Assert.False(string.IsNullOrEmpty((string?)started["ceremonyId"]));
    }
}
