using System.Net;
using System.Net.Sockets;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// Which IP addresses a webhook may be sent to: public unicast only. Refused: unspecified,
/// loopback, private (RFC 1918, IPv6 ULA), carrier-grade NAT, link-local (cloud metadata services
/// live there), benchmarking, documentation, multicast and reserved ranges, and IPv6 forms that
/// embed a refused IPv4 address (mapped, NAT64, 6to4).
/// </summary>
public static class WebhookAddresses
{
    // (network, prefix length) of every refused IPv4 range.
    private static readonly (uint Network, int Prefix)[] RefusedV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network"
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 carrier-grade NAT
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local (cloud metadata)
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0000000, 24),  // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24),  // 192.0.2.0/24 documentation
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xC6120000, 15),  // 198.18.0.0/15 benchmarking
        (0xC6336400, 24),  // 198.51.100.0/24 documentation
        (0xCB007100, 24),  // 203.0.113.0/24 documentation
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, and the broadcast address
    ];

    /// <summary>True when a webhook may be sent to <paramref name="address"/>.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            foreach (var (network, prefix) in RefusedV4)
            {
                var mask = uint.MaxValue << (32 - prefix);
                if ((value & mask) == network)
                {
                    return false;
                }
            }
            return true;
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }
        if (IPAddress.IPv6Any.Equals(address) || IPAddress.IPv6Loopback.Equals(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }
        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address that must be public too.
        if (v6[..12].SequenceEqual((ReadOnlySpan<byte>)[0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return IsPublic(new IPAddress(v6[12..]));
        }
        if (v6[0] == 0x20 && v6[1] == 0x02)
        {
            return IsPublic(new IPAddress(v6.Slice(2, 4)));
        }
        // 2001:db8::/32 documentation; ::/96 (IPv4-compatible, deprecated).
        return !(v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) && !v6[..12].SequenceEqual(new byte[12]);
    }
}
