using System.Security.Cryptography;

namespace Passkeys.Ceremonies;

/// <summary>
/// Deterministic fake allowCredentials for usernames that don't exist, so that "sign in as alice"
/// answers the same shape whether or not alice has an account, and the same way every time
/// (a random answer per request would itself reveal that the user is unknown).
/// </summary>
public sealed class FakeCredentials
{
    private static readonly int[] Lengths = [16, 32, 48, 64];
    private readonly byte[] _secret;

    /// <summary>Creates a generator; keep <paramref name="secret"/> stable and private (≥ 32 random bytes).</summary>
    public FakeCredentials(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, "the fake-credential secret must be at least 32 bytes");
        }
        _secret = [.. secret];
    }

    /// <summary>One or two credential descriptors derived from <paramref name="username"/>.</summary>
    public IReadOnlyList<CredentialDescriptor> For(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        byte[] seed = HMACSHA256.HashData(_secret, System.Text.Encoding.UTF8.GetBytes(username.Normalize().ToLowerInvariant()));
        int count = 1 + (seed[0] & 1);
        var descriptors = new CredentialDescriptor[count];
        for (int i = 0; i < count; i++)
        {
            int length = Lengths[(seed[1 + i] >> 2) % Lengths.Length];
            byte[] id = HKDF.Expand(HashAlgorithmName.SHA256, seed, length, [(byte)i]);
            descriptors[i] = new CredentialDescriptor(id, (seed[3 + i] & 1) == 0 ? ["internal", "hybrid"] : ["usb", "nfc"]);
        }
        return descriptors;
    }
}
