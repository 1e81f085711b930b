using System.Collections.Concurrent;
using Passkeys.Cose;

namespace Passkeys.Ceremonies;

/// <summary>
/// A bounded cache of imported public keys, keyed by credential id. Importing a P-256 key costs
/// more than verifying with it (~90 µs against ~70 µs here), so a returning user's key is worth
/// keeping. Two generations approximate LRU without locks: lookups promote from the old generation,
/// and when the young one fills, the old one is dropped.
/// </summary>
internal sealed class PublicKeyCache
{
    private readonly int _generationSize;
    private ConcurrentDictionary<byte[], CosePublicKey> _young = new(ByteArrayComparer.Instance);
    private ConcurrentDictionary<byte[], CosePublicKey> _old = new(ByteArrayComparer.Instance);
    private readonly Lock _rotate = new();

    public PublicKeyCache(int capacity) => _generationSize = Math.Max(1, capacity / 2);

    /// <summary>The imported key for a record, decoding (and caching) it on a miss.</summary>
    public CosePublicKey Get(CredentialRecord record)
    {
        if (_generationSize <= 1)
        {
            return CosePublicKey.Decode(record.PublicKey);
        }
        if (_young.TryGetValue(record.Id, out var key) && Matches(key, record))
        {
            return key;
        }
        if (_old.TryGetValue(record.Id, out key) && Matches(key, record))
        {
            Add(record.Id, key);
            return key;
        }
        key = CosePublicKey.Decode(record.PublicKey);
        Add(record.Id, key);
        return key;
    }

    // A record's key never changes, but a caller could pass a record whose id collides with another
    // record's (another tenant); comparing the stored bytes keeps the cache from ever answering with
    // a key the record does not hold.
    private static bool Matches(CosePublicKey key, CredentialRecord record) => key.Encoded.Span.SequenceEqual(record.PublicKey);

    private void Add(byte[] id, CosePublicKey key)
    {
        if (_young.Count >= _generationSize)
        {
            lock (_rotate)
            {
                if (_young.Count >= _generationSize)
                {
                    _old = _young;
                    _young = new ConcurrentDictionary<byte[], CosePublicKey>(ByteArrayComparer.Instance);
                }
            }
        }
        _young[id] = key;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
