using System.Security.Cryptography;
using Passkeys.Authenticator.Crypto;
using Passkeys.Authenticator.Tpm;
using Passkeys.Encoding;

namespace Passkeys.Authenticator;

/// <summary>
/// A software FIDO2 authenticator (the device role) with CTAP 2.1 makeCredential / getAssertion
/// semantics: discoverable and non-discoverable credentials, excludeList and allowList, user
/// presence and verification, credProtect, signature counters, backup flags, every attestation
/// format of WebAuthn Level 3 §8 (none, packed, fido-u2f, tpm, android-key, android-safetynet, apple,
/// compound; see <see cref="AttestationKind"/>), and fault switches (<see cref="AuthenticatorFaults"/>). Safe to use from
/// several threads at once.
/// </summary>
/// <remarks>CTAP 2.1: https://fidoalliance.org/specs/fido-v2.1-ps-20210615/fido-client-to-authenticator-protocol-v2.1-ps-20210615.html</remarks>
public sealed class SoftwareAuthenticator : IDisposable
{
    private readonly Lock _createLock = new();
    private readonly Lazy<TestCertificateAuthority> _ca;
    private readonly bool _ownsCa;
    private readonly SeededRandom? _seededCredentials;

    /// <summary>Creates an authenticator holding the credentials in <paramref name="store"/> (a new empty store when null).</summary>
    public SoftwareAuthenticator(SoftwareAuthenticatorOptions? options = null, CredentialStore? store = null)
    {
        Options = options ?? new SoftwareAuthenticatorOptions();
        Store = store ?? new CredentialStore();
        var compound = Options.CompoundAttestation;
        if (compound.Count < 2 || compound.Contains(AttestationKind.Compound))
        {
            // §8.9: a compound statement holds at least two statements, none of them compound.
            throw new ArgumentException(
                $"CompoundAttestation must name at least two kinds, none of them Compound, not [{string.Join(", ", compound)}]", nameof(options));
        }
        if (!TestCertificateAuthority.PackedAttestationAlgorithms.Contains(Options.AttestationAlgorithm))
        {
            // Refused here rather than at the first packed registration, so a misconfigured test fails where it is set up.
            throw new ArgumentException(
                $"AttestationAlgorithm must be one of [{string.Join(", ", TestCertificateAuthority.PackedAttestationAlgorithms)}] (ES256 or ML-DSA-44/65/87), not {Options.AttestationAlgorithm}", nameof(options));
        }
        _ownsCa = Options.CertificateAuthority is null;
        _ca = new Lazy<TestCertificateAuthority>(() => Options.CertificateAuthority ?? new TestCertificateAuthority(Options.Seed, Options.Time));
        if (Options.Seed is int seed)
        {
            _seededCredentials = new SeededRandom(seed, "credentials", Store.RandomPosition);
        }
    }

    /// <summary>The behaviour switches; the mutable ones may be changed between operations.</summary>
    public SoftwareAuthenticatorOptions Options { get; }

    /// <summary>The credentials held.</summary>
    public CredentialStore Store { get; }

    /// <summary>The CA behind packed and fido-u2f attestation (created on first use).</summary>
    public TestCertificateAuthority CertificateAuthority => _ca.Value;

    /// <summary>The packed, fido-u2f and tpm attestation root in PEM, for a relying party's trust anchors.</summary>
    public string RootCertificatePem => CertificateAuthority.RootCertificatePem;

    /// <summary>
    /// The roots the current <see cref="SoftwareAuthenticatorOptions.Attestation"/> chains to, in PEM:
    /// one for a format with a chain, each distinct root of the sub-statements for compound, none
    /// for none and packed self attestation.
    /// </summary>
    public IReadOnlyList<string> AttestationRootPems => RootKinds(Options.Attestation, Options.CompoundAttestation)
        .Select(CertificateAuthority.RootCertificatePemFor).Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<AttestationKind> RootKinds(AttestationKind kind, IReadOnlyList<AttestationKind> compound) => kind switch
    {
        AttestationKind.None or AttestationKind.PackedSelf => [],
        AttestationKind.Compound => compound.Where(k => k != AttestationKind.Compound).SelectMany(k => RootKinds(k, compound)),
        _ => [kind],
    };

    private bool Deterministic => Options.Seed is not null;

    /// <summary>authenticatorMakeCredential (CTAP 2.1 §6.1).</summary>
    /// <exception cref="CtapException">The CTAP2 error a device would return.</exception>
    public MakeCredentialResponse MakeCredential(MakeCredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var faults = Options.Faults;

        // §6.1.2 step 3: the first requested algorithm this device supports.
        int algorithm = ChooseAlgorithm(request.PubKeyCredParams);

        // Step 4–5: options. rk is supported; uv needs a device that can verify.
        if (request.UserVerification && !Options.SupportsUserVerification)
        {
            throw new CtapException(CtapStatus.UnsupportedOption, "this authenticator cannot verify the user");
        }

        // Step 9: excludeList — a match needs a touch, then reports CREDENTIAL_EXCLUDED.
        foreach (var excluded in request.ExcludeList)
        {
            if (Find(request.Rp.Id, excluded) is not null)
            {
                RequireUserPresence(faults);
                throw new CtapException(CtapStatus.CredentialExcluded, "a credential in excludeList is on this authenticator");
            }
        }

        // Steps 11–12: user verification and presence; with up=false (a conditional create) no
        // presence test and the UP flag stays clear.
        byte flags = UserFlags(request.UserVerification, faults, presenceRequested: request.UserPresence);

        // Step 17: create the credential.
        var random = (RandomSource?)_seededCredentials ?? RandomSource.Platform;
        CredentialKey key;
        byte[] credentialId;
        lock (_createLock)
        {
            key = CredentialKey.Generate(algorithm, random, Deterministic);
            credentialId = random.GetBytes(32);
            if (_seededCredentials is not null)
            {
                Store.RandomPosition = _seededCredentials.Position;
            }
        }
        int credProtect = request.CredProtect is int level and >= 1 and <= 3 ? level : 1;
        var credential = new StoredCredential
        {
            CredentialId = Base64UrlStrict.Encode(credentialId),
            RpId = request.Rp.Id,
            UserId = Base64UrlStrict.Encode(request.User.Id),
            UserName = request.User.Name,
            UserDisplayName = request.User.DisplayName,
            Algorithm = algorithm,
            PrivateKey = Base64UrlStrict.Encode(key.ExportPrivateKey()),
            Discoverable = request.ResidentKey,
            CredProtect = credProtect,
            BackupEligible = Options.BackupEligible,
            CreatedAt = Options.Time.GetUtcNow(),
            SignCount = Options.Counter == SignCounterMode.PerCredential ? 1u : 0u,
        };
        credential.SetKey(key);
        // A discoverable credential replaces one for the same RP and user (CTAP 2.1 §6.1.2 step 17).
        if (request.ResidentKey)
        {
            foreach (var existing in Store.Credentials)
            {
                if (existing.Discoverable && existing.RpId == request.Rp.Id && existing.UserId == credential.UserId)
                {
                    Store.Remove(existing.CredentialId);
                }
            }
        }
        Store.Add(credential);

        // Extensions: credProtect output only when requested.
        var extensionEntries = new List<(string, CborValue)>();
        if (request.CredProtect is not null)
        {
            extensionEntries.Add(("credProtect", new CborInteger(credProtect)));
        }
        if (faults.HasFlag(AuthenticatorFaults.UnrequestedExtensionOutputs))
        {
            extensionEntries.Add(("hmac-secret", CborSimple.True));
        }
        byte[]? extensions = extensionEntries.Count > 0 ? CborWriter.Encode(AttestationBuilder.Map([.. extensionEntries])) : null;

        var attestation = Options.Attestation;
        Guid aaguid = attestation == AttestationKind.FidoU2f ? Guid.Empty : Options.Aaguid;
        byte[] reportedId = faults.HasFlag(AuthenticatorFaults.WrongCredentialId) ? Altered(credentialId) : credentialId;
        byte[] rpIdHash = AuthenticatorDataBuilder.RpIdHash(request.Rp.Id, faults);
        flags |= BackupFlags(credential);
        byte[] authData = AuthenticatorDataBuilder.Build(
            rpIdHash, flags, credential.SignCount, (aaguid, reportedId, key.CosePublicKey), extensions,
            faults.HasFlag(AuthenticatorFaults.TrailingBytes));

        byte[] signedHash = SignedClientDataHash(request.ClientDataHash, faults);
        string fmt = AttestationBuilder.FormatName(attestation);
        byte[] attStmt = AttestationBuilder.Statement(attestation, new AttestationInput(
            authData, (byte[])request.ClientDataHash.Clone(), signedHash, key, rpIdHash, reportedId, () => _ca.Value, aaguid, Options));
        return new MakeCredentialResponse
        {
            Fmt = fmt,
            AuthenticatorData = authData,
            AttestationObject = AttestationBuilder.AttestationObject(fmt, attStmt, authData, faults.HasFlag(AuthenticatorFaults.MalformedCbor)),
            CredentialId = reportedId,
            Algorithm = algorithm,
            SubjectPublicKeyInfo = key.SubjectPublicKeyInfo,
            Discoverable = request.ResidentKey,
        };
    }

    /// <summary>authenticatorGetAssertion (CTAP 2.1 §6.2).</summary>
    /// <exception cref="CtapException">The CTAP2 error a device would return.</exception>
    public GetAssertionResponse GetAssertion(GetAssertionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var faults = Options.Faults;
        if (request.UserVerification && !Options.SupportsUserVerification)
        {
            throw new CtapException(CtapStatus.UnsupportedOption, "this authenticator cannot verify the user");
        }
        bool verified = request.UserVerification && Options.UserVerified;

        // §6.2.2 step 7: applicable credentials, then credProtect (step 7.4): level 3 needs UV;
        // level 2 needs UV unless the credential was named in allowList.
        var candidates = new List<StoredCredential>();
        foreach (var credential in Store.Credentials)
        {
            if (credential.RpId != request.RpId)
            {
                continue;
            }
            bool listed = request.AllowList.Any(id => Base64UrlStrict.Encode(id) == credential.CredentialId);
            if (request.AllowList.Count > 0 ? !listed : !credential.Discoverable)
            {
                continue;
            }
            if (!verified && (credential.CredProtect == 3 || (credential.CredProtect == 2 && request.AllowList.Count == 0)))
            {
                continue;
            }
            candidates.Add(credential);
        }
        if (candidates.Count == 0)
        {
            throw new CtapException(CtapStatus.NoCredentials, $"no credential for {request.RpId} on this authenticator");
        }

        // The "up" option: a silent request (up=false) needs no touch and leaves UP clear.
        byte flags = UserFlags(request.UserVerification, faults, request.UserPresence);

        // The "user" picks the most recently created account.
        var chosen = candidates[^1];
        foreach (var c in candidates)
        {
            if (c.CreatedAt > chosen.CreatedAt)
            {
                chosen = c;
            }
        }
        var key = chosen.GetKey(Deterministic);
        uint signCount = NextSignCount(chosen, faults);

        byte[]? extensions = null;
        if (faults.HasFlag(AuthenticatorFaults.MalformedCbor))
        {
            extensions = [0xA1];
        }
        else if (faults.HasFlag(AuthenticatorFaults.UnrequestedExtensionOutputs))
        {
            extensions = CborWriter.Encode(AttestationBuilder.Map(("credBlob", new CborByteString(Array.Empty<byte>()))));
        }
        flags |= BackupFlags(chosen);
        byte[] authData = AuthenticatorDataBuilder.Build(
            AuthenticatorDataBuilder.RpIdHash(request.RpId, faults), flags, signCount, null, extensions,
            faults.HasFlag(AuthenticatorFaults.TrailingBytes));
        byte[] signature = key.Sign([.. authData, .. SignedClientDataHash(request.ClientDataHash, faults)]);
        byte[] id = chosen.CredentialIdBytes;
        return new GetAssertionResponse
        {
            CredentialId = faults.HasFlag(AuthenticatorFaults.WrongCredentialId) ? Altered(id) : id,
            AuthenticatorData = authData,
            Signature = signature,
            UserHandle = chosen.Discoverable ? chosen.UserIdBytes : null,
            NumberOfCredentials = candidates.Count,
        };
    }

    /// <summary>Whether a credential with this id exists for <paramref name="rpId"/>.</summary>
    public bool HasCredential(string rpId, ReadOnlySpan<byte> credentialId) => Find(rpId, credentialId) is not null;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsCa && _ca.IsValueCreated)
        {
            _ca.Value.Dispose();
        }
    }

    // The reason goes into the CtapException's message: the client passes it on to the caller
    // (NotSupportedError), so that it says why, not only that, no key could be made.
    private int ChooseAlgorithm(IReadOnlyList<int> requested)
    {
        foreach (int alg in requested)
        {
            if (Offers(alg) && DeviceHas(alg))
            {
                return alg;
            }
        }
        string detail = $"requested [{string.Join(", ", requested)}], it can make [{string.Join(", ", Options.Algorithms.Where(a => Offers(a) && DeviceHas(a)))}]";
        // The device is why when it refused an algorithm it was told to offer that was requested,
        // or when it refused everything it was told to offer (`--attestation tpm --alg EdDSA`).
        bool DeviceRefuses(int alg) => Offers(alg) && !DeviceHas(alg);
        bool deviceIsWhy = requested.Any(DeviceRefuses) || (Options.Algorithms.Any(DeviceRefuses) && !Options.Algorithms.Any(a => Offers(a) && DeviceHas(a)));
        string? limit = AttestationKinds.Limit(Options.Attestation, Options.CompoundAttestation);
        throw new CtapException(CtapStatus.UnsupportedAlgorithm, deviceIsWhy && limit is not null ? $"{limit} ({detail})" : detail);
    }

    private bool Offers(int alg) => Options.Algorithms.Contains(alg) && SupportedAlgorithms.IsSupported(alg);

    // fido-u2f devices only have P-256; a TPM only RSA and NIST-curve ECC keys; and so on (AttestationKinds.CanAttest).
    private bool DeviceHas(int alg) => AttestationKinds.CanAttest(Options.Attestation, alg, Options.CompoundAttestation);

    private StoredCredential? Find(string rpId, ReadOnlySpan<byte> credentialId)
    {
        string id = Base64UrlStrict.Encode(credentialId);
        foreach (var credential in Store.Credentials)
        {
            if (credential.RpId == rpId && credential.CredentialId == id)
            {
                return credential;
            }
        }
        return null;
    }

    private void RequireUserPresence(AuthenticatorFaults faults)
    {
        if (!Options.UserPresent && !faults.HasFlag(AuthenticatorFaults.UserPresenceFlagWithoutUser))
        {
            throw new CtapException(CtapStatus.UserActionTimeout, "the user did not touch the authenticator");
        }
    }

    private byte UserFlags(bool verificationRequested, AuthenticatorFaults faults, bool presenceRequested = true)
    {
        if (verificationRequested && !Options.UserVerified && !faults.HasFlag(AuthenticatorFaults.UserVerificationFlagWithoutUser))
        {
            throw new CtapException(CtapStatus.OperationDenied, "user verification failed");
        }
        byte flags = 0;
        if (presenceRequested)
        {
            RequireUserPresence(faults);
            flags = faults.HasFlag(AuthenticatorFaults.UserPresenceFlagCleared) ? (byte)0 : AuthenticatorDataBuilder.UserPresent;
        }
        bool verified = verificationRequested && Options.UserVerified;
        if (verified || faults.HasFlag(AuthenticatorFaults.UserVerificationFlagWithoutUser))
        {
            flags |= AuthenticatorDataBuilder.UserVerified;
        }
        return flags;
    }

    private byte BackupFlags(StoredCredential credential) =>
        (byte)((credential.BackupEligible ? AuthenticatorDataBuilder.BackupEligible : 0)
             | (Options.BackupState ? AuthenticatorDataBuilder.BackupState : 0));

    private uint NextSignCount(StoredCredential credential, AuthenticatorFaults faults)
    {
        if (Options.Counter == SignCounterMode.AlwaysZero)
        {
            if (faults.HasFlag(AuthenticatorFaults.CounterRollback))
            {
                throw new InvalidOperationException("CounterRollback needs SignCounterMode.PerCredential: a constant 0 cannot roll back");
            }
            return 0;
        }
        lock (credential.SyncRoot)
        {
            if (faults.HasFlag(AuthenticatorFaults.CounterRollback))
            {
                return credential.SignCount - 1;
            }
            return ++credential.SignCount;
        }
    }

    private static byte[] SignedClientDataHash(byte[] clientDataHash, AuthenticatorFaults faults)
    {
        byte[] copy = (byte[])clientDataHash.Clone();
        if (faults.HasFlag(AuthenticatorFaults.SignatureOverWrongBytes))
        {
            copy[^1] ^= 0xFF;
        }
        return copy;
    }

    private static byte[] Altered(byte[] id)
    {
        byte[] copy = (byte[])id.Clone();
        copy[^1] ^= 0xFF;
        return copy;
    }
}
