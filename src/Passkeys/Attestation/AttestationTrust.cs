using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Protocol;

namespace Passkeys.Attestation;

/// <summary>Outcome of judging an attestation's trust path (REG-24).</summary>
public enum AttestationTrustStatus
{
    /// <summary>The trust path chains to a configured anchor (or its leaf is one).</summary>
    Trusted,
    /// <summary>Anchors were available for this statement and the trust path does not chain to any of them.</summary>
    Untrusted,
    /// <summary>The statement has a trust path but no anchors are configured for it: verified, not trusted.</summary>
    NoAnchors,
    /// <summary>None or self attestation: there is no trust path to judge.</summary>
    NoTrustPath,
}

/// <summary>The trust judgement of one attestation statement.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Anchor">The anchor the path chained to, when trusted.</param>
/// <param name="Detail">What was checked and, when not trusted, why.</param>
public sealed record AttestationTrustResult(AttestationTrustStatus Status, X509Certificate2? Anchor, string Detail)
{
    /// <summary>Whether the attestation is trusted.</summary>
    public bool IsTrusted => Status == AttestationTrustStatus.Trusted;
}

/// <summary>
/// REG-23 and REG-24: collects acceptable trust anchors for a statement (configured roots plus any
/// from an <see cref="ITrustAnchorProvider"/> such as FIDO metadata) and validates the statement's
/// trust path against them with <see cref="X509Chain"/> in custom-root mode, at the time given by
/// the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Certificates from x5c only ever go into the chain's extra store: a self-signed certificate in x5c
/// is never trusted unless it is itself a configured anchor (the class of bug in SimpleWebAuthn
/// GHSA-6hxq-p678-4hr2). Certificate downloads are disabled, so nothing an attacker names in a
/// certificate is fetched. Revocation is not checked unless asked for.
/// </remarks>
public sealed class AttestationTrust
{
    private readonly IReadOnlyList<X509Certificate2> _anchors;
    private readonly ITrustAnchorProvider? _provider;
    private readonly TimeProvider _time;
    private readonly X509RevocationMode _revocation;

    /// <summary>Creates a trust evaluator.</summary>
    /// <param name="anchors">Roots (or leaf certificates) accepted for every statement.</param>
    /// <param name="provider">Further anchors per statement (e.g. metadata by AAGUID); optional.</param>
    /// <param name="timeProvider">The clock certificates are validated at.</param>
    /// <param name="checkRevocation">Check revocation online; off by default (no network in most deployments' attestation path).</param>
    public AttestationTrust(IEnumerable<X509Certificate2> anchors, ITrustAnchorProvider? provider = null, TimeProvider? timeProvider = null, bool checkRevocation = false)
    {
        _anchors = [.. anchors];
        _provider = provider;
        _time = timeProvider ?? TimeProvider.System;
        _revocation = checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
    }

    /// <summary>REG-23 + REG-24: judges <paramref name="statement"/>.</summary>
    public AttestationTrustResult Evaluate(AuthenticatorData authenticatorData, AttestationStatementResult statement)
    {
        if (statement.Components.Count > 0)
        {
            return EvaluateCompound(authenticatorData, statement);
        }
        if (statement.TrustPath.Count == 0)
        {
            return new(AttestationTrustStatus.NoTrustPath, null, $"{statement.Type} attestation has no trust path");
        }

        // REG-23: obtain acceptable trust anchors for this statement.
        var anchors = new List<X509Certificate2>(_anchors);
        if (_provider is not null)
        {
            anchors.AddRange(_provider.GetTrustAnchors(authenticatorData, statement));
        }
        if (anchors.Count == 0)
        {
            return new(AttestationTrustStatus.NoAnchors, null, "no trust anchors are configured for this authenticator");
        }

        // REG-24: the leaf itself may be an anchor.
        var leaf = statement.TrustPath[0];
        foreach (var anchor in anchors)
        {
            if (leaf.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span))
            {
                return new(AttestationTrustStatus.Trusted, anchor, "the attestation certificate is itself a configured anchor");
            }
        }

        var start = leaf;
        if (UnreadableLeafLink.Applies(leaf))
        {
            // The platform cannot read the leaf's (ML-DSA) key, so it cannot start a chain there: check
            // the leaf → issuer link here, then let the platform judge the chain from the issuer.
            var at = _time.GetUtcNow().UtcDateTime;
            var issuer = UnreadableLeafLink.FindIssuer(leaf, [.. statement.TrustPath.Skip(1), .. anchors], at, out string problem);
            if (issuer is null)
            {
                return new(AttestationTrustStatus.Untrusted, null, $"the trust path does not chain to any of {anchors.Count} anchor(s) at {at:O}: {problem}");
            }
            if (anchors.FirstOrDefault(a => a.RawDataMemory.Span.SequenceEqual(issuer.RawDataMemory.Span)) is { } direct)
            {
                // As the platform's chain would: an anchor counts only while it is valid itself.
                return at < direct.NotBefore.ToUniversalTime() || at > direct.NotAfter.ToUniversalTime()
                    ? new(AttestationTrustStatus.Untrusted, null, $"the anchor '{direct.Subject}' that issued the leaf is not valid at {at:O}")
                    : new(AttestationTrustStatus.Trusted, direct, $"issued by the anchor '{direct.Subject}'");
            }
            start = issuer;
        }
        return BuildChain(start, statement.TrustPath.Skip(1), anchors);
    }

    /// <summary>REG-24: the platform's chain from <paramref name="start"/> to one of <paramref name="anchors"/>.</summary>
    private AttestationTrustResult BuildChain(X509Certificate2 start, IEnumerable<X509Certificate2> intermediates, List<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors.ToArray());
        foreach (var intermediate in intermediates)
        {
            policy.ExtraStore.Add(intermediate);
        }
        policy.RevocationMode = _revocation;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        policy.VerificationTimeIgnored = false;

        bool built;
        try
        {
            built = chain.Build(start);
        }
        catch (CryptographicException e)
        {
            // The platform gave up on a certificate it cannot parse (a key algorithm it does not know):
            // that path cannot be shown to reach an anchor, which is a verdict, not a server error.
            return new(AttestationTrustStatus.Untrusted, null, $"the platform cannot evaluate the trust path from '{start.Subject}': {e.Message}");
        }
        if (built)
        {
            var root = chain.ChainElements[^1].Certificate;
            return new(AttestationTrustStatus.Trusted, root, $"chains to '{root.Subject}'");
        }
        var problems = new List<string>();
        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                problems.Add($"{element.Certificate.Subject}: {status.Status}");
            }
        }
        return new(AttestationTrustStatus.Untrusted, null,
            $"the trust path does not chain to any of {anchors.Count} anchor(s) at {policy.VerificationTime:O}: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// A compound statement (§8.9) is judged per component: any untrusted component makes the whole
    /// untrusted; it is trusted when every component with a trust path is.
    /// </summary>
    private AttestationTrustResult EvaluateCompound(AuthenticatorData authenticatorData, AttestationStatementResult statement)
    {
        var results = statement.Components.Select(c => Evaluate(authenticatorData, c)).ToList();
        string detail = string.Join("; ", results.Select((r, i) => $"[{i}] {statement.Components[i].Format}: {r.Status}"));
        if (results.FirstOrDefault(r => r.Status == AttestationTrustStatus.Untrusted) is { } untrusted)
        {
            return new(AttestationTrustStatus.Untrusted, null, $"compound: {detail}; {untrusted.Detail}");
        }
        var withPath = results.Where(r => r.Status != AttestationTrustStatus.NoTrustPath).ToList();
        if (withPath.Count == 0)
        {
            return new(AttestationTrustStatus.NoTrustPath, null, $"compound: {detail}");
        }
        return withPath.All(r => r.IsTrusted)
            ? new(AttestationTrustStatus.Trusted, withPath[0].Anchor, $"compound: {detail}")
            : new(AttestationTrustStatus.NoAnchors, null, $"compound: {detail}");
    }
}
