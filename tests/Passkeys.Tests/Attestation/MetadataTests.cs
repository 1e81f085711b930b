using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Attestation.Metadata;

namespace Passkeys.Tests.Attestation;

/// <summary>FIDO MDS3: the real December 2024 BLOB, the conformance BLOB, and BLOBs signed here with a test root.</summary>
public class MetadataTests
{
    private static readonly FixedTimeProvider December2024 = new(new DateTimeOffset(2024, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private static readonly Guid TruU = Guid.Parse("ba86dc56-635f-4141-aef6-00227b1b9af6");
    private static readonly Guid WindowsHello = Guid.Parse("08987058-cadc-4b81-b6e1-30de50dcbe96");

    private static X509Certificate2 Pem(params string[] path) => X509Certificate2.CreateFromPem(File.ReadAllText(SharedData.Path(path)));

    private static MetadataBlob RealBlob(TimeProvider? time = null, bool allowStale = false) =>
        MetadataBlobLoader.LoadFile(SharedData.Path("metadata", "mds3-blob.jwt"), new MetadataBlobOptions
        {
            RootCertificate = Pem("metadata", "mds3-root-GlobalSign_Root_CA_R3.pem"),
            TimeProvider = time ?? December2024,
            DangerouslyAllowStale = allowStale,
        });

    [SharedDataFact]
    public void Real_blob_verifies_at_a_fixed_clock_and_exposes_entries()
    {
        var blob = RealBlob();
        Assert.Equal(121, blob.Number);
        Assert.Equal(280, blob.Entries.Count);
        Assert.Equal(new DateOnly(2025, 1, 1), blob.NextUpdate);
        var yubikey = blob.Find(Guid.Parse("fa2b99dc-9e39-4257-8f92-4a30d23c4118"));
        Assert.Equal("YubiKey 5 Series with NFC", yubikey?.Description);
        Assert.Single(yubikey!.AttestationRootCertificates);
        Assert.NotNull(blob.FindByKeyIdentifier("43c0f809b1d75616aa152c3cba57d73465057f21"));
    }

    [SharedDataFact]
    public void Real_blob_latest_status_is_by_effective_date_not_position()
    {
        var blob = RealBlob();
        Assert.Equal("REVOKED", blob.Find(TruU)!.LatestStatus!.Status);
        Assert.Equal("FIDO_CERTIFIED_L2", blob.Find(Guid.Parse("c1f9a0bc-1dd2-404a-b27f-8e29047a43fd"))!.LatestStatus!.Status);
        // Same-day reports: the first listed wins (the counts shared/metadata/README.md gives).
        var counts = blob.Entries.GroupBy(e => e.LatestStatus?.Status ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(155, counts["FIDO_CERTIFIED_L1"]);
        Assert.Equal(61, counts["NOT_FIDO_CERTIFIED"]);
        Assert.Equal(45, counts["FIDO_CERTIFIED_L2"]);
        Assert.Equal(18, counts["FIDO_CERTIFIED"]);
        Assert.Equal(1, counts["REVOKED"]);
    }

    [SharedDataFact]
    public void Real_blob_is_stale_after_next_update()
    {
        var february2025 = new FixedTimeProvider(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(PasskeyError.MetadataStale, Assert.Throws<PasskeyException>(() => RealBlob(february2025)).Error);
        Assert.Equal(121, RealBlob(february2025, allowStale: true).Number);
    }

    [SharedDataFact]
    public void Real_blob_fails_at_the_real_clock_because_its_signer_expired()
    {
        Assert.Equal(PasskeyError.MetadataInvalid, Assert.Throws<PasskeyException>(() => RealBlob(TimeProvider.System, allowStale: true)).Error);
    }

    [SharedDataFact]
    public void Real_blob_fails_against_the_wrong_root()
    {
        Assert.Equal(PasskeyError.MetadataInvalid, Assert.Throws<PasskeyException>(() =>
            MetadataBlobLoader.LoadFile(SharedData.Path("metadata", "mds3-blob.jwt"), new MetadataBlobOptions
            {
                RootCertificate = Pem("metadata", "conformance", "FIDO_MDS3_TEST_Root_FAKE.pem"),
                TimeProvider = December2024,
            })).Error);
    }

    [SharedDataFact]
    public void Conformance_blob_verifies_and_policy_rejects_each_compromised_status()
    {
        var blob = MetadataBlobLoader.LoadFile(SharedData.Path("metadata", "conformance", "mds3-conformance-blob.jwt"), new MetadataBlobOptions
        {
            RootCertificate = Pem("metadata", "conformance", "FIDO_MDS3_TEST_Root_FAKE.pem"),
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2023, 11, 1, 0, 0, 0, TimeSpan.Zero)),
        });
        Assert.Equal(42, blob.Number);
        foreach (var (aaguid, status) in new[]
        {
            ("8cfa178e-b1f5-40ce-8f5f-8273e8109940", "USER_VERIFICATION_BYPASS"),
            ("71bf3f7f-ad51-432a-aaf0-4783108d5620", "ATTESTATION_KEY_COMPROMISE"),
            ("7061d58b-c22e-429b-a29b-c8bcc4857b40", "USER_KEY_REMOTE_COMPROMISE"),
            ("9533c442-6810-4d9c-a365-b13590bfe3b8", "USER_KEY_PHYSICAL_COMPROMISE"),
        })
        {
            Assert.Equal(status, blob.Find(Guid.Parse(aaguid))!.LatestStatus!.Status);
        }
    }

    [SharedDataFact]
    public void Trust_anchors_from_metadata_validate_a_real_windows_hello_tpm()
    {
        var vector = AttestationVector.Load("py_webauthn/reg-tpm-verify-attestation-dell-xps-13.json");
        var result = AttestationStatementVerifiers.Default.Get("tpm").Verify(vector.Input());
        var provider = new MetadataTrustAnchorProvider(RealBlob());
        Assert.NotEmpty(provider.GetTrustAnchors(vector.AuthenticatorData, result));
        var trust = new AttestationTrust([], provider, vector.Time).Evaluate(vector.AuthenticatorData, result);
        Assert.True(trust.IsTrusted, trust.Detail);
    }

    [SharedDataFact]
    public void Trust_anchors_for_fido_u2f_are_found_by_key_identifier()
    {
        var crossref = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path("metadata", "vector-mds-crossref.json"))).RootElement;
        string? u2fVector = null;
        foreach (var item in FindObjects(crossref))
        {
            if (item.TryGetProperty("fmt", out var fmt) && fmt.GetString() == "fido-u2f" && item.TryGetProperty("vector", out var name))
            {
                u2fVector = name.GetString();
                break;
            }
        }
        Assert.NotNull(u2fVector);
        var vector = AttestationVector.Load(u2fVector!.Replace("vectors/", "", StringComparison.Ordinal));
        var result = AttestationStatementVerifiers.Default.Get("fido-u2f").Verify(vector.Input());
        Assert.NotEmpty(new MetadataTrustAnchorProvider(RealBlob()).GetTrustAnchors(vector.AuthenticatorData, result));
    }

    private static IEnumerable<JsonElement> FindObjects(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return element;
            foreach (var p in element.EnumerateObject())
            {
                foreach (var o in FindObjects(p.Value)) yield return o;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var o in FindObjects(item)) yield return o;
            }
        }
    }

    [SharedDataFact]
    public void Policy_rejects_the_revoked_truu_authenticator_from_the_real_blob()
    {
        var policy = new MetadataPolicy(RealBlob(), new MetadataPolicyOptions());
        Assert.Equal(PasskeyError.AuthenticatorStatusRejected, Assert.Throws<PasskeyException>(() => policy.Check(Context(TruU))).Error);
        policy.Check(Context(WindowsHello));
    }

    [SharedDataFact]
    public void Names_come_from_providers_then_metadata()
    {
        var blob = RealBlob();
        Assert.Equal("Windows Hello", AuthenticatorNames.Find(WindowsHello, blob));
        Assert.Equal("1Password", AuthenticatorNames.Find(Guid.Parse("bada5566-a7aa-401f-bd96-45619a55120d"), null));
        Assert.Equal("YubiKey 5 Series with NFC", AuthenticatorNames.Find(Guid.Parse("fa2b99dc-9e39-4257-8f92-4a30d23c4118"), blob));
        Assert.Null(AuthenticatorNames.Find(Guid.Empty, blob));
        Assert.Null(AuthenticatorNames.Find(Guid.Parse("11111111-2222-3333-4444-555555555555"), blob));
    }

    // BLOBs built and signed here.

    private sealed class TestPki : IDisposable
    {
        public ECDsa RootKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public ECDsa SignerKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public X509Certificate2 Root { get; }
        public X509Certificate2 Signer { get; }

        public TestPki()
        {
            var now = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var rootRequest = new CertificateRequest("CN=Passkeys Test MDS Root", RootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            Root = rootRequest.CreateSelfSigned(now, now.AddYears(5));
            var signerRequest = new CertificateRequest("CN=Passkeys Test MDS Signer", SignerKey, HashAlgorithmName.SHA256);
            Signer = signerRequest.Create(Root, now, now.AddYears(2), [1, 2, 3, 4]);
        }

        public string Sign(object payload, bool corrupt = false)
        {
            string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["alg"] = "ES256",
                ["typ"] = "JWT",
                ["x5c"] = new[] { Convert.ToBase64String(Signer.RawData) },
            }));
            string body = Base64Url(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload)));
            byte[] signature = SignerKey.SignData(System.Text.Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256);
            if (corrupt)
            {
                signature[0] ^= 1;
            }
            return $"{header}.{body}.{Base64Url(signature)}";
        }

        public void Dispose()
        {
            RootKey.Dispose();
            SignerKey.Dispose();
            Root.Dispose();
            Signer.Dispose();
        }
    }

    private static string Base64Url(byte[] data) => Passkeys.Encoding.Base64UrlStrict.Encode(data);

    private static readonly Guid Revoked = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid Good = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000002");
    private static readonly Guid SameDay = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000003");
    private static readonly FixedTimeProvider June2024 = new(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));

    private static object Payload(int no = 7, string nextUpdate = "2024-07-01") => new Dictionary<string, object>
    {
        ["legalHeader"] = "test",
        ["no"] = no,
        ["nextUpdate"] = nextUpdate,
        ["entries"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["aaguid"] = Revoked.ToString(),
                ["metadataStatement"] = new Dictionary<string, object> { ["description"] = "Revoked Key" },
                // Newest first, as some real entries are.
                ["statusReports"] = new object[]
                {
                    new Dictionary<string, object> { ["status"] = "REVOKED", ["effectiveDate"] = "2024-03-01" },
                    new Dictionary<string, object> { ["status"] = "FIDO_CERTIFIED_L1", ["effectiveDate"] = "2023-01-01" },
                },
            },
            new Dictionary<string, object>
            {
                ["aaguid"] = Good.ToString(),
                ["metadataStatement"] = new Dictionary<string, object> { ["description"] = "Good Key" },
                ["statusReports"] = new object[]
                {
                    new Dictionary<string, object> { ["status"] = "USER_VERIFICATION_BYPASS", ["effectiveDate"] = "2023-01-01" },
                    new Dictionary<string, object> { ["status"] = "FIDO_CERTIFIED_L2", ["effectiveDate"] = "2023-06-01" },
                },
            },
            new Dictionary<string, object>
            {
                ["aaguid"] = SameDay.ToString(),
                ["metadataStatement"] = new Dictionary<string, object> { ["description"] = "Same-day Key" },
                // A certification listed before a compromise of the same date must not hide it.
                ["statusReports"] = new object[]
                {
                    new Dictionary<string, object> { ["status"] = "FIDO_CERTIFIED_L1", ["effectiveDate"] = "2024-02-01" },
                    new Dictionary<string, object> { ["status"] = "ATTESTATION_KEY_COMPROMISE", ["effectiveDate"] = "2024-02-01" },
                },
            },
        },
    };

    private static MetadataBlobOptions Options(TestPki pki, TimeProvider? time = null) => new() { RootCertificate = pki.Root, TimeProvider = time ?? June2024 };

    [Fact]
    public void Test_blob_verifies_and_policy_uses_the_latest_status()
    {
        using var pki = new TestPki();
        var blob = MetadataBlob.Parse(pki.Sign(Payload()), Options(pki));
        var policy = new MetadataPolicy(blob, new MetadataPolicyOptions());
        Assert.Equal(PasskeyError.AuthenticatorStatusRejected, Assert.Throws<PasskeyException>(() => policy.Check(Context(Revoked))).Error);
        policy.Check(Context(Good)); // an old bypass report superseded by a later certification
        Assert.Equal(PasskeyError.AuthenticatorStatusRejected, Assert.Throws<PasskeyException>(() => policy.Check(Context(SameDay))).Error);
    }

    [Fact]
    public void Test_blob_with_a_bad_signature_is_invalid()
    {
        using var pki = new TestPki();
        Assert.Equal(PasskeyError.MetadataInvalid, Assert.Throws<PasskeyException>(() => MetadataBlob.Parse(pki.Sign(Payload(), corrupt: true), Options(pki))).Error);
    }

    [Fact]
    public void Test_blob_signed_under_another_root_is_invalid()
    {
        using var pki = new TestPki();
        using var other = new TestPki();
        Assert.Equal(PasskeyError.MetadataInvalid, Assert.Throws<PasskeyException>(() => MetadataBlob.Parse(pki.Sign(Payload()), Options(other))).Error);
    }

    [Fact]
    public void Test_blob_past_next_update_is_stale()
    {
        using var pki = new TestPki();
        Assert.Equal(PasskeyError.MetadataStale, Assert.Throws<PasskeyException>(() => MetadataBlob.Parse(pki.Sign(Payload(nextUpdate: "2024-05-01")), Options(pki))).Error);
    }

    [Fact]
    public void Policy_allow_and_deny_lists_and_backup_eligibility()
    {
        var deny = new MetadataPolicy((MetadataBlob?)null, new MetadataPolicyOptions { DeniedAaguids = new HashSet<Guid> { Good } });
        Assert.Equal(PasskeyError.AuthenticatorNotAllowed, Assert.Throws<PasskeyException>(() => deny.Check(Context(Good))).Error);
        var allow = new MetadataPolicy((MetadataBlob?)null, new MetadataPolicyOptions { AllowedAaguids = new HashSet<Guid> { Revoked } });
        Assert.Equal(PasskeyError.AuthenticatorNotAllowed, Assert.Throws<PasskeyException>(() => allow.Check(Context(Good))).Error);
        allow.Check(Context(Revoked));
        var noSync = new MetadataPolicy((MetadataBlob?)null, new MetadataPolicyOptions { RefuseBackupEligible = true });
        Assert.Equal(PasskeyError.BackupEligibleRefused, Assert.Throws<PasskeyException>(() => noSync.Check(Context(Good, backupEligible: true))).Error);
        noSync.Check(Context(Good));
    }

    [Fact]
    public void Policy_requiring_trusted_attestation()
    {
        var policy = new MetadataPolicy((MetadataBlob?)null, new MetadataPolicyOptions { Conveyance = AttestationConveyanceLevel.Direct, RequireTrustedAttestation = true });
        Assert.Equal(PasskeyError.AttestationRequired, Assert.Throws<PasskeyException>(() => policy.Check(Context(Good))).Error);
        Assert.Equal(PasskeyError.AttestationNotTrusted, Assert.Throws<PasskeyException>(() => policy.Check(Context(Good, trust: AttestationTrustStatus.Untrusted))).Error);
        policy.Check(Context(Good, trust: AttestationTrustStatus.Trusted));
        Assert.Equal(PasskeyError.InvalidConfiguration, Assert.Throws<PasskeyException>(() =>
            new MetadataPolicy((MetadataBlob?)null, new MetadataPolicyOptions { RequireTrustedAttestation = true })).Error);
    }

    [Fact]
    public async Task Loader_caches_the_last_good_blob_and_revalidates_conditionally()
    {
        using var pki = new TestPki();
        string cache = Path.Combine(Path.GetTempPath(), "passkeys-mds-" + Guid.NewGuid().ToString("N"));
        try
        {
            var handler = new StubHandler();
            using var http = new HttpClient(handler);
            var fellBack = new List<string>();
            var loader = new MetadataBlobLoader(http, Options(pki), cache, fellBack.Add);
            var url = new Uri("https://mds.example/blob");

            handler.Next = _ => Ok(pki.Sign(Payload(no: 7)), "\"v7\"");
            Assert.Equal(7, (await loader.LoadAsync(url)).Number);
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only, like every other file a server keeps in its data folder.
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cache, "mds3-blob.jwt")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cache, "mds3-blob.jwt.etag")));
            }
            Assert.Equal(["mds3-blob.jwt", "mds3-blob.jwt.etag"], Directory.GetFiles(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            handler.Next = request =>
            {
                Assert.Contains(request.Headers.IfNoneMatch, e => e.Tag == "\"v7\"");
                return new HttpResponseMessage(HttpStatusCode.NotModified);
            };
            Assert.Equal(7, (await loader.LoadAsync(url)).Number);

            handler.Next = _ => Ok(pki.Sign(Payload(no: 6)), "\"v6\""); // rollback refused
            Assert.Equal(7, (await loader.LoadAsync(url)).Number);

            handler.Next = _ => Ok(pki.Sign(Payload(no: 8), corrupt: true), "\"v8\""); // unverifiable: keep the cache
            Assert.Equal(7, (await loader.LoadAsync(url)).Number);

            handler.Next = _ => throw new HttpRequestException("offline");
            Assert.Equal(7, (await loader.LoadAsync(url)).Number);

            // 304 is not a failure; the rollback, the unverifiable BLOB and the outage are, each with its reason.
            Assert.Collection(fellBack,
                r => Assert.Contains("has no 6, older than the cached no 7", r, StringComparison.Ordinal),
                r => Assert.Contains("is not valid", r, StringComparison.Ordinal),
                r => Assert.Contains("failed: offline", r, StringComparison.Ordinal));

            handler.Next = _ => Ok(pki.Sign(Payload(no: 8)), "\"v8\"");
            Assert.Equal(8, (await loader.LoadAsync(url)).Number);
            Assert.Equal(3, fellBack.Count);
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Loader_without_cache_fails_when_the_download_fails()
    {
        using var pki = new TestPki();
        var handler = new StubHandler { Next = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError) };
        using var http = new HttpClient(handler);
        var loader = new MetadataBlobLoader(http, Options(pki), null);
        var e = await Assert.ThrowsAsync<PasskeyException>(() => loader.LoadAsync(new Uri("https://mds.example/blob")));
        Assert.Equal(PasskeyError.MetadataInvalid, e.Error);
    }

    [Theory]
    [InlineData("http://mds.example/blob", false)]
    [InlineData("http://10.0.0.1/blob", false)]
    [InlineData("ftp://127.0.0.1/blob", false)]
    [InlineData("http://127.0.0.1:8080/blob", true)] // a local mirror
    [InlineData("http://[::1]/blob", true)]
    public async Task Loader_takes_plain_HTTP_only_from_loopback(string url, bool allowed)
    {
        using var pki = new TestPki();
        var handler = new StubHandler { Next = _ => Ok(pki.Sign(Payload(no: 7)), "\"v7\"") };
        using var http = new HttpClient(handler);
        var loader = new MetadataBlobLoader(http, Options(pki), null);
        if (allowed)
        {
            Assert.Equal(7, (await loader.LoadAsync(new Uri(url))).Number);
        }
        else
        {
            var e = await Assert.ThrowsAsync<PasskeyException>(() => loader.LoadAsync(new Uri(url)));
            Assert.Equal(PasskeyError.MetadataInvalid, e.Error);
            Assert.Contains("is not HTTPS", e.Message, StringComparison.Ordinal);
        }
    }

    private static HttpResponseMessage Ok(string body, string etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) };
        response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue(etag);
        return response;
    }

    private sealed class StubHandler : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Next { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Next(request));
    }

    /// <summary>A policy context for a "none" registration with the given AAGUID.</summary>
    private static AuthenticatorPolicyContext Context(Guid aaguid, bool backupEligible = false, AttestationTrustStatus trust = AttestationTrustStatus.NoTrustPath)
    {
        var authData = TestAuthenticatorData.Build(aaguid, backupEligible);
        var statement = new AttestationStatementResult("none", AttestationType.None, []);
        return new AuthenticatorPolicyContext(authData, statement, new AttestationTrustResult(trust, null, "test"));
    }
}

/// <summary>Minimal registration authenticator data with an ES256 key.</summary>
internal static class TestAuthenticatorData
{
    public static Protocol.AuthenticatorData Build(Guid aaguid, bool backupEligible)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = Passkeys.Cose.CosePublicKey.FromECDsa(ecdsa, Passkeys.Cose.CoseAlgorithm.ES256).Encoded.Span;
        var raw = new List<byte>();
        raw.AddRange(new byte[32]);
        raw.Add((byte)(0x41 | (backupEligible ? 0x08 : 0))); // UP, AT, optionally BE
        raw.AddRange(new byte[4]);
        var guid = new byte[16];
        aaguid.TryWriteBytes(guid, bigEndian: true, out _);
        raw.AddRange(guid);
        raw.AddRange(new byte[] { 0, 16 });
        raw.AddRange(new byte[16]);
        raw.AddRange(key.ToArray());
        return Protocol.AuthenticatorData.Parse(raw.ToArray());
    }
}
