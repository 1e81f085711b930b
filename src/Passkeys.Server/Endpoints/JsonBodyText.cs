using System.Text.Json;
using System.Text.Unicode;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Refuses a JSON request body whose text is not Unicode, before any endpoint binds it: bytes that
/// are not UTF-8 (invalid, overlong, encoded surrogates) and escaped lone surrogates (<c>"\ud800"</c>),
/// in any value or member name, are 400 MalformedRequest. System.Text.Json refuses these only in the
/// strings it binds; in a member it skips (an unknown name, the WebAuthn response passed on as a
/// JsonElement) it leaves them alone, and a later reader then throws InvalidOperationException.
/// Checking the whole body once here makes every body of every endpoint follow one rule.
/// </summary>
internal static class JsonBodyText
{
    /// <summary>Adds the check; call after the exception handler, before the endpoints.</summary>
    public static IApplicationBuilder UseJsonBodyTextCheck(this IApplicationBuilder app) =>
        app.Use(next => async context =>
        {
            if (context.Request.HasJsonContentType() && context.Request.ContentLength is not 0)
            {
                await CheckAsync(context.Request).ConfigureAwait(false);
            }
            await next(context).ConfigureAwait(false);
        });

    private static async Task CheckAsync(HttpRequest request)
    {
        // Buffered (bounded by Kestrel's MaxRequestBodySize, which throws 413 past it) and rewound
        // for the endpoint's own binding.
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        if (!TryFind(copy.GetBuffer().AsSpan(0, (int)copy.Length), out var problem))
        {
            return;
        }
        throw new ServerException(ServerError.MalformedRequest, $"The request body is not valid JSON text: {problem}");
    }

    /// <summary>Finds the first reason <paramref name="body"/> is not Unicode JSON text; false when there is none to report here.</summary>
    internal static bool TryFind(ReadOnlySpan<byte> body, out string problem)
    {
        if (!Utf8.IsValid(body))
        {
            problem = "it is not UTF-8.";
            return true;
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            while (reader.Read())
            {
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
                {
                    _ = reader.GetString(); // unescapes; a lone surrogate throws
                }
            }
        }
        catch (InvalidOperationException)
        {
            problem = "a string or member name escapes a lone surrogate, which is not a Unicode character.";
            return true;
        }
        catch (JsonException)
        {
            // Not JSON at all: the endpoint's binding reports it as it always has (400 MalformedRequest).
        }
        problem = "";
        return false;
    }
}
