using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;
using Passkeys.Protocol;

namespace Passkeys.Cli;

/// <summary>What `passkeys inspect` judges an attestation against, beyond decoding it.</summary>
/// <param name="TrustAnchorFiles">PEM files of roots to accept (--trust).</param>
/// <param name="MetadataFile">A FIDO MDS3 BLOB (--metadata), verified against <paramref name="MetadataRootFile"/>.</param>
/// <param name="MetadataRootFile">The PEM root the BLOB must chain to (--root).</param>
/// <param name="At">ISO 8601 time to verify certificates and the BLOB at (--at); now when null.</param>
internal sealed record InspectOptions(IReadOnlyList<string> TrustAnchorFiles, string? MetadataFile = null, string? MetadataRootFile = null, string? At = null)
{
    public static InspectOptions None { get; } = new([]);

    public bool JudgesTrust => TrustAnchorFiles.Count > 0 || MetadataFile is not null;
}

/// <summary>
/// The part of `inspect` that verifies a registration's attestation: the format's statement
/// verification (WebAuthn L3 §8), then, when anchors are given, the trust judgement (REG-23/24)
/// with configured roots and FIDO metadata; the authenticator's name and metadata status.
/// </summary>
internal sealed class AttestationReport
{
    private readonly InspectOptions _options;
    private readonly TimeProvider _time;
    private readonly List<X509Certificate2> _anchors = [];
    private readonly MetadataBlob? _metadata;

    /// <exception cref="CliException">A trust anchor or the metadata root cannot be read.</exception>
    /// <exception cref="PasskeyException">The metadata BLOB does not verify.</exception>
    public AttestationReport(InspectOptions options)
    {
        _options = options;
        _time = MetadataCommand.Clock(options.At);
        foreach (string file in options.TrustAnchorFiles)
        {
            try
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(MetadataCommand.ReadFile(file));
                if (collection.Count == 0)
                {
                    throw new CliException($"{file}: no PEM certificate in it");
                }
                _anchors.AddRange(collection);
            }
            catch (CryptographicException e)
            {
                throw new CliException($"{file}: not a PEM certificate: {e.Message}", e);
            }
        }
        if (options.MetadataFile is not null)
        {
            _metadata = MetadataCommand.Load(MetadataCommand.ReadFile(options.MetadataFile), options.MetadataRootFile, options.At, allowStale: false);
        }
    }

    /// <summary>Verifies and judges; returns false when the statement or its trust path fails.</summary>
    public bool Write(AttestationObject attestation, byte[]? clientDataHash, TextWriter o)
    {
        bool ok = true;
        o.WriteLine("attestation:");
        var aaguid = attestation.AuthenticatorData.AttestedCredentialData?.Aaguid ?? Guid.Empty;
        AttestationStatementResult? statement = null;
        if (clientDataHash is null)
        {
            Line(o, "statement", "not verified: a bare attestationObject has no clientDataJSON to hash");
        }
        else
        {
            try
            {
                var verifier = AttestationStatementVerifiers.Default.Get(attestation.Format);
                statement = verifier.Verify(new AttestationStatementInput(attestation.Format, attestation.Statement, attestation.AuthenticatorData,
                    clientDataHash, new AttestationVerificationOptions(), _time));
                Line(o, "statement", $"verified ({attestation.Format})");
                Line(o, "attestation type", statement.Type.ToString());
                for (int i = 0; i < statement.Components.Count; i++)
                {
                    Line(o, $"  component {i}", $"{statement.Components[i].Format} {statement.Components[i].Type}");
                }
            }
            catch (PasskeyException e)
            {
                Line(o, "statement", $"NOT verified: {e.Error} ({e.Code}): {e.Detail}");
                ok = false;
            }
        }

        var entry = statement is null ? (aaguid == Guid.Empty ? null : _metadata?.Find(aaguid))
            : MetadataTrustAnchorProvider.FindEntry(_metadata, attestation.AuthenticatorData, statement);
        Line(o, "authenticator", AuthenticatorNames.Find(aaguid, _metadata) ?? entry?.Description ?? "(unknown)");
        if (_metadata is not null)
        {
            Line(o, "metadata", entry is null ? $"no entry in BLOB no. {_metadata.Number}" : $"BLOB no. {_metadata.Number}: {entry.Description}");
            if (entry?.LatestStatus is { } status)
            {
                string date = status.EffectiveDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(no date)";
                Line(o, "metadata status", $"{status.Status} {date}{(MetadataCommand.BadStatuses.Contains(status.Status) ? "  (do not trust this authenticator)" : "")}");
            }
        }

        if (statement is null)
        {
            return ok;
        }
        if (!_options.JudgesTrust)
        {
            Line(o, "trust", "not judged (give --trust PEM or --metadata BLOB --root PEM)");
            return ok;
        }
        var provider = _metadata is null ? null : new MetadataTrustAnchorProvider(_metadata);
        var trust = new AttestationTrust(_anchors, provider, _time).Evaluate(attestation.AuthenticatorData, statement);
        Line(o, "trust", $"{trust.Status}: {trust.Detail}");
        return ok && trust.Status != AttestationTrustStatus.Untrusted;
    }

    private static void Line(TextWriter o, string name, string value) => o.WriteLine($"{"  " + name + ":",-26}{value}");
}
