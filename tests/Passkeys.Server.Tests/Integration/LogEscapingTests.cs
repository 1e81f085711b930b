using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Passkeys.Server.Tests.Integration;

/// <summary>Collects every formatted log message of one server (what the console formatter prints as the message).</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Messages.Enqueue(formatter(state, exception));
    }
}

/// <summary>
/// Request-derived values reach the log escaped (issue 10): an origin from clientDataJSON holding
/// CR/LF cannot start a forged log line.
/// </summary>
public sealed class LogEscapingTests
{
    [Fact]
    public async Task An_origin_with_line_breaks_from_client_data_stays_on_one_log_line()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await TestServer.StartWithAsync(b => b.Logging.AddProvider(logs), "--Logging:LogLevel:Default=Information");
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { user = new { name = "mallory" } });
        const string forged = "https://evil.example\r\ninfo: Passkeys.Server[0]\n      Admin signed in\u2028";
        var created = JsonNode.Parse(await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString()))!;
        var clientData = JsonNode.Parse(Passkeys.Encoding.Base64UrlStrict.Decode((string)created["response"]!["clientDataJSON"]!, "clientDataJSON"))!;
        clientData["origin"] = forged;
        created["response"]!["clientDataJSON"] = Passkeys.Encoding.Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes(clientData.ToJsonString()));
        var response = created.ToJsonString();
        using (var finish = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, response)))
        {
            await TestServer.ProblemAsync(finish, 400, (int)PasskeyError.OriginNotAllowed);
        }

        var line = Assert.Single(logs.Messages, m => m.Contains("evil.example", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\u2028', line);
        Assert.Contains(@"https://evil.example\u000d\u000ainfo: Passkeys.Server[0]\u000a      Admin signed in\u2028", line, StringComparison.Ordinal);
    }
}
