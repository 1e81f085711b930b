using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Passkeys.TestSupport;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// What the tests rely on when they reserve a loopback port: it refuses connections until a host
/// listens on it, a host listens on that very socket (no window between choosing and binding), and
/// disposing the port after the host stopped closes it.
/// </summary>
public sealed class LoopbackPortTests
{
    [Fact]
    public async Task A_reserved_port_refuses_connections_while_nothing_listens_on_it()
    {
        using var reserved = LoopbackPort.Reserve();

        var connect = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(reserved.Port));
        Assert.Equal(SocketError.ConnectionRefused, connect.SocketErrorCode);
    }

    [Fact]
    public async Task A_host_listens_on_the_reserved_socket_once_and_disposing_the_port_closes_it()
    {
        var reserved = LoopbackPort.Reserve();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(reserved.ListenOn);
        await using (var app = builder.Build())
        {
            app.MapGet("/", () => Results.Text("on the reserved port"));
            await app.StartAsync();
            using var http = new HttpClient();
            Assert.Equal("on the reserved port", await http.GetStringAsync($"http://127.0.0.1:{reserved.Port}/"));
            var again = Assert.Throws<InvalidOperationException>(() => reserved.ListenOn(new KestrelServerOptions()));
            Assert.Equal($"Port {reserved.Port} was already handed to a host.", again.Message);
            await app.StopAsync();
        }

        // Kestrel does not close a socket it was handed (were that to change, disposing the port
        // would close a descriptor twice): after the host is gone the socket still listens...
        await ConnectAsync(reserved.Port);
        // ...until the port's owner disposes it.
        reserved.Dispose();
        var connect = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(reserved.Port));
        Assert.Equal(SocketError.ConnectionRefused, connect.SocketErrorCode);
        Assert.Throws<ObjectDisposedException>(() => reserved.ListenOn(new KestrelServerOptions()));
    }

    private static async Task ConnectAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
    }
}
