// One file, linked into every test project that starts a web host or needs a port nobody
// listens on, so that there is one way to get a loopback port and it has no race.
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Passkeys.TestSupport;

/// <summary>
/// A loopback TCP port held by a bound socket from the moment it is chosen until the test is done
/// with it.
/// </summary>
/// <remarks>
/// Probing for a free port (bind to 0, read the port, close) and binding it again later leaves a
/// window in which someone else takes it: most often an outgoing connection of another test
/// process, whose local port comes from the same ephemeral range. CI failed on exactly that
/// ("address already in use" when a sample app started). While a socket is bound to a port the
/// system gives that port to nobody else (neither to a bind to port 0 nor as an outgoing
/// connection's local port), so a held socket has no window:
/// <list type="bullet">
/// <item>a host that must know its port before it starts (its origin is in its own settings or in
/// another server's tenant) listens on this very socket (<see cref="ListenOn"/>) and disposes the
/// port when it stops;</item>
/// <item>a test that needs a port where nothing listens keeps the socket bound but never
/// listening: connections there are refused.</item>
/// </list>
/// Hosts that need not know their port in advance bind port 0 themselves and read it back.
/// </remarks>
public sealed class LoopbackPort : IDisposable
{
    private Socket? _socket;
    private bool _listening;

    private LoopbackPort(Socket socket)
    {
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>Binds a socket to 127.0.0.1 on a port the system chooses, and holds it.</summary>
    public static LoopbackPort Reserve()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return new LoopbackPort(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes Kestrel listen on the held socket, once. Kestrel neither duplicates nor closes a
    /// socket it is handed, so the port stays open until <see cref="Dispose"/>: whoever starts
    /// the host disposes the port after the host has stopped.
    /// </summary>
    public void ListenOn(KestrelServerOptions kestrel)
    {
        var socket = _socket ?? throw new ObjectDisposedException(nameof(LoopbackPort), $"Port {Port} was released.");
        if (_listening)
        {
            throw new InvalidOperationException($"Port {Port} was already handed to a host.");
        }
        _listening = true;
        kestrel.ListenHandle((ulong)socket.SafeHandle.DangerousGetHandle());
    }

    /// <summary>Closes the socket: the port is free again (and a host listening on it stops accepting).</summary>
    public void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
