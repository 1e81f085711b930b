using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Passkeys.Server.Webhooks;

namespace Passkeys.Server.Configuration;

/// <summary>
/// Stops the start on a key under <c>Passkeys</c> that is no setting (<see cref="UnknownSettings"/>),
/// as on a setting with a wrong value: a typo must not leave the default in force unnoticed.
/// </summary>
public sealed class UnknownSettingsValidator(IConfiguration configuration) : IValidateOptions<PasskeysServerOptions>
{
    /// <summary>Keys of the section bound to their own options type.</summary>
    private static readonly Dictionary<string, Type> AlsoBound = new() { ["Webhooks"] = typeof(WebhookOptions) };

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PasskeysServerOptions options)
    {
        var unknown = UnknownSettings.Find(configuration.GetSection(PasskeysServerOptions.Section), typeof(PasskeysServerOptions), AlsoBound);
        return unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unknown);
    }
}
