using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Configuration;
using Passkeys.Server.OperatorConsole;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Oidc;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;
using Passkeys.Server.Storage.Sqlite;
using Passkeys.Server.Tenants;
using Passkeys.Server.Tokens;

namespace Passkeys.Server;

/// <summary>
/// Builds the Passkeys server. <c>Program.cs</c> calls <see cref="Build"/> and runs it; tests and
/// the browser tests call it in-process (e.g. with <c>--urls http://127.0.0.1:0</c>).
/// </summary>
public static class PasskeysServerApp
{
    // The key UseAuthentication sets and WebApplication reads before adding the middleware itself (ASP.NET Core's AuthAppBuilderExtensions).
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// Creates the app: configuration (appsettings, environment, command line) validated, store
    /// migrated, default tenant in place, endpoints mapped. <paramref name="configure"/> runs last
    /// on the builder (tests replace services there, e.g. the <see cref="TimeProvider"/>).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The build output holds appsettings.json and wwwroot/, wherever the process is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }
        var section = builder.Configuration.GetSection(PasskeysServerOptions.Section);
        var services = builder.Services;
        services.AddOptions<PasskeysServerOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasskeysServerOptions>, PasskeysServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<PasskeysServerOptions>, UnknownSettingsValidator>();
        var maxBody = section.GetValue<long?>(nameof(PasskeysServerOptions.MaxRequestBodyBytes)) ?? 64 * 1024;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PasskeysMetrics>();
        services.AddSingleton(sp => new StoreMetrics(sp.GetRequiredService<PasskeysMetrics>().Meter));
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<DataFolder>();
        services.AddSingleton(CreateStore);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<AdminKey>();
        AddKeyProtection(services);
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Access>();
        services.AddSingleton<RelyingParties>();
        services.AddSingleton<TenantKeys>();
        services.AddSingleton<AttemptBudget>();
        services.AddSingleton<FakeCredentialSource>();
        services.AddSingleton<Metadata.AuthenticatorDirectory>();
        services.AddSingleton<Metadata.RevokedAuthenticatorSweep>();
        services.AddSingleton<Metadata.MetadataRefreshService>();
        services.AddHostedService(sp => sp.GetRequiredService<Metadata.MetadataRefreshService>());
        services.AddSingleton<CeremonyService>();
        services.AddSingleton<Analytics.AnalyticsService>();
        services.AddSingleton<Analytics.ClientEvents>();
        services.AddSingleton<Analytics.SignInReports>();
        services.AddSingleton<Analytics.RolloutService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<Sessions.SessionService>();
        services.AddSingleton<TenantService>();
        services.AddSingleton<Migration.TenantExporter>();
        services.AddSingleton<Migration.ImportService>();
        services.AddSingleton<TenantCache>();
        services.AddHostedService<StoreChangeListener>();
        services.AddSingleton<CeremonyPurgeService>();
        services.AddPasskeysOidc();
        services.AddHostedService(sp => sp.GetRequiredService<CeremonyPurgeService>());
        AddWebhooks(services, builder.Configuration);
        services.AddPasskeysConsole();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.MaxDepth = 32;
        });
        services.AddSingleton<ICorsPolicyProvider, TenantCorsPolicyProvider>();
        services.AddCors();
        var edge = section.Get<PasskeysServerOptions>() ?? new PasskeysServerOptions();
        services.AddPasskeysForwardedHeaders(edge.Proxy);
        services.AddRateLimiter(o => ConfigureRateLimits(o, section.Get<PasskeysServerOptions>()?.RateLimits ?? new RateLimitOptions()));
        services.AddOpenApi(o => o.AddTenantAlgorithmsSchema().AddRegistrationMediationSchema().AddAttestationPolicySchema());

        configure?.Invoke(builder);
        var app = builder.Build();

        // Start-up work that must finish before the first request: validate, migrate, seed.
        _ = app.Services.GetRequiredService<IOptions<PasskeysServerOptions>>().Value;
        SecureDataFolder(app.Services);
        MigrateStore(app.Services.GetRequiredService<IPasskeyStore>());
        app.Services.GetRequiredService<SigningKeyMigration>().RunAsync(default).GetAwaiter().GetResult();
        app.Services.GetRequiredService<TenantService>().EnsureDefaultAsync(default).GetAwaiter().GetResult();
        _ = app.Services.GetRequiredService<AdminKey>();
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        ConsoleStartup.LogBootstrapHint(app.Services);

        // First: every later step (rate limits, audit) sees the client behind a configured proxy.
        app.UsePasskeysForwardedHeaders(edge.Proxy);
        // Pages (and the 404 page) get CSP, frame and referrer headers; every response gets nosniff.
        app.UsePageSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (await NotFoundPage.TryWriteAsync(http).ConfigureAwait(false))
            {
                return; // a browser asked for a page that does not exist: a page, not JSON
            }
            var error = http.Response.StatusCode switch
            {
                404 => ServerError.NotFound,
                405 => ServerError.MethodNotAllowed,
                413 => ServerError.PayloadTooLarge,
                415 => ServerError.UnsupportedMediaType,
                429 => ServerError.RateLimited,
                401 => ServerError.Unauthorized,
                >= 400 and < 500 => ServerError.MalformedRequest,
                _ => ServerError.Internal,
            };
            var problem = ProblemFactory.Create(http, error);
            problem.Status = http.Response.StatusCode;
            await ProblemFactory.WriteAsync(http, problem).ConfigureAwait(false);
        });
        // The SDK's files may be imported from any origin (and only they gain CORS this way).
        app.UseSdkCors();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseExactPathParameters();
        app.UseVaryByOriginOnTenantRoutes();
        app.UseCors();
        app.UseRateLimiter();
        // The OpenID Connect provider (OpenIddict) handles its requests here: after rate limits, before the endpoints it passes through to.
        // Only its paths under a tenant go through it: nothing else in the server uses ASP.NET Core
        // authentication (API keys, tokens and the console's cookie are checked by the endpoints), and
        // OpenIddict's request pipeline costs ~4% of a sign-in's CPU on requests it would pass through.
        app.UseWhen(http => OidcPaths.IsCandidate(http.Request.Path), oidc => oidc.UseAuthentication());
        // UseAuthentication marks the branch, not the app, as having the middleware (a branch copies
        // the app's properties); without this mark WebApplication would put a second, unconditional
        // one at the start of the pipeline (OidcPipelineScopeTests fail then).
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.UseJsonBodyTextCheck();

        app.MapOpenApi();
        app.MapServiceEndpoints();
        var tenant = app.MapGroup("/v1/tenants/{tenant}").RequireCors(TenantCorsPolicyProvider.PolicyName);
        tenant.MapCeremonyEndpoints();
        tenant.MapAccountEndpoints();
        tenant.MapRecoveryCodeStatusEndpoints();
        tenant.MapSessionEndpoints();
        tenant.MapOidcEndpoints();
        tenant.MapAnalyticsEndpoints();
        // Each adds its routes to the admin group (MapWebhookEndpoints and MapAdminAnalyticsEndpoints answer their own sub-groups, so they are not chained).
        var admin = app.MapAdminEndpoints().MapOperatorEndpoints().MapAdminUserEndpoints().MapOidcClientEndpoints();
        admin.MapWebhookEndpoints();
        admin.MapAdminAnalyticsEndpoints();
        app.MapPasskeyEndpoints(tenant, admin);
        app.MapConsoleEndpoints();
        return app;
    }

    // Webhooks (docs/webhooks.md): endpoints managed on the admin API, deliveries enqueued by the
    // store with every audit event and sent by one worker per node.
    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Webhooks.WebhookOptions>().Bind(configuration.GetSection(Webhooks.WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Webhooks.WebhookOptions>, Webhooks.WebhookOptionsValidator>();
        services.AddSingleton<Webhooks.WebhookTargets>();
        services.AddSingleton<Webhooks.WebhookService>();
        services.AddSingleton<Webhooks.WebhookSender>();
        services.AddSingleton<Webhooks.WebhookDeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Webhooks.WebhookDeliveryWorker>());
    }

    // Signing keys are encrypted with Data Protection (its key ring in a folder, owner-only) or with
    // an explicit key-encryption key; see SigningKeyProtector and docs/operations.md, "Security".
    private static void AddKeyProtection(IServiceCollection services)
    {
        // A fixed application name: the default (the content root path) would keep nodes installed
        // in different folders from reading each other's payloads through a shared key ring.
        services.AddDataProtection().SetApplicationName("Passkeys.Server");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var folder = KeyRingFolder(sp, createDataFolder: true);
            sp.GetRequiredService<DataFolder>().SecureFolderAndFiles(folder);
            o.XmlRepository = new OwnerOnlyXmlRepository(folder);
        }));
        services.AddSingleton<SigningKeyProtector>();
        services.AddSingleton<SigningKeyMigration>();
    }

    // {DataDirectory}/keys unless a folder is configured; the data folder is created (0700) first when asked.
    private static string KeyRingFolder(IServiceProvider sp, bool createDataFolder = false)
    {
        var configured = sp.GetRequiredService<IOptions<PasskeysServerOptions>>().Value.KeyProtection.KeyRingDirectory;
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured);
        }
        var dataFolder = sp.GetRequiredService<DataFolder>();
        return Path.Combine(createDataFolder ? dataFolder.Ensure() : dataFolder.FullPath, "keys");
    }

    // An existing data folder and key ring, and the server's files in them, are tightened at every
    // start, also when nothing else in this start needs them (a PostgreSQL node with a configured
    // admin key, a key ring Data Protection reads only at the first token).
    private static void SecureDataFolder(IServiceProvider sp)
    {
        var folder = sp.GetRequiredService<DataFolder>();
        if (Directory.Exists(folder.FullPath))
        {
            folder.Ensure();
        }
        var keyRing = KeyRingFolder(sp);
        if (Directory.Exists(keyRing))
        {
            folder.SecureFolderAndFiles(keyRing);
        }
    }

    private static IPasskeyStore CreateStore(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<PasskeysServerOptions>>().Value;
        var metrics = sp.GetRequiredService<StoreMetrics>();
        if (options.Store == "postgres")
        {
            // The validator has checked that the connection string is present and parses.
            return new PostgresPasskeyStore(options.ConnectionString!, metrics);
        }
        var folder = sp.GetRequiredService<DataFolder>();
        folder.Ensure();
        var store = new SqlitePasskeyStore(folder.PathOf(DataFolder.DatabaseFileName), metrics);
        if (!SqliteProcessSettings.Applied)
        {
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqlitePasskeyStore>().LogWarning(
                "SQLite was opened in this process before the store, so it keeps its default serialized mode: correct, a few percent slower per sign-in (docs/operations.md, Storage)");
        }
        return store;
    }

    // The first time the server talks to its store: an unreachable PostgreSQL stops the start with a
    // message that says where it tried (never the password) and what to check, not a socket trace.
    private static void MigrateStore(IPasskeyStore store)
    {
        try
        {
            store.MigrateAsync().GetAwaiter().GetResult();
        }
        catch (Npgsql.NpgsqlException e) when (store is PostgresPasskeyStore postgres)
        {
            throw new InvalidOperationException(
                $"Passkeys:Store is 'postgres' but the database at {postgres.Target} cannot be used: {e.Message} " +
                "Check that PostgreSQL is running and reachable, and that Passkeys:ConnectionString names the right host, port, database, user and password.", e);
        }
    }

    private static void ConfigureRateLimits(RateLimiterOptions o, RateLimitOptions limits)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (context, ct) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProblemFactory.WriteAsync(context.HttpContext, ProblemFactory.Create(context.HttpContext, ServerError.RateLimited)).ConfigureAwait(false);
        };
        if (!limits.Enabled)
        {
            return;
        }
        static FixedWindowRateLimiterOptions PerMinute(int permits) =>
            new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

        var perAddress = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var cls = http.GetEndpoint()?.Metadata.GetMetadata<RateLimitClass>();
            if (cls is null)
            {
                return RateLimitPartition.GetNoLimiter("none");
            }
            // The forwarded client when a proxy is configured (ForwardedHeadersSetup); IPv6 by /64.
            var address = ClientPartition.Of(http.Connection.RemoteIpAddress);
            var permits = cls.Name switch
            {
                "ceremony" => limits.CeremonyPerAddress,
                "recovery" => limits.RecoveryPerAddress,
                "admin" => limits.AdminPerAddress,
                "session" => limits.SessionPerAddress,
                _ => limits.ApiPerAddress,
            };
            return RateLimitPartition.GetFixedWindowLimiter($"{cls.Name}:{address}", _ => PerMinute(permits));
        });
        var perTenant = PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            var cls = http.GetEndpoint()?.Metadata.GetMetadata<RateLimitClass>();
            if (cls?.Name != "ceremony" || http.GetRouteValue("tenant") is not string tenant)
            {
                return RateLimitPartition.GetNoLimiter("none");
            }
            return RateLimitPartition.GetFixedWindowLimiter("tenant:" + tenant, _ => PerMinute(limits.CeremonyPerTenant));
        });
        o.GlobalLimiter = PartitionedRateLimiter.CreateChained(perAddress, perTenant);
    }
}
