using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;
using Passkeys.Attestation.Tpm;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli.Fuzzing;

/// <summary>
/// Every parser and verifier of the library as a fuzz target, seeded from a <see cref="FuzzCorpus"/>.
/// Shared by `passkeys fuzz` and the in-suite fuzz tests.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>All targets. <paramref name="metadataStatements"/> (a folder of MDS3 entries) is optional.</summary>
    public static IReadOnlyList<FuzzTarget> Create(FuzzCorpus corpus, MetadataSigner signer, string? metadataStatements = null)
    {
        var members = corpus.ResponseMembers().ToList();
        byte[][] Member(string name) => [.. members.Where(m => m.Member == name).Select(m => m.Bytes)];
        var attestationObjects = Member("attestationObject");
        var authenticatorData = Member("authenticatorData");
        var clientData = Member("clientDataJSON");
        var parsed = attestationObjects.Select(a => AttestationObject.Parse(a)).ToList();
        var coseKeys = parsed.Select(a => a.AuthenticatorData.AttestedCredentialData!.CredentialPublicKey.Encoded.ToArray())
            .Concat(corpus.Authentications.Select(a => a.Credential.PublicKey)).ToList();
        var registrationJson = corpus.Registrations.Select(r => System.Text.Encoding.UTF8.GetBytes(r.ResponseJson)).ToList();
        var authenticationJson = corpus.Authentications.Select(a => System.Text.Encoding.UTF8.GetBytes(a.ResponseJson)).ToList();
        var base64Url = members.Select(m => System.Text.Encoding.ASCII.GetBytes(Base64UrlStrict.Encode(m.Bytes))).Where(b => b.Length < 4096).ToList();
        byte[] payload = FuzzCorpus.MetadataPayload(metadataStatements);
        var jwsSeeds = new List<byte[]> { System.Text.Encoding.ASCII.GetBytes(signer.Sign(payload)) };
        var tpmPublic = new List<byte[]>();
        var tpmAttest = new List<byte[]>();
        var androidKey = new List<byte[]>();
        foreach (var attestation in parsed)
        {
            if (attestation.Statement is not CborMap statement)
            {
                continue;
            }
            if (statement["pubArea"] is CborByteString pubArea)
            {
                tpmPublic.Add(pubArea.Value.ToArray());
            }
            if (statement["certInfo"] is CborByteString certInfo)
            {
                tpmAttest.Add(certInfo.Value.ToArray());
            }
            if (attestation.Format == "android-safetynet" && statement["response"] is CborByteString response)
            {
                jwsSeeds.Add(response.Value.ToArray());
            }
            if (attestation.Format == "android-key" && statement["x5c"] is CborArray { Items.Count: > 0 } x5c && x5c.Items[0] is CborByteString der)
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der.Value.Span);
                if (certificate.Extensions[AndroidKeyDescription.Oid] is { } extension)
                {
                    androidKey.Add(extension.RawData);
                }
            }
        }
        var metadataOptions = new MetadataBlobOptions { RootCertificate = signer.Root };
        byte[] signedData = new byte[64];

        return
        [
            FuzzTarget.Bytes("cbor-lax", [.. attestationObjects, .. coseKeys], b => CborDecoder.Decode(b, CborConformance.Lax, "fuzz")),
            FuzzTarget.Bytes("cbor-ctap2", [.. attestationObjects, .. coseKeys], b => CborDecoder.Decode(b, CborConformance.Ctap2Canonical, "fuzz")),
            // The second opinion: System.Formats.Cbor must agree with us (see CborOracle.Explain for the known differences).
            FuzzTarget.Bytes("cbor-oracle", [.. attestationObjects, .. coseKeys], b =>
            {
                if (CborOracle.Disagreement(b) is { } disagreement)
                {
                    throw new OracleDisagreementException(disagreement);
                }
            }),
            FuzzTarget.Bytes("authenticator-data", authenticatorData, b => AuthenticatorData.Parse(b)),
            FuzzTarget.Bytes("attestation-object", attestationObjects, b => AttestationObject.Parse(b)),
            FuzzTarget.Bytes("cose-key", coseKeys, b => CosePublicKey.Decode(b).Verify(signedData, b.AsSpan(0, Math.Min(b.Length, 64)))),
            FuzzTarget.Bytes("client-data", clientData, b =>
            {
                try
                {
                    ClientData.Parse(b);
                }
                finally
                {
                    CollectedClientData.Parse(b);
                }
            }),
            // Hostile strings (issue 10): lone surrogates, NUL, non-UTF-8 bytes in every string and member name.
            new FuzzTarget("client-data-strings", r =>
            {
                int seed = r.Next(clientData.Length);
                return (seed, HostileStrings.Mutate(r, clientData[seed]));
            }, (_, b) =>
            {
                try
                {
                    ClientData.Parse(b);
                }
                finally
                {
                    CollectedClientData.Parse(b);
                }
            }),
            new FuzzTarget("response-strings", r =>
            {
                bool registration = r.Next(2) == 0;
                var seeds = registration ? registrationJson : authenticationJson;
                int seed = r.Next(seeds.Count);
                return (registration ? seed : -1 - seed, HostileStrings.Mutate(r, seeds[seed]));
            }, (seed, b) =>
            {
                if (seed >= 0)
                {
                    RegistrationResponse.Parse(System.Text.Encoding.UTF8.GetString(b));
                    return;
                }
                try
                {
                    AuthenticationResponse.Parse(b.AsSpan());
                }
                finally
                {
                    AuthenticationResponse.Parse(System.Text.Encoding.UTF8.GetString(b));
                }
            }),
            FuzzTarget.Bytes("registration-response", registrationJson, b => RegistrationResponse.Parse(System.Text.Encoding.UTF8.GetString(b))),
            FuzzTarget.Bytes("authentication-response", authenticationJson, b =>
            {
                try
                {
                    AuthenticationResponse.Parse(System.Text.Encoding.UTF8.GetString(b));
                }
                finally
                {
                    AuthenticationResponse.Parse(b.AsSpan());
                }
            }),
            FuzzTarget.Bytes("base64url", base64Url, b => Base64UrlStrict.Decode(System.Text.Encoding.UTF8.GetString(b), "fuzz")),
            AttestationVerifiers(corpus),
            FinishRegistration(corpus),
            FinishAuthentication(corpus),
            new FuzzTarget("metadata-blob", r =>
            {
                // Mostly a validly signed BLOB with a mutated payload (so the payload parser runs);
                // sometimes the JWT text itself mutated (header, x5c, signature framing).
                return r.Next(4) == 0
                    ? (1, Mutator.Mutate(r, jwsSeeds[0]))
                    : (0, Mutator.Mutate(r, payload));
            }, (seed, b) => MetadataBlob.Parse(seed == 0 ? signer.Sign(b) : System.Text.Encoding.UTF8.GetString(b), metadataOptions)),
            FuzzTarget.Bytes("compact-jws", jwsSeeds, b => CompactJws.Parse(System.Text.Encoding.UTF8.GetString(b), PasskeyError.MetadataInvalid, "fuzz").VerifySignature()),
            FuzzTarget.Bytes("tpmt-public", tpmPublic, b => TpmtPublic.Parse(b)),
            FuzzTarget.Bytes("tpms-attest", tpmAttest, b => TpmsAttest.Parse(b)),
            FuzzTarget.Bytes("android-key-description", androidKey, b => AndroidKeyDescription.Parse(b)),
        ];
    }

    // Each format's verifier directly, with the seed's client data hash, over mutated attestation objects.
    private static FuzzTarget AttestationVerifiers(FuzzCorpus corpus)
    {
        var seeds = corpus.Registrations.Select(r =>
        {
            var node = JsonNode.Parse(r.ResponseJson)!["response"]!;
            byte[] clientData = Base64UrlStrict.Decode((string)node["clientDataJSON"]!, "clientDataJSON");
            return (Hash: SHA256.HashData(clientData), Attestation: Base64UrlStrict.Decode((string)node["attestationObject"]!, "attestationObject"));
        }).ToList();
        var options = new AttestationVerificationOptions { AllowRs1 = true, DangerouslySkipSafetyNetTimestampCheck = true, SafetyNetRequireCtsProfileMatch = false };
        return new FuzzTarget("attestation-verifiers", r =>
        {
            int seed = r.Next(seeds.Count);
            return (seed, Mutator.Mutate(r, seeds[seed].Attestation));
        }, (seed, b) =>
        {
            var attestation = AttestationObject.Parse(b);
            AttestationStatementVerifiers.Default.Get(attestation.Format).Verify(new AttestationStatementInput(
                attestation.Format, attestation.Statement, attestation.AuthenticatorData, seeds[seed].Hash, options, TimeProvider.System));
        });
    }

    private static FuzzTarget FinishRegistration(FuzzCorpus corpus) =>
        new("finish-registration", r =>
        {
            int seed = r.Next(corpus.Registrations.Count);
            string json = corpus.Registrations[seed].ResponseJson;
            return (seed, MutateResponse(r, json, ["attestationObject", "attestationObject", "attestationObject", "clientDataJSON", "authenticatorData", "publicKey"]));
        }, (seed, b) =>
        {
            var s = corpus.Registrations[seed];
            s.RelyingParty.FinishRegistration(System.Text.Encoding.UTF8.GetString(b), s.State);
        });

    private static FuzzTarget FinishAuthentication(FuzzCorpus corpus) =>
        new("finish-authentication", r =>
        {
            int seed = r.Next(corpus.Authentications.Count);
            string json = corpus.Authentications[seed].ResponseJson;
            return (seed, MutateResponse(r, json, ["authenticatorData", "authenticatorData", "signature", "signature", "clientDataJSON", "userHandle"]));
        }, (seed, b) =>
        {
            var s = corpus.Authentications[seed];
            s.RelyingParty.FinishAuthentication(System.Text.Encoding.UTF8.GetString(b), s.State, s.Credential);
        });

    // Mutates one binary member of the response (decoded, mutated, re-encoded) so the input gets
    // past JSON and base64url into the parser behind it; now and then mutates the JSON text itself.
    private static byte[] MutateResponse(Random r, string json, string[] members)
    {
        if (r.Next(8) == 0)
        {
            return Mutator.Mutate(r, System.Text.Encoding.UTF8.GetBytes(json));
        }
        var node = JsonNode.Parse(json)!;
        var response = node["response"]!.AsObject();
        string member = members[r.Next(members.Length)];
        if (response[member] is JsonValue value && value.TryGetValue(out string? text))
        {
            byte[] decoded = Base64UrlStrict.Decode(text, member);
            // Client data is JSON: half the time a hostile string in one of its strings or names.
            response[member] = Base64UrlStrict.Encode(member == "clientDataJSON" && r.Next(2) == 0 ? HostileStrings.Mutate(r, decoded) : Mutator.Mutate(r, decoded));
        }
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
