using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Describes registration begin's <c>mediation</c> in the OpenAPI document as the three values the
/// server accepts (it binds as a plain string, which the generator would show as any text).
/// </summary>
internal static class OpenApiRegistrationMediation
{
    private const string Description =
        "How the browser will be asked: \"conditional\" for a conditional create (no prompt; only for an existing user signed in with a user token or the app's API key; "
        + "error 1120 otherwise), \"optional\" or \"required\" (or absent) for the usual prompt. Kept in the ceremony: only a conditional one accepts a response without user presence.";

    /// <summary>Adds the transformer.</summary>
    public static OpenApiOptions AddRegistrationMediationSchema(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(RegistrationBeginRequest)
                && schema.Properties?.TryGetValue("mediation", out var property) == true && property is Microsoft.OpenApi.OpenApiSchema mediation)
            {
                mediation.Description = Description;
                mediation.Enum = [JsonValue.Create("conditional"), JsonValue.Create("optional"), JsonValue.Create("required")];
            }
            return Task.CompletedTask;
        });
}
