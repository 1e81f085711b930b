using System.Net;
using System.Net.Http.Headers;

namespace Passkeys.Attestation.Metadata;

/// <summary>
/// Loads FIDO MDS3 BLOBs from a file or over HTTPS. Over HTTPS the last good BLOB is cached on
/// disk with its ETag and Last-Modified, requests are conditional (If-None-Match /
/// If-Modified-Since), and a failed or unverifiable download falls back to the cached BLOB.
/// A download with a lower serial number than the cached BLOB is refused (rollback). Cache files are
/// written owner-only (0600 in a 0700 folder on Unix) and atomically, so a crash never leaves half a
/// BLOB. Plain HTTP is accepted only for a loopback address (a local mirror): the BLOB is signed, but
/// anything that crosses a network must also be private and unaltered in transit.
/// </summary>
public sealed class MetadataBlobLoader
{
    private readonly HttpClient _http;
    private readonly MetadataBlobOptions _options;
    private readonly string? _cacheDirectory;
    private readonly Action<string>? _fellBack;

    /// <summary>Creates a loader.</summary>
    /// <param name="http">The client used for HTTPS downloads.</param>
    /// <param name="options">How BLOBs are verified.</param>
    /// <param name="cacheDirectory">Where the last good BLOB is kept; null disables the disk cache.</param>
    public MetadataBlobLoader(HttpClient http, MetadataBlobOptions options, string? cacheDirectory)
        : this(http, options, cacheDirectory, null)
    {
    }

    /// <summary>Creates a loader that reports each time it returns the cached BLOB instead of a download.</summary>
    /// <param name="http">The client used for HTTPS downloads.</param>
    /// <param name="options">How BLOBs are verified.</param>
    /// <param name="cacheDirectory">Where the last good BLOB is kept; null disables the disk cache.</param>
    /// <param name="fellBack">Called with the reason (download failed, refused status, unverifiable or older BLOB) whenever the cached BLOB is returned for a failed refresh; not for 304 Not Modified.</param>
    public MetadataBlobLoader(HttpClient http, MetadataBlobOptions options, string? cacheDirectory, Action<string>? fellBack)
    {
        _http = http;
        _options = options;
        _cacheDirectory = cacheDirectory;
        _fellBack = fellBack;
    }

    /// <summary>Reads and verifies a BLOB from a file.</summary>
    public static MetadataBlob LoadFile(string path, MetadataBlobOptions options) =>
        MetadataBlob.Parse(File.ReadAllText(path), options);

    /// <summary>Downloads (or revalidates) and verifies the BLOB at <paramref name="url"/>.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MetadataInvalid"/> or <see cref="PasskeyError.MetadataStale"/> when neither the download nor the cache yields a valid BLOB.</exception>
    public async Task<MetadataBlob> LoadAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            throw new PasskeyException(PasskeyError.MetadataInvalid, $"metadata URL {url} is not HTTPS (plain HTTP only to a loopback address)");
        }
        string? blobPath = _cacheDirectory is null ? null : Path.Combine(_cacheDirectory, "mds3-blob.jwt");
        string? etagPath = blobPath is null ? null : blobPath + ".etag";
        string? modifiedPath = blobPath is null ? null : blobPath + ".last-modified";
        MetadataBlob? cached = null;
        PasskeyException? cacheError = null;
        if (blobPath is not null && File.Exists(blobPath))
        {
            try
            {
                cached = MetadataBlob.Parse(await File.ReadAllTextAsync(blobPath, cancellationToken).ConfigureAwait(false), _options);
            }
            catch (PasskeyException e)
            {
                cacheError = e;
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cached is not null)
        {
            if (etagPath is not null && File.Exists(etagPath) && EntityTagHeaderValue.TryParse(await File.ReadAllTextAsync(etagPath, cancellationToken).ConfigureAwait(false), out var etag))
            {
                request.Headers.IfNoneMatch.Add(etag);
            }
            if (modifiedPath is not null && File.Exists(modifiedPath)
                && DateTimeOffset.TryParse(await File.ReadAllTextAsync(modifiedPath, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var modified))
            {
                request.Headers.IfModifiedSince = modified;
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return cached is not null ? FellBack(cached, $"metadata download from {url} failed: {e.Message}") : throw new PasskeyException(PasskeyError.MetadataInvalid, $"metadata download from {url} failed and no valid cached BLOB exists: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
            {
                return cached;
            }
            if (!response.IsSuccessStatusCode)
            {
                return cached is not null ? FellBack(cached, $"metadata download from {url} returned {(int)response.StatusCode}") : throw new PasskeyException(PasskeyError.MetadataInvalid,
                    $"metadata download from {url} returned {(int)response.StatusCode} and no valid cached BLOB exists{(cacheError is null ? "" : $" ({cacheError.Detail})")}");
            }
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            MetadataBlob downloaded;
            try
            {
                downloaded = MetadataBlob.Parse(text, _options);
            }
            catch (PasskeyException e) when (cached is not null)
            {
                return FellBack(cached, $"metadata BLOB from {url} is not valid: {e.Detail}");
            }
            if (cached is not null && downloaded.Number < cached.Number)
            {
                // Rollback: an older BLOB (lower no) must not replace a newer one.
                return FellBack(cached, $"metadata BLOB from {url} has no {downloaded.Number}, older than the cached no {cached.Number}");
            }
            if (blobPath is not null)
            {
                CreateOwnerOnlyDirectory(_cacheDirectory!);
                await WriteOwnerOnlyAsync(blobPath, text, cancellationToken).ConfigureAwait(false);
                await WriteOrDeleteAsync(etagPath!, response.Headers.ETag?.ToString(), cancellationToken).ConfigureAwait(false);
                await WriteOrDeleteAsync(modifiedPath!, response.Content.Headers.LastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            }
            return downloaded;
        }
    }

    private MetadataBlob FellBack(MetadataBlob cached, string reason)
    {
        _fellBack?.Invoke(reason);
        return cached;
    }

    private static async Task WriteOrDeleteAsync(string path, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            File.Delete(path);
        }
        else
        {
            await WriteOwnerOnlyAsync(path, value, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // A temporary file created 0600, then renamed over the old one: never half written, never readable by others.
    private static async Task WriteOwnerOnlyAsync(string path, string text, CancellationToken cancellationToken)
    {
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
