using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
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
        var maxBody = section.GetValue<long?>(nameof(PasskeysServerOptions.MaxRequestBodyBytes)) ?? 64 * 1024;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PasskeysMetrics>();
        services.AddSingleton(sp => new StoreMetrics(sp.GetRequiredService<PasskeysMetrics>().Meter));
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton(CreateStore);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<AdminKey>();
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<Access>();
        services.AddSingleton<RelyingParties>();
        services.AddSingleton<FakeCredentialSource>();
        services.AddSingleton<CeremonyService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<Sessions.SessionService>();
        services.AddSingleton<TenantService>();
        services.AddSingleton<CeremonyPurgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<CeremonyPurgeService>());

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
        services.AddRateLimiter(o => ConfigureRateLimits(o, section.Get<PasskeysServerOptions>()?.RateLimits ?? new RateLimitOptions()));
        services.AddOpenApi();

        configure?.Invoke(builder);
        var app = builder.Build();

        // Start-up work that must finish before the first request: validate, migrate, seed.
        _ = app.Services.GetRequiredService<IOptions<PasskeysServerOptions>>().Value;
        MigrateStore(app.Services.GetRequiredService<IPasskeyStore>());
        app.Services.GetRequiredService<TenantService>().EnsureDefaultAsync(default).GetAwaiter().GetResult();
        _ = app.Services.GetRequiredService<AdminKey>();
        _ = app.Services.GetRequiredService<PrometheusExporter>();

        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
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
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseExactPathParameters();
        app.UseCors();
        app.UseRateLimiter();
        app.UseJsonBodyTextCheck();

        app.MapOpenApi();
        app.MapServiceEndpoints();
        var tenant = app.MapGroup("/v1/tenants/{tenant}").RequireCors(TenantCorsPolicyProvider.PolicyName);
        tenant.MapCeremonyEndpoints();
        tenant.MapAccountEndpoints();
        tenant.MapSessionEndpoints();
        app.MapAdminEndpoints();
        return app;
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
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        return new SqlitePasskeyStore(Path.Combine(directory, "passkeys.db"), metrics);
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
            var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
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
