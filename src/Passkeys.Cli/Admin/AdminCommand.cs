using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin …</c>: operates a Passkeys server through its admin API (docs/api.md,
/// "Admin API"). One file per resource group; each command is a thin typed call over HTTP.
/// Exit codes: 0 done, 1 the server said no, 2 bad usage or the server cannot be reached.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(AdminConsole? console = null)
    {
        var options = new AdminOptions(console ?? AdminConsole.System);
        var command = new Command("admin", "Operate a Passkeys server: tenants, API keys, users, signing keys, audit, console operators, export and import")
        {
            options.Url,
            options.AdminKey,
            options.Json,
            TenantsCommand.Create(options),
            ApiKeysCommand.Create(options),
            UsersCommand.Create(options),
            SigningKeysCommand.Create(options),
            AuditCommand.Create(options),
            FunnelCommand.Create(options),
            OperatorsCommand.Create(options),
            MigrationCommands.Export(options),
            MigrationCommands.Import(options),
        };
        return command;
    }

    /// <summary><c>--tenant T</c>, required by every group below a tenant; recursive so it may come before or after the subcommand.</summary>
    public static Option<string> TenantOption() => new("--tenant") { Description = "The tenant id", Required = true, Recursive = true };

    /// <summary>
    /// A number option that must lie in [<paramref name="min"/>, <paramref name="max"/>]; anything
    /// else is a usage error naming the range (rather than a server that silently clamps).
    /// </summary>
    public static Option<T?> RangeOption<T>(string name, string description, T min, T max, T? defaultValue = null) where T : struct, INumber<T>
    {
        var option = new Option<T?>(name)
        {
            Description = description,
            CustomParser = r =>
            {
                string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (T.TryParse(text, CultureInfo.InvariantCulture, out T value) && value >= min && value <= max)
                {
                    return value;
                }
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}, not '{text}'"));
                return null;
            },
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }
        return option;
    }

    /// <summary><c>--yes</c> for destructive commands.</summary>
    public static Option<bool> YesOption() => new("--yes") { Description = "Do it without asking (required when stdin is not a terminal)" };
}
