using System.Text.Json;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>What the registration's extension outputs said.</summary>
internal readonly record struct RegistrationExtensionResults(bool? Discoverable, bool? PrfEnabled, bool? LargeBlobSupported, int? CredentialProtectionPolicy);

/// <summary>
/// REG-28 / AUTH-23: extension outputs are processed after the signature and attestation are
/// verified. Known outputs are checked for shape; unrequested outputs are ignored or rejected by
/// <see cref="UnrequestedExtensionPolicy"/>; missing outputs are always tolerated (clients may drop them).
/// </summary>
internal static class ExtensionOutputs
{
    public static RegistrationExtensionResults ProcessRegistration(IReadOnlyDictionary<string, JsonElement> client, AuthenticatorData authData,
        RegistrationExtensions requested, UnrequestedExtensionPolicy policy)
    {
        bool? rk = null, prf = null, largeBlob = null;
        foreach (var (name, value) in client)
        {
            switch (name)
            {
                case "credProps":
                    Unrequested(!requested.CredProps, name, policy);
                    rk = OptionalBoolean(value, name, "rk");
                    break;
                case "prf":
                    Unrequested(!requested.Prf, name, policy);
                    prf = OptionalBoolean(value, name, "enabled");
                    break;
                case "largeBlob":
                    Unrequested(requested.LargeBlobSupport is null, name, policy);
                    largeBlob = OptionalBoolean(value, name, "supported");
                    break;
                case "appidExclude":
                    // §10.1.2: the client says it acted on appidExclude (probed excludeCredentials
                    // under the AppID too). The output carries no security decision for the RP: had
                    // the probe found a U2F credential, the client would have failed create() with
                    // InvalidStateError and there would be no response. Only its shape is checked.
                    Unrequested(requested.AppIdExclude is null, name, policy);
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw new PasskeyException(PasskeyError.InvalidExtensionOutput, "appidExclude output must be a boolean");
                    }
                    break;
                default:
                    Unrequested(true, name, policy);
                    break;
            }
        }

        int? credProtect = null;
        if (authData.Extensions is { } authenticatorExtensions)
        {
            foreach (var (key, value) in authenticatorExtensions.Entries)
            {
                string name = key is CborTextString t ? t.Value : $"(non-text key {key.Kind})";
                switch (name)
                {
                    case "credProtect":
                        Unrequested(requested.CredentialProtectionPolicy is null, name, policy);
                        long level = Cbor.AsInt64(value, PasskeyError.InvalidExtensionOutput, "credProtect output");
                        if (level is < 1 or > 3)
                        {
                            throw new PasskeyException(PasskeyError.InvalidExtensionOutput, $"credProtect output {level} is not 1, 2 or 3");
                        }
                        if (requested.EnforceCredentialProtectionPolicy && level < requested.CredentialProtectionPolicy)
                        {
                            throw new PasskeyException(PasskeyError.InvalidExtensionOutput,
                                $"credProtect {requested.CredentialProtectionPolicy} was required and the authenticator applied {level}");
                        }
                        credProtect = (int)level;
                        break;
                    case "hmac-secret":
                        Unrequested(!requested.Prf, name, policy);
                        Cbor.AsBoolean(value, PasskeyError.InvalidExtensionOutput, "hmac-secret output");
                        break;
                    default:
                        Unrequested(true, name, policy);
                        break;
                }
            }
        }
        return new RegistrationExtensionResults(rk, prf, largeBlob, credProtect);
    }

    /// <summary>
    /// AUTH-04: reads the appid output (needed before AUTH-15); AUTH-23 (<paramref name="enforce"/>):
    /// applies the unrequested-output policy. Allocation-free for the common "{}".
    /// </summary>
    public static bool ReadAuthentication(ReadOnlySpan<byte> clientJson, AuthenticatorData authData, AuthenticationState state, UnrequestedExtensionPolicy policy, bool enforce)
    {
        bool appIdUsed = false;
        if (clientJson.Length > 2)
        {
            try
            {
                var reader = new Utf8JsonReader(clientJson);
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isAppId = reader.ValueTextEquals("appid"u8);
                    string? name = enforce && !isAppId ? reader.GetString() : null;
                    reader.Read();
                    if (isAppId)
                    {
                        if (enforce)
                        {
                            Unrequested(state.AppId is null, "appid", policy);
                        }
                        appIdUsed = reader.TokenType switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False => false,
                            _ => throw new PasskeyException(PasskeyError.InvalidExtensionOutput, "appid output must be a boolean"),
                        };
                    }
                    else if (enforce)
                    {
                        // Outputs we never request when authenticating (largeBlob, prf, …).
                        Unrequested(true, name!, policy);
                    }
                    reader.Skip();
                }
            }
            catch (JsonException e)
            {
                throw new PasskeyException(PasskeyError.InvalidExtensionOutput, $"clientExtensionResults is not valid JSON: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                // An output name that is an escaped lone surrogate ("\ud800") cannot be unescaped.
                throw new PasskeyException(PasskeyError.InvalidExtensionOutput, $"clientExtensionResults holds a name that is not valid Unicode (an escaped lone surrogate): {e.Message}", e);
            }
        }
        if (enforce && authData.Extensions is { Count: > 0 } authenticatorExtensions)
        {
            var first = authenticatorExtensions.Entries[0].Key;
            Unrequested(true, first is CborTextString t ? t.Value : first.Kind, policy);
        }
        return appIdUsed && state.AppId is not null;
    }

    private static void Unrequested(bool unrequested, string name, UnrequestedExtensionPolicy policy)
    {
        if (unrequested && policy == UnrequestedExtensionPolicy.Reject)
        {
            throw new PasskeyException(PasskeyError.UnexpectedExtensionOutput, $"extension output '{name}' was not requested");
        }
    }

    private static bool? OptionalBoolean(JsonElement value, string extension, string member)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new PasskeyException(PasskeyError.InvalidExtensionOutput, $"{extension} output must be an object");
        }
        if (!value.TryGetProperty(member, out var flag))
        {
            return null;
        }
        return flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new PasskeyException(PasskeyError.InvalidExtensionOutput, $"{extension}.{member} must be a boolean"),
        };
    }
}
