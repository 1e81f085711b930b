using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// A software WebAuthn client (the browser role): takes the options JSON a server sends, runs
/// navigator.credentials.create()/get() against a <see cref="SoftwareAuthenticator"/>, and returns
/// the JSON a browser's PublicKeyCredential.toJSON() would. Failures are
/// <see cref="WebAuthnClientException"/>s named as the browser's DOMException.
/// </summary>
/// <remarks>
/// WebAuthn Level 3 §5.1.3 (create) and §5.1.4 (get): https://www.w3.org/TR/webauthn-3/.
/// NOTE: the attestation conveyance preference is not applied: the authenticator's statement is
/// passed through unchanged (Chrome would replace it with "none" when asked for none), so that a
/// test chooses the format on the authenticator and faults in it survive. Hints are advisory in
/// the spec and, with one authenticator to choose from, change nothing here. The appid extension
/// (§10.1.1) is supported when authenticating and appidExclude (§10.1.2) when creating (see
/// <see cref="AppIdValidator"/> for how the AppID is checked).
/// </remarks>
public sealed class SoftwareClient
{
    private readonly Lock _lock = new();
    private string? _lastRegistration;
    private string? _lastAuthentication;

    /// <summary>Creates a client for a page at <paramref name="options"/>.Origin using <paramref name="authenticator"/>.</summary>
    public SoftwareClient(SoftwareAuthenticator authenticator, SoftwareClientOptions options)
    {
        Authenticator = authenticator ?? throw new ArgumentNullException(nameof(authenticator));
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The authenticator this client talks to.</summary>
    public SoftwareAuthenticator Authenticator { get; }

    /// <summary>The page's origin, the user's behaviour and the fault switches.</summary>
    public SoftwareClientOptions Options { get; }

    private string Attachment => Authenticator.Options.Attachment == AuthenticatorAttachmentKind.Platform ? "platform" : "cross-platform";

    /// <summary>navigator.credentials.create(): PublicKeyCredentialCreationOptionsJSON in, RegistrationResponseJSON out.</summary>
    /// <exception cref="WebAuthnClientException">As a browser would reject the call.</exception>
    public Task<string> CreateAsync(string optionsJson, CancellationToken cancellationToken = default) =>
        CreateAsync(optionsJson, CredentialMediation.Optional, cancellationToken);

    /// <summary>
    /// navigator.credentials.create({ mediation }): with <see cref="CredentialMediation.Conditional"/>
    /// a conditional create (a "passkey upgrade" after a password sign-in), as a browser whose
    /// password manager just filled the sign-in does it: no prompt, no wait for the user, and the
    /// authenticator is asked with up=false, so the UP flag comes back clear (WebAuthn L3 §5.1.3).
    /// </summary>
    /// <exception cref="WebAuthnClientException">As a browser would reject the call.</exception>
    public async Task<string> CreateAsync(string optionsJson, CredentialMediation mediation, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mediation))
        {
            throw new ArgumentOutOfRangeException(nameof(mediation), mediation, "not a CredentialMediation for create");
        }
        bool conditional = mediation == CredentialMediation.Conditional;
        if (Options.Faults.HasFlag(ClientFaults.Replay))
        {
            return Replay(_lastRegistration, "registration");
        }
        using var document = OptionsReader.Parse(optionsJson);
        var options = OptionsReader.Root(document);

        // §5.1.3 steps 6–8: origin and RP ID (for an app: the RP ID's Digital Asset Links instead).
        var rp = OptionsReader.RequiredObject(options, "rp");
        string rpId = await ValidateRpIdAsync(OptionsReader.String(rp, "id"), cancellationToken).ConfigureAwait(false);

        var user = OptionsReader.RequiredObject(options, "user");
        byte[] userId = OptionsReader.RequiredBytes(user, "id");
        if (userId.Length is < 1 or > 64)
        {
            throw OptionsReader.TypeError($"user.id must be 1 to 64 bytes, not {userId.Length}");
        }
        byte[] challenge = OptionsReader.RequiredBytes(options, "challenge");

        // Step 10: pubKeyCredParams, "public-key" only; empty means ES256 then RS256.
        var algorithms = new List<int>();
        bool anyParams = false;
        foreach (var p in OptionsReader.Array(options, "pubKeyCredParams"))
        {
            anyParams = true;
            if (OptionsReader.String(p, "type") == "public-key" && OptionsReader.Member(p, "alg") is { ValueKind: JsonValueKind.Number } alg && alg.TryGetInt32(out int a))
            {
                algorithms.Add(a);
            }
        }
        if (!anyParams)
        {
            algorithms.AddRange([SupportedAlgorithms.ES256, SupportedAlgorithms.RS256]);
        }
        else if (algorithms.Count == 0)
        {
            throw new WebAuthnClientException(WebAuthnClientException.NotSupportedError, "no pubKeyCredParams entry is of type public-key");
        }

        // Authenticator selection: attachment filters; residentKey (or L2 requireResidentKey) and userVerification map to options.
        var selection = OptionsReader.Member(options, "authenticatorSelection") ?? default;
        string? attachment = selection.ValueKind == JsonValueKind.Object ? OptionsReader.String(selection, "authenticatorAttachment") : null;
        RequireAttachment(attachment);
        string? residentKey = selection.ValueKind == JsonValueKind.Object ? OptionsReader.String(selection, "residentKey") : null;
        bool requireResidentKey = selection.ValueKind == JsonValueKind.Object && OptionsReader.Boolean(selection, "requireResidentKey");
        residentKey = residentKey is "required" or "preferred" or "discouraged" ? residentKey : (requireResidentKey ? "required" : "discouraged");
        bool rk = residentKey != "discouraged"; // this authenticator can always store a discoverable credential
        bool uv = UserVerificationOption(selection.ValueKind == JsonValueKind.Object ? OptionsReader.String(selection, "userVerification") : null);

        // Extensions: credProps and appidExclude (client), credProtect (authenticator).
        var extensions = OptionsReader.Member(options, "extensions") ?? default;
        bool credProps = extensions.ValueKind == JsonValueKind.Object && OptionsReader.Boolean(extensions, "credProps");
        // §10.1.2 client processing step 1: the AppID must be one this origin may claim, as for appid.
        string? appIdExclude = extensions.ValueKind == JsonValueKind.Object ? OptionsReader.String(extensions, "appidExclude") : null;
        if (appIdExclude is not null)
        {
            // An app's origin has no domain: EffectiveDomain refuses it (SecurityError), as AppIDs are web-only.
            AppIdValidator.Validate(appIdExclude, RpIdValidator.EffectiveDomain(Options.Origin));
        }
        int? credProtect = extensions.ValueKind == JsonValueKind.Object
            ? OptionsReader.String(extensions, "credentialProtectionPolicy") switch
            {
                "userVerificationOptional" => 1,
                "userVerificationOptionalWithCredentialIDList" => 2,
                "userVerificationRequired" => 3,
                _ => null,
            }
            : null;

        byte[] clientDataJson = ClientData("webauthn.create", challenge);
        if (conditional)
        {
            // No prompt to wait for; an aborted signal still aborts.
            if (cancellationToken.IsCancellationRequested)
            {
                throw new WebAuthnClientException(WebAuthnClientException.AbortError, "the ceremony was aborted");
            }
        }
        else
        {
            await WaitForUser(OptionsReader.Timeout(options), cancellationToken).ConfigureAwait(false);
        }

        byte[] clientDataHash = SHA256.HashData(clientDataJson);
        var excludeList = OptionsReader.Descriptors(options, "excludeCredentials");
        MakeCredentialResponse response;
        try
        {
            if (appIdExclude is not null)
            {
                ExcludeU2fCredentials(appIdExclude, excludeList, clientDataHash, algorithms);
            }
            response = Authenticator.MakeCredential(new MakeCredentialRequest
            {
                ClientDataHash = clientDataHash,
                Rp = new RelyingPartyEntity(rpId, OptionsReader.String(rp, "name")),
                User = new UserEntity(userId, OptionsReader.String(user, "name"), OptionsReader.String(user, "displayName")),
                PubKeyCredParams = algorithms,
                ExcludeList = excludeList,
                ResidentKey = rk,
                UserVerification = uv,
                UserPresence = !conditional,
                CredProtect = credProtect,
            });
        }
        catch (CtapException e)
        {
            throw Translate(e);
        }

        // §10.1.2 client extension output: true, the extension was acted upon.
        string json = ResponseJsonWriter.Registration(
            Attachment, credProps ? response.Discoverable : null, response.CredentialId, response.AttestationObject,
            response.AuthenticatorData, clientDataJson, response.SubjectPublicKeyInfo, response.Algorithm,
            Authenticator.Options.EffectiveTransports, appIdExclude is not null ? true : null);
        lock (_lock)
        {
            _lastRegistration = json;
        }
        return json;
    }

    /// <summary>navigator.credentials.get(): PublicKeyCredentialRequestOptionsJSON in, AuthenticationResponseJSON out.</summary>
    /// <exception cref="WebAuthnClientException">As a browser would reject the call.</exception>
    public async Task<string> GetAsync(string optionsJson, CancellationToken cancellationToken = default)
    {
        if (Options.Faults.HasFlag(ClientFaults.Replay))
        {
            return Replay(_lastAuthentication, "authentication");
        }
        using var document = OptionsReader.Parse(optionsJson);
        var options = OptionsReader.Root(document);

        // §5.1.4.1 steps 6–8: origin and RP ID (for an app: the RP ID's Digital Asset Links instead).
        string rpId = await ValidateRpIdAsync(OptionsReader.String(options, "rpId"), cancellationToken).ConfigureAwait(false);

        byte[] challenge = OptionsReader.RequiredBytes(options, "challenge");
        var allowList = OptionsReader.Descriptors(options, "allowCredentials");
        bool uv = UserVerificationOption(OptionsReader.String(options, "userVerification"));

        // Extensions: appid (§10.1.1), a client extension. The AppID must be one this origin may claim.
        var extensions = OptionsReader.Member(options, "extensions") ?? default;
        string? appId = extensions.ValueKind == JsonValueKind.Object ? OptionsReader.String(extensions, "appid") : null;
        if (appId is not null)
        {
            // An app's origin has no domain: EffectiveDomain refuses it (SecurityError), as AppIDs are web-only.
            AppIdValidator.Validate(appId, RpIdValidator.EffectiveDomain(Options.Origin));
        }

        byte[] clientDataJson = ClientData("webauthn.get", challenge);
        await WaitForUser(OptionsReader.Timeout(options), cancellationToken).ConfigureAwait(false);

        GetAssertionResponse response;
        bool appIdUsed = false;
        try
        {
            response = GetAssertion(rpId, clientDataJson, allowList, uv);
        }
        catch (CtapException e) when (e.Status == CtapStatus.NoCredentials && appId is not null && allowList.Count > 0)
        {
            // §10.1.1 step 4: no allowed credential is scoped to the RP ID, so ask again with the
            // AppID in its place, as a browser re-probes a U2F device with SHA-256(appId) as the
            // application parameter. Only listed credentials: U2F credentials are not discoverable.
            try
            {
                response = GetAssertion(appId, clientDataJson, allowList, uv);
                appIdUsed = true;
            }
            catch (CtapException retry)
            {
                throw Translate(retry);
            }
        }
        catch (CtapException e)
        {
            throw Translate(e);
        }

        string json = ResponseJsonWriter.Authentication(
            Attachment, response.CredentialId, response.AuthenticatorData, clientDataJson, response.Signature, response.UserHandle,
            appId is not null ? appIdUsed : null);
        lock (_lock)
        {
            _lastAuthentication = json;
        }
        return json;
    }

    /// <summary>
    /// §10.1.2 client processing step 2, right before authenticatorMakeCredential: is any
    /// excludeCredentials entry a credential this authenticator registered under the AppID (through
    /// U2F, so its RP ID hash is SHA-256 of the AppID)? A browser asks a U2F device with a
    /// "check-only" U2F_AUTHENTICATE and a CTAP2 device with a silent getAssertion (up=false); this
    /// authenticator speaks CTAP2, so the latter.
    /// </summary>
    /// <exception cref="CtapException">CredentialExcluded after the user's touch when such a credential is held.</exception>
    private void ExcludeU2fCredentials(string appId, List<byte[]> excludeList, byte[] clientDataHash, IReadOnlyList<int> algorithms)
    {
        if (excludeList.Count == 0)
        {
            return;
        }
        try
        {
            Authenticator.GetAssertion(new GetAssertionRequest
            {
                RpId = appId,
                ClientDataHash = clientDataHash,
                AllowList = excludeList,
                UserPresence = false,
            });
        }
        catch (CtapException e) when (e.Status == CtapStatus.NoCredentials)
        {
            return; // none is held: continue with normal processing
        }
        // Held. The spec leaves it to the client to mark the authenticator inapplicable, e.g. by
        // getting the user's consent from it and then failing as if it had returned
        // InvalidStateError. Here the touch is collected with a makeCredential that is sure to be
        // excluded (the AppID as RP ID, the excluded ids): the authenticator waits for the
        // user, creates nothing and answers CREDENTIAL_EXCLUDED, exactly as for a passkey listed in
        // excludeCredentials; no touch is a timeout (NotAllowedError) in both cases too.
        Authenticator.MakeCredential(new MakeCredentialRequest
        {
            ClientDataHash = clientDataHash,
            Rp = new RelyingPartyEntity(appId),
            User = new UserEntity([0]),
            PubKeyCredParams = algorithms,
            ExcludeList = excludeList,
        });
        throw new InvalidOperationException("the authenticator created a credential under an AppID whose credential it holds");
    }

    // A web page: the RP ID must be its origin's domain or a registrable suffix. An Android app has no
    // domain; Credential Manager lets it use an RP ID whose assetlinks.json names it.
    private async Task<string> ValidateRpIdAsync(string? requested, CancellationToken cancellationToken)
    {
        if (Options.AndroidApp is { } app)
        {
            await AssetLinksValidator.ValidateAsync(app, requested, cancellationToken).ConfigureAwait(false);
            return requested!;
        }
        string effectiveDomain = RpIdValidator.EffectiveDomain(Options.Origin);
        string rpId = requested ?? effectiveDomain;
        RpIdValidator.Validate(rpId, effectiveDomain);
        return rpId;
    }

    private GetAssertionResponse GetAssertion(string rpId, byte[] clientDataJson, List<byte[]> allowList, bool uv) =>
        Authenticator.GetAssertion(new GetAssertionRequest
        {
            RpId = rpId,
            ClientDataHash = SHA256.HashData(clientDataJson),
            AllowList = allowList,
            UserVerification = uv,
        });

    private byte[] ClientData(string type, byte[] challenge)
    {
        var faults = Options.Faults;
        if (faults.HasFlag(ClientFaults.WrongType))
        {
            type = type == "webauthn.create" ? "webauthn.get" : "webauthn.create";
        }
        if (faults.HasFlag(ClientFaults.AlteredChallenge))
        {
            challenge = (byte[])challenge.Clone();
            challenge[0] ^= 0xFF;
        }
        string origin = faults.HasFlag(ClientFaults.WrongOrigin) ? "https://evil.example" : Options.Origin;
        bool crossOrigin = Options.TopOrigin is not null && !string.Equals(Options.TopOrigin, Options.Origin, StringComparison.OrdinalIgnoreCase);
        return CollectedClientDataWriter.Serialize(type, Base64UrlStrict.Encode(challenge), origin, crossOrigin, crossOrigin ? Options.TopOrigin : null);
    }

    private void RequireAttachment(string? requested)
    {
        if (requested is "platform" or "cross-platform" && requested != Attachment)
        {
            throw new WebAuthnClientException(WebAuthnClientException.NotAllowedError, $"no {requested} authenticator is available");
        }
    }

    // userVerification "required" needs a device that can verify; "preferred" (the default) asks
    // for it when the device can; "discouraged" never asks.
    private bool UserVerificationOption(string? requirement)
    {
        bool supported = Authenticator.Options.SupportsUserVerification;
        switch (requirement)
        {
            case "required":
                return supported ? true : throw new WebAuthnClientException(WebAuthnClientException.NotAllowedError, "user verification is required and the authenticator cannot verify users");
            case "discouraged":
                return false;
            default:
                return supported;
        }
    }

    private async Task WaitForUser(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var delay = Options.UserResponseDelay;
        if (cancellationToken.IsCancellationRequested)
        {
            throw new WebAuthnClientException(WebAuthnClientException.AbortError, "the ceremony was aborted");
        }
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        try
        {
            await Task.Delay(delay < timeout ? delay : timeout, Options.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw new WebAuthnClientException(WebAuthnClientException.AbortError, "the ceremony was aborted", e);
        }
        if (delay >= timeout)
        {
            // Browsers report a timeout as NotAllowedError (§5.1.3 step 22, lifetimeTimer expiry).
            throw new WebAuthnClientException(WebAuthnClientException.NotAllowedError, $"the ceremony timed out after {timeout.TotalMilliseconds} ms");
        }
    }

    private string Replay(string? previous, string kind)
    {
        lock (_lock)
        {
            return previous ?? throw new InvalidOperationException($"ClientFaults.Replay needs an earlier {kind} response to replay");
        }
    }

    private static WebAuthnClientException Translate(CtapException e) => e.Status switch
    {
        CtapStatus.CredentialExcluded => new WebAuthnClientException(WebAuthnClientException.InvalidStateError, "the authenticator already holds a credential in excludeCredentials", e),
        // The authenticator's reason (e.g. a TPM has no Ed25519 keys) is what the caller can act on.
        CtapStatus.UnsupportedAlgorithm => new WebAuthnClientException(WebAuthnClientException.NotSupportedError, "the authenticator supports none of the requested algorithms: " + e.Message, e),
        _ => new WebAuthnClientException(WebAuthnClientException.NotAllowedError, "The operation either timed out or was not allowed: " + e.Message, e),
    };
}
