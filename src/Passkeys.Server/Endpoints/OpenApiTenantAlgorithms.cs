using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Describes a tenant's <c>algorithms</c> in the OpenAPI document. The body binds them as JSON
/// elements (a name or a number each), which the generator would show as items of any type.
/// </summary>
internal static class OpenApiTenantAlgorithms
{
    private const string Description =
        "COSE algorithms offered at registration, most preferred first: names (\"ES256\", \"EdDSA\", \"ML-DSA-44\") or numbers (-7, -8, -48); null for the library default.";

    /// <summary>Adds the transformer.</summary>
    public static OpenApiOptions AddTenantAlgorithmsSchema(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if ((type == typeof(TenantInput) || type == typeof(TenantView))
                && schema.Properties?.TryGetValue("algorithms", out var property) == true && property is OpenApiSchema algorithms)
            {
                algorithms.Description = Description;
                if (type == typeof(TenantInput))
                {
                    algorithms.Items = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Integer };
                }
            }
            return Task.CompletedTask;
        });
}
