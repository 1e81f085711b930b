using Microsoft.AspNetCore.Http;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;

namespace Passkeys.Server.Tests.Security;

/// <summary>The one resolver of who acts in a request (the HTTP paths are covered by AuditTrailTests).</summary>
public sealed class RequestActorTests
{
    [Fact]
    public void Nothing_proved_is_anonymous()
    {
        Assert.Equal(AuditActor.Anonymous, RequestActor.Of(new DefaultHttpContext()));
    }

    [Fact]
    public void What_the_request_proved_is_the_actor()
    {
        var http = new DefaultHttpContext();
        RequestActor.Authenticated(http, AuditActor.ApiKey("0123456789abcdef"));
        Assert.Equal(new AuditActor("apiKey", "0123456789abcdef"), RequestActor.Of(http));
    }

    [Fact]
    public void An_operator_session_makes_the_operator_the_actor_of_an_admin_call()
    {
        var http = new DefaultHttpContext();
        RequestActor.Authenticated(http, AuditActor.Admin);
        http.Items[RequestActor.OperatorItem] = "op-7";
        Assert.Equal(new AuditActor("operator", "op-7"), RequestActor.Of(http));
    }
}
