using System.Net;
using System.Net.Sockets;

namespace Passkeys.Server.Security;

/// <summary>
/// The rate-limit partition of a client address. An IPv4 address is its own partition; an IPv6
/// address counts by its /64 prefix, because one subscriber is routinely handed a whole /64 and
/// could otherwise take a fresh budget per address; an IPv4-mapped IPv6 address
/// (<c>::ffff:a.b.c.d</c>, what a dual-stack socket reports for IPv4 peers) counts as the IPv4 address.
/// </summary>
public static class ClientPartition
{
    /// <summary>The partition key, e.g. <c>203.0.113.7</c> or <c>2001:db8:1:2::/64</c>; <c>unknown</c> without an address.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        // Without the scope id (fe80::1%eth0): the prefix, not the interface, is the subscriber.
        return new IPAddress(bytes).ToString() + "/64";
    }
}
