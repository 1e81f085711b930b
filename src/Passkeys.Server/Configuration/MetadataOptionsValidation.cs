using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Server.Configuration;

/// <summary>Checks <c>Passkeys:Metadata</c> at start, and reads its root certificate.</summary>
public static class MetadataOptionsValidation
{
    /// <summary>What is wrong with <paramref name="options"/>, each with how to fix it; empty when nothing is.</summary>
    public static IEnumerable<string> Problems(MetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool path = !string.IsNullOrWhiteSpace(options.BlobPath), url = !string.IsNullOrWhiteSpace(options.BlobUrl);
        if (path && url)
        {
            yield return "Passkeys:Metadata:BlobPath and Passkeys:Metadata:BlobUrl are both set; set only one.";
        }
        if (url && !IsAcceptedUrl(options.BlobUrl!))
        {
            yield return $"Passkeys:Metadata:BlobUrl '{options.BlobUrl}' must be an absolute https:// URL (plain http:// only to a loopback address).";
        }
        if (!options.Enabled)
        {
            if (!string.IsNullOrWhiteSpace(options.RootCertificatePath))
            {
                yield return "Passkeys:Metadata:RootCertificatePath is set but no source is: set Passkeys:Metadata:BlobPath or Passkeys:Metadata:BlobUrl, or remove it.";
            }
            yield break;
        }
        if (string.IsNullOrWhiteSpace(options.RootCertificatePath))
        {
            yield return "Passkeys:Metadata:RootCertificatePath is empty: name the root certificate the BLOB's signature must chain to (for FIDO MDS3, GlobalSign Root CA - R3).";
        }
        else if (RootProblem(options.RootCertificatePath) is { } problem)
        {
            yield return $"Passkeys:Metadata:RootCertificatePath '{options.RootCertificatePath}' {problem}";
        }
        if (options.RefreshInterval < TimeSpan.FromMinutes(1) || options.RefreshInterval > TimeSpan.FromDays(31))
        {
            yield return "Passkeys:Metadata:RefreshInterval must be between 00:01:00 and 31.00:00:00.";
        }
    }

    /// <summary>Reads the root certificate (PEM or DER).</summary>
    public static X509Certificate2 LoadRoot(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }

    private static bool IsAcceptedUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private static string? RootProblem(string path)
    {
        try
        {
            using var _ = LoadRoot(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
        catch (CryptographicException e)
        {
            return $"is not a certificate (PEM or DER): {e.Message}";
        }
    }
}
