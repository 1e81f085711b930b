using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Passkeys.Server.Tests.Metadata;

/// <summary>
/// FIDO MDS3 BLOBs signed here under a test root, which the server verifies exactly as it would
/// FIDO's (Passkeys:Metadata:RootCertificatePath): as the browser tests' ProviderIconTests and the
/// library's MetadataTests build theirs. Each <see cref="Write"/> is a new BLOB number, so a refresh
/// takes it as newer.
/// </summary>
public sealed class SignedTestBlob : IDisposable
{
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _signerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _signer;
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-blob-").FullName;
    private int _number;

    public SignedTestBlob()
    {
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Passkeys Server Test MDS Root", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        _signer = new CertificateRequest("CN=Passkeys Server Test MDS Signer", _signerKey, HashAlgorithmName.SHA256)
            .Create(_root, now.AddDays(-1), now.AddMonths(6), [9, 8, 7, 6]);
        File.WriteAllText(RootPath, _root.ExportCertificatePem());
    }

    /// <summary>The BLOB file the server reads (Passkeys:Metadata:BlobPath).</summary>
    public string BlobPath => Path.Combine(_folder, "blob.jwt");

    /// <summary>The root the BLOB is signed under (Passkeys:Metadata:RootCertificatePath).</summary>
    public string RootPath => Path.Combine(_folder, "root.pem");

    /// <summary>The server arguments that read this BLOB.</summary>
    public string[] Args => ["--Passkeys:Metadata:BlobPath=" + BlobPath, "--Passkeys:Metadata:RootCertificatePath=" + RootPath];

    /// <summary>One entry: an AAGUID, the attestation roots (PEM) metadata lists for it, and its status reports (newest first).</summary>
    public static object Entry(Guid aaguid, string description, IEnumerable<string> rootPems, params (string Status, string Date)[] reports) => new
    {
        aaguid = aaguid.ToString("D"),
        metadataStatement = new
        {
            description,
            attestationTypes = new[] { "basic_full" },
            attestationRootCertificates = rootPems.Select(p => Convert.ToBase64String(X509Certificate2.CreateFromPem(p).RawData)).ToArray(),
        },
        statusReports = reports.Select(r => new { status = r.Status, effectiveDate = r.Date }).ToArray(),
    };

    /// <summary>Writes a newer BLOB with <paramref name="entries"/> to <see cref="BlobPath"/>.</summary>
    public void Write(params object[] entries)
    {
        var payload = new
        {
            legalHeader = "test",
            no = ++_number,
            nextUpdate = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            entries,
        };
        string header = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["x5c"] = new[] { Convert.ToBase64String(_signer.RawData) },
        }));
        string body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        byte[] signature = _signerKey.SignData(System.Text.Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256);
        File.WriteAllText(BlobPath, $"{header}.{body}.{B64(signature)}");
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _rootKey.Dispose();
        _signerKey.Dispose();
        _root.Dispose();
        _signer.Dispose();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
