using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>
/// The relying party: begins and finishes the two WebAuthn Level 3 ceremonies. Thread-safe; create
/// one per RP configuration and share it.
/// </summary>
/// <remarks>
/// <para>Begin returns the options JSON for the browser and a state the caller keeps server-side;
/// Finish takes the browser's response JSON and that state and returns a typed result or throws
/// <see cref="PasskeyException"/>. The verification steps live in RelyingParty.Registration.cs (§7.1)
/// and RelyingParty.Authentication.cs (§7.2), in spec order, labelled with the step ids of
/// webauthn-l3-steps.md.</para>
/// </remarks>
public sealed partial class RelyingParty
{
    private readonly RelyingPartyOptions _options;
    private readonly TimeProvider _time;
    private readonly OriginPolicy _origins;
    private readonly byte[] _rpIdHash;
    private readonly AttestationTrust _trust;
    private readonly PublicKeyCache _keys;

    /// <summary>Creates a relying party, validating <paramref name="options"/>.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidConfiguration"/> naming the bad setting.</exception>
    public RelyingParty(RelyingPartyOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _origins = new OriginPolicy(options.Origins, options.AllowedTopOrigins);
        _rpIdHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.RpId));
        _trust = new AttestationTrust(options.TrustAnchors, options.TrustAnchorProvider, _time, options.CheckAttestationRevocation);
        _keys = new PublicKeyCache(options.PublicKeyCacheSize);
    }

    /// <summary>The configuration in force.</summary>
    public RelyingPartyOptions Options => _options;

    /// <summary>REG-01: prepares creation options for a new credential and the state to check the response against.</summary>
    public RegistrationCeremony BeginRegistration(RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = request.User ?? throw new ArgumentException("User is required", nameof(request));
        if (user.Id is not { Length: >= 1 and <= 64 })
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, "the user handle must be 1 to 64 bytes (WebAuthn L3 §5.4.3)");
        }
        var residentKey = request.ResidentKey ?? _options.ResidentKey;
        var uv = request.UserVerification ?? _options.UserVerification;
        byte[] challenge = RandomNumberGenerator.GetBytes(_options.ChallengeSize);
        var extensions = BuildRegistrationExtensions(request.Extensions);

        var options = new CredentialCreationOptionsJson
        {
            Rp = new RelyingPartyEntityJson { Id = _options.RpId, Name = _options.RpName },
            User = new UserEntityJson { Id = user.Id, Name = user.Name, DisplayName = user.DisplayName },
            Challenge = challenge,
            PubKeyCredParams = [.. _options.Algorithms.Select(a => new CredentialParametersJson { Alg = (int)a })],
            Timeout = (uint)_options.Timeout.TotalMilliseconds,
            ExcludeCredentials = [.. request.ExcludeCredentials.Select(ToDescriptor)],
            AuthenticatorSelection = new AuthenticatorSelectionJson
            {
                AuthenticatorAttachment = request.Attachment,
                ResidentKey = residentKey,
                RequireResidentKey = residentKey == ResidentKeyRequirement.Required,
                UserVerification = uv,
            },
            Hints = [.. request.Hints],
            Attestation = request.Attestation ?? _options.Attestation,
            Extensions = extensions.Count == 0 ? null : extensions,
        };
        var state = new RegistrationState
        {
            Challenge = challenge,
            RpId = _options.RpId,
            UserId = user.Id,
            UserName = user.Name,
            DisplayName = user.DisplayName,
            UserVerification = uv,
            Algorithms = [.. _options.Algorithms.Select(a => (int)a)],
            ConditionalCreate = request.ConditionalCreate,
            Extensions = request.Extensions,
            ExpiresAt = _time.GetUtcNow() + _options.Timeout,
        };
        return new RegistrationCeremony(options, state);
    }

    /// <summary>AUTH-01: prepares request options and the state to check the assertion against.</summary>
    public AuthenticationCeremony BeginAuthentication(AuthenticationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uv = request.UserVerification ?? _options.UserVerification;
        byte[] challenge = RandomNumberGenerator.GetBytes(_options.ChallengeSize);
        byte[]? transactionHash = null;
        if (request.TransactionPayload is { } payload)
        {
            // Step-up: the challenge is random ‖ SHA-256(payload), so the authenticator's signature
            // covers the hash of what the user was shown.
            transactionHash = SHA256.HashData(payload);
            challenge = [.. challenge, .. transactionHash];
        }
        Dictionary<string, JsonElement>? extensions = null;
        if (request.AppId is { } appId)
        {
            // A misconfigured AppID fails here, not as a SecurityError in every browser (§10.1.1 step 3).
            AppIdRule.Validate(appId, _options.RpId, "appid");
            extensions = new() { ["appid"] = JsonSerializer.SerializeToElement(appId, ExtensionJsonContext.Default.String) };
        }
        var options = new CredentialRequestOptionsJson
        {
            Challenge = challenge,
            Timeout = (uint)_options.Timeout.TotalMilliseconds,
            RpId = _options.RpId,
            AllowCredentials = [.. request.AllowCredentials.Select(ToDescriptor)],
            UserVerification = uv,
            Hints = [.. request.Hints],
            Extensions = extensions,
        };
        var state = new AuthenticationState
        {
            Challenge = challenge,
            RpId = _options.RpId,
            UserHandle = request.UserHandle,
            AllowCredentials = [.. request.AllowCredentials.Select(c => Base64UrlStrict.Encode(c.Id))],
            UserVerification = uv,
            TransactionHash = transactionHash,
            AppId = request.AppId,
            ExpiresAt = _time.GetUtcNow() + _options.Timeout,
        };
        return new AuthenticationCeremony(options, state);
    }

    /// <summary>
    /// SHA-256 of <paramref name="rpId"/> (REG-14, AUTH-15). Every state names the configured RP ID,
    /// whose hash is computed once at construction; an AppID (or a state from another configuration)
    /// is hashed on the spot. A one-shot SHA-256 costs ~1.2 µs, a quarter of what the assertion path
    /// adds to the signature check.
    /// </summary>
    private byte[] RpIdHash(string rpId) =>
        string.Equals(rpId, _options.RpId, StringComparison.Ordinal) ? _rpIdHash : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rpId));

    private static CredentialDescriptorJson ToDescriptor(CredentialDescriptor c) =>
        new() { Id = c.Id, Transports = c.Transports is { Count: > 0 } t ? [.. t] : null };

    private Dictionary<string, JsonElement> BuildRegistrationExtensions(RegistrationExtensions e)
    {
        var ctx = ExtensionJsonContext.Default;
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (e.CredProps)
        {
            map["credProps"] = JsonSerializer.SerializeToElement(true, ctx.Boolean);
        }
        if (e.CredentialProtectionPolicy is { } level)
        {
            string policy = level switch
            {
                1 => "userVerificationOptional",
                2 => "userVerificationOptionalWithCredentialIDList",
                3 => "userVerificationRequired",
                _ => throw new PasskeyException(PasskeyError.InvalidConfiguration, $"credProtect policy must be 1, 2 or 3, not {level}"),
            };
            map["credentialProtectionPolicy"] = JsonSerializer.SerializeToElement(policy, ctx.String);
            map["enforceCredentialProtectionPolicy"] = JsonSerializer.SerializeToElement(e.EnforceCredentialProtectionPolicy, ctx.Boolean);
        }
        if (e.Prf)
        {
            map["prf"] = JsonSerializer.SerializeToElement(new Dictionary<string, string>(), ctx.DictionaryStringString);
        }
        if (e.LargeBlobSupport is { } support)
        {
            map["largeBlob"] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["support"] = support }, ctx.DictionaryStringString);
        }
        if (e.AppIdExclude is { } appIdExclude)
        {
            AppIdRule.Validate(appIdExclude, _options.RpId, "appidExclude");
            map["appidExclude"] = JsonSerializer.SerializeToElement(appIdExclude, ctx.String);
        }
        return map;
    }

    private static void Validate(RelyingPartyOptions o)
    {
        static PasskeyException Bad(string detail) => new(PasskeyError.InvalidConfiguration, detail);
        if (string.IsNullOrWhiteSpace(o.RpId) || o.RpId.Contains("://", StringComparison.Ordinal) || o.RpId.Contains(':', StringComparison.Ordinal)
            || o.RpId.Contains('/', StringComparison.Ordinal) || !string.Equals(o.RpId, o.RpId.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw Bad($"RpId '{o.RpId}' must be a lowercase domain such as 'example.com' (no scheme, port or path)");
        }
        if (string.IsNullOrWhiteSpace(o.RpName))
        {
            throw Bad("RpName is required");
        }
        if (o.Algorithms.Count == 0)
        {
            throw Bad("Algorithms is empty; offer at least ES256");
        }
        if (o.ChallengeSize is < 16 or > 64)
        {
            throw Bad($"ChallengeSize {o.ChallengeSize} must be between 16 and 64 bytes");
        }
        if (o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromHours(1))
        {
            throw Bad($"Timeout {o.Timeout} must be positive and at most an hour");
        }
        if (o.AllowedTopOrigins.Count > 0 && !o.AllowCrossOrigin)
        {
            throw Bad("AllowedTopOrigins is set but AllowCrossOrigin is false; embedding needs both");
        }
        if (o.RequireTrustedAttestation && o.TrustAnchors.Count == 0 && o.TrustAnchorProvider is null)
        {
            throw Bad("RequireTrustedAttestation needs TrustAnchors or a TrustAnchorProvider");
        }
    }
}
