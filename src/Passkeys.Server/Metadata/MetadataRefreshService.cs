using Microsoft.Extensions.Options;
using Passkeys.Attestation.Metadata;
using Passkeys.Server.Configuration;
using Passkeys.Server.Security;

namespace Passkeys.Server.Metadata;

/// <summary>
/// Keeps <see cref="AuthenticatorDirectory"/> on a verified FIDO MDS3 BLOB from <c>Passkeys:Metadata</c>
/// (a file or a URL). At start the copy cached in the data folder (<c>metadata/mds3-blob.jwt</c>,
/// 0600) is used at once, so a restart works with the source unreachable; then the source is read,
/// and again every <c>RefreshInterval</c>. Every BLOB is verified against the configured root by
/// <see cref="MetadataBlob"/>; one that fails (unreachable, unverifiable, stale, or older than the
/// one in use) is logged and the last good BLOB stays in use. Off when no source is configured.
/// </summary>
public sealed partial class MetadataRefreshService : BackgroundService
{
    /// <summary>The folder in the data folder where the last good BLOB is kept.</summary>
    public const string CacheFolderName = "metadata";

    private const string CacheFileName = "mds3-blob.jwt"; // the name MetadataBlobLoader caches under

    private readonly MetadataOptions _options;
    private readonly AuthenticatorDirectory _directory;
    private readonly DataFolder _data;
    private readonly TimeProvider _time;
    private readonly ILogger<MetadataRefreshService> _logger;
    private readonly RevokedAuthenticatorSweep _sweep;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Lazy<(MetadataBlobOptions Verify, HttpClient Http, MetadataBlobLoader Loader)> _source;
    private string? _fellBack;

    /// <summary>Creates the service; nothing is read until it starts.</summary>
    public MetadataRefreshService(IOptions<PasskeysServerOptions> options, AuthenticatorDirectory directory, DataFolder data, TimeProvider time,
        ILogger<MetadataRefreshService> logger, RevokedAuthenticatorSweep sweep)
    {
        _sweep = sweep;
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Metadata;
        _directory = directory;
        _data = data;
        _time = time;
        _logger = logger;
        _source = new(CreateSource);
    }

    private string CacheFolder => _data.PathOf(CacheFolderName);

    private (MetadataBlobOptions, HttpClient, MetadataBlobLoader) CreateSource()
    {
        var verify = new MetadataBlobOptions { RootCertificate = MetadataOptionsValidation.LoadRoot(_options.RootCertificatePath!), TimeProvider = _time };
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        // The loader returns its cached BLOB when a download fails; it says why, so that is logged as a failed refresh.
        return (verify, http, new MetadataBlobLoader(http, verify, CacheFolder, reason => _fellBack = reason));
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            UseCachedCopy();
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the source once; true when a BLOB from the source (verified, not older than the one in
    /// use) is now in use, false when the last good one was kept (the reason is logged). After every
    /// BLOB put in use, the passkeys of models it reports compromised are suspended (<see cref="RevokedAuthenticatorSweep"/>).
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        if (!_options.Enabled)
        {
            return false;
        }
        await _refreshing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var (verify, _, loader) = _source.Value;
            _data.Ensure();
            _fellBack = null;
            MetadataBlob blob;
            string? fileText = null;
            try
            {
                if (_options.BlobUrl is { Length: > 0 } url)
                {
                    blob = await loader.LoadAsync(new Uri(url), ct).ConfigureAwait(false);
                }
                else
                {
                    fileText = await File.ReadAllTextAsync(_options.BlobPath!, ct).ConfigureAwait(false);
                    blob = MetadataBlob.Parse(fileText, verify);
                }
            }
            catch (PasskeyException e)
            {
                return Kept(e.Detail);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Kept(e.Message);
            }
            if (_fellBack is { } reason)
            {
                return Kept(reason);
            }
            if (_directory.Blob is { } current && blob.Number < current.Number)
            {
                return Kept($"the source's BLOB no {blob.Number} is older than no {current.Number} in use");
            }
            if (fileText is not null)
            {
                // A file source is cached like a URL's, so a restart has it even when the file is gone or broken.
                OwnerOnlyFiles.EnsureFolder(CacheFolder);
                OwnerOnlyFiles.WriteAllText(Path.Combine(CacheFolder, CacheFileName), fileText);
            }
            else
            {
                // The loader writes its cache 0600; this also tightens files a looser older version left.
                _data.SecureFolderAndFiles(CacheFolder);
            }
            if (_directory.Blob?.Number != blob.Number)
            {
                LogLoaded(_logger, blob.Number, blob.Entries.Count, blob.NextUpdate);
            }
            _directory.Use(blob);
            await SweepAsync(blob, ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    // At every refresh, not only for a new BLOB number: idempotent, and it catches what a failed sweep
    // (store unreachable) or a node with an older BLOB left active. A failure keeps the BLOB in use.
    private async Task SweepAsync(MetadataBlob blob, CancellationToken ct)
    {
        try
        {
            await _sweep.SweepAsync(blob, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // the next refresh sweeps again; the BLOB in use already refuses the models at registration
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSweepFailed(_logger, e, blob.Number);
        }
    }

    private bool Kept(string reason)
    {
        LogRefreshFailed(_logger, reason, _directory.Blob?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        return false;
    }

    private void UseCachedCopy()
    {
        var path = Path.Combine(CacheFolder, CacheFileName);
        if (!File.Exists(path))
        {
            return;
        }
        try
        {
            _data.Ensure();
            _data.SecureFolderAndFiles(CacheFolder);
            var blob = MetadataBlob.Parse(File.ReadAllText(path), _source.Value.Verify);
            _directory.Use(blob);
            LogCachedInUse(_logger, blob.Number, blob.NextUpdate);
        }
        catch (PasskeyException e)
        {
            LogCacheUnusable(_logger, path, e.Detail);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCacheUnusable(_logger, path, e.Message);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the schedule must survive anything one refresh throws; the BLOB in use stays
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRefreshCrashed(_logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Http.Dispose();
        }
        _refreshing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Authenticator metadata: BLOB no {Number} in use ({Entries} entries, next update {NextUpdate})")]
    private static partial void LogLoaded(ILogger logger, long number, int entries, DateOnly nextUpdate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Authenticator metadata: the cached BLOB no {Number} is in use until the source is read (next update {NextUpdate})")]
    private static partial void LogCachedInUse(ILogger logger, long number, DateOnly nextUpdate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authenticator metadata: the cached BLOB {Path} is not usable: {Reason}")]
    private static partial void LogCacheUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authenticator metadata refresh failed: {Reason}; keeping BLOB no {InUse}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason, string inUse);

    [LoggerMessage(Level = LogLevel.Error, Message = "Authenticator metadata: suspending the passkeys of revoked authenticators in BLOB no {Number} failed; the next refresh tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, long number);

    [LoggerMessage(Level = LogLevel.Error, Message = "Authenticator metadata refresh failed unexpectedly; keeping the BLOB in use")]
    private static partial void LogRefreshCrashed(ILogger logger, Exception exception);
}
