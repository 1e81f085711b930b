using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>At start, tells the operator how to enrol the first console operator while none exists.</summary>
public static partial class ConsoleStartup
{
    /// <summary>Registers the console's services.</summary>
    public static IServiceCollection AddPasskeysConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleTenant>();
        services.AddSingleton<OperatorSessions>();
        services.AddSingleton<OperatorInvitations>();
        services.AddSingleton<OperatorCeremonies>();
        services.AddSingleton<OperatorAudit>();
        return services;
    }

    /// <summary>Logs the bootstrap instructions when the store has no operator yet.</summary>
    public static void LogBootstrapHint(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IPasskeyStore>();
        if (store.ListUsersAsync(ConsoleTenant.Id, null, 1).GetAwaiter().GetResult().Count == 0)
        {
            LogNoOperator(services.GetRequiredService<ILoggerFactory>().CreateLogger("Passkeys.Server.OperatorConsole"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The operator console (/console) has no operator yet. Enrol the first one with the admin key: " +
        "curl -X POST -H \"Authorization: Bearer $PASSKEYS_ADMIN_KEY\" <PublicBaseUrl>/v1/admin/operators/bootstrap, " +
        "then open the enrolmentUrl it returns (once, within Passkeys:Console:InvitationLifetime) and create your passkey. See docs/operations.md, \"Operator console\".")]
    private static partial void LogNoOperator(ILogger logger);
}
