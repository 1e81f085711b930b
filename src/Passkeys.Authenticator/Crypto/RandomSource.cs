using System.Buffers.Binary;
using System.Security.Cryptography;


namespace Passkeys.Authenticator.Crypto;

/// <summary>
/// Where the authenticator's randomness comes from: the operating system's generator, or, when the
/// authenticator is seeded, a deterministic generator so that keys, credential ids and
/// certificates are the same on every run.
/// </summary>
internal abstract class RandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    public abstract void Fill(Span<byte> destination);

    /// <summary>Returns <paramref name="length"/> random bytes.</summary>
    public byte[] GetBytes(int length)
    {
        var bytes = new byte[length];
        Fill(bytes);
        return bytes;
    }

    /// <summary>The operating system's generator.</summary>
    public static RandomSource Platform { get; } = new SystemRandom();

    /// <summary>
    /// A generator for one purpose (<paramref name="label"/>): deterministic when
    /// <paramref name="seed"/> is set, so that independent purposes (the CA's keys, credential
    /// keys) never shift each other's output.
    /// </summary>
    public static RandomSource For(int? seed, string label, long position = 0) =>
        seed is int s ? new SeededRandom(s, label, position) : Platform;

    private sealed class SystemRandom : RandomSource
    {
        public override void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    }
}

/// <summary>
/// A deterministic random bit generator: HMAC-SHA256 in counter mode, keyed by
/// SHA-256("Passkeys.Authenticator/v1" ‖ seed ‖ label). Block i is HMAC(key, i as 8 bytes
/// big-endian); every <see cref="Fill"/> consumes whole blocks, so <see cref="Position"/> (the
/// next block number) is all the state there is and can be saved and restored.
/// </summary>
/// <remarks>Not a cryptographically strong generator for real secrets: the seed is a small integer.
/// It exists so that test runs are reproducible.</remarks>
internal sealed class SeededRandom : RandomSource
{
    private readonly byte[] _key;
    private readonly Lock _lock = new();
    private long _position;

    public SeededRandom(int seed, string label, long position = 0)
    {
        byte[] prefix = global::System.Text.Encoding.UTF8.GetBytes("Passkeys.Authenticator/v1");
        byte[] labelBytes = global::System.Text.Encoding.UTF8.GetBytes(label);
        var input = new byte[prefix.Length + 4 + labelBytes.Length];
        prefix.CopyTo(input, 0);
        BinaryPrimitives.WriteInt32BigEndian(input.AsSpan(prefix.Length), seed);
        labelBytes.CopyTo(input, prefix.Length + 4);
        _key = SHA256.HashData(input);
        _position = position;
    }

    /// <summary>The number of the next block to be produced.</summary>
    public long Position
    {
        get
        {
            lock (_lock)
            {
                return _position;
            }
        }
    }

    public override void Fill(Span<byte> destination)
    {
        Span<byte> counter = stackalloc byte[8];
        Span<byte> block = stackalloc byte[32];
        lock (_lock)
        {
            while (!destination.IsEmpty)
            {
                BinaryPrimitives.WriteInt64BigEndian(counter, _position++);
                HMACSHA256.HashData(_key, counter, block);
                int n = Math.Min(block.Length, destination.Length);
                block[..n].CopyTo(destination);
                destination = destination[n..];
            }
        }
    }
}
