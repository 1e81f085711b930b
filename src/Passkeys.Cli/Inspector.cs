using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli;

/// <summary>
/// Decodes a WebAuthn response (or a bare attestation object or authenticator data) and prints a
/// readable report. Each section is decoded on its own, so one structural problem is reported and
/// the rest of the report still appears.
/// </summary>
internal static class Inspector
{
    public static int Run(string input, TextWriter output) => Run(input, output, InspectOptions.None);

    /// <summary>Prints the report; with <paramref name="options"/>, also judges a registration's attestation trust.</summary>
    public static int Run(string input, TextWriter output, InspectOptions options)
    {
        AttestationReport report;
        try
        {
            report = new AttestationReport(options);
        }
        catch (PasskeyException e)
        {
            output.WriteLine($"problem: --metadata: {e.Error} ({e.Code}): {e.Detail}");
            return 2;
        }
        input = input.Trim();
        bool ok = input.StartsWith('{') ? InspectJson(input, output, report) : InspectBinary(input, output, report);
        return ok ? 0 : 1;
    }

    private static bool InspectJson(string json, TextWriter o, AttestationReport report)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            o.WriteLine($"problem: not JSON: {e.Message}");
            return false;
        }
        if (!root.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
        {
            o.WriteLine("problem: no 'response' object: this is not a PublicKeyCredential JSON");
            return false;
        }
        bool ok = true;
        byte[]? clientDataHash = null;
        o.WriteLine(response.TryGetProperty("attestationObject", out _) ? "registration response" : "authentication response");
        Line(o, "id", Text(root, "id"));
        Line(o, "type", Text(root, "type"));
        Line(o, "authenticatorAttachment", Text(root, "authenticatorAttachment"));
        ok &= Section(o, "clientDataJSON", () =>
        {
            byte[] bytes = Base64UrlStrict.Decode(Text(response, "clientDataJSON") ?? "", "clientDataJSON");
            var cd = CollectedClientData.Parse(bytes);
            Line(o, "  type", cd.Type);
            Line(o, "  challenge", cd.Challenge);
            Line(o, "  origin", cd.Origin);
            Line(o, "  crossOrigin", cd.CrossOrigin?.ToString().ToLowerInvariant() ?? "(absent)");
            Line(o, "  topOrigin", cd.TopOrigin ?? "(absent)");
            clientDataHash = SHA256.HashData(bytes);
            Line(o, "  SHA-256", Convert.ToHexStringLower(clientDataHash));
        });
        if (response.TryGetProperty("transports", out var transports) && transports.ValueKind == JsonValueKind.Array)
        {
            Line(o, "transports", string.Join(", ", transports.EnumerateArray().Select(t => t.GetString())));
        }
        if (Text(response, "attestationObject") is { } attestation)
        {
            AttestationObject? parsed = null;
            ok &= Section(o, "attestationObject", () => parsed = Attestation(Base64UrlStrict.Decode(attestation, "attestationObject"), o));
            if (parsed is not null)
            {
                ok &= report.Write(parsed, clientDataHash, o);
            }
        }
        else
        {
            ok &= Section(o, "authenticatorData", () => AuthData(AuthenticatorData.Parse(Base64UrlStrict.Decode(Text(response, "authenticatorData") ?? "", "authenticatorData")), o));
            Line(o, "signature", Text(response, "signature"));
            Line(o, "userHandle", Text(response, "userHandle") ?? "(absent)");
        }
        if (root.TryGetProperty("clientExtensionResults", out var ext))
        {
            Line(o, "clientExtensionResults", ext.GetRawText());
        }
        return ok;
    }

    private static bool InspectBinary(string text, TextWriter o, AttestationReport report)
    {
        byte[] bytes;
        try
        {
            bytes = Base64UrlStrict.Decode(text, "input");
        }
        catch (PasskeyException e)
        {
            o.WriteLine($"problem: {e.Error} ({(int)e.Error}): {e.Detail}");
            return false;
        }
        // A CBOR map head (major type 5) starts an attestation object; authenticator data starts with a hash.
        if (bytes.Length > 0 && bytes[0] >> 5 == 5 && bytes.Length < 37 + 1 || (bytes.Length > 0 && bytes[0] >> 5 == 5 && LooksLikeAttestationObject(bytes)))
        {
            AttestationObject? parsed = null;
            bool ok = Section(o, "attestationObject", () => parsed = Attestation(bytes, o));
            return parsed is null ? ok : report.Write(parsed, null, o) && ok;
        }
        return Section(o, "authenticatorData", () => AuthData(AuthenticatorData.Parse(bytes), o));
    }

    private static bool LooksLikeAttestationObject(byte[] bytes)
    {
        try
        {
            return CborDecoder.Decode(bytes, CborConformance.Lax, "input") is CborMap map && map["fmt"] is not null;
        }
        catch (PasskeyException)
        {
            return false;
        }
    }

    private static AttestationObject Attestation(byte[] bytes, TextWriter o)
    {
        var attestation = AttestationObject.Parse(bytes);
        Line(o, "  fmt", attestation.Format);
        AuthData(attestation.AuthenticatorData, o);
        if (attestation.Statement is not CborMap statement)
        {
            Line(o, "  attStmt", $"{attestation.Statement.Kind} ({(attestation.Statement as CborArray)?.Items.Count ?? 0} statements)");
            return attestation;
        }
        foreach (var (key, value) in statement.Entries)
        {
            string name = key is CborTextString t ? t.Value : key.Kind;
            if (name == "x5c")
            {
                var certificates = AttestationCertificates.ReadX5c(value, attestation.Format);
                for (int i = 0; i < certificates.Count; i++)
                {
                    var c = certificates[i];
                    o.WriteLine($"  x5c[{i}]: subject  {c.Subject}");
                    o.WriteLine($"          issuer   {c.Issuer}");
                    o.WriteLine($"          valid    {c.NotBefore.ToUniversalTime():u} → {c.NotAfter.ToUniversalTime():u}");
                }
            }
            else
            {
                Line(o, $"  attStmt.{name}", value switch
                {
                    CborInteger i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CborTextString s => s.Value,
                    CborByteString b => $"{b.Value.Length} bytes",
                    _ => value.Kind,
                });
            }
        }
        return attestation;
    }

    private static void AuthData(AuthenticatorData authData, TextWriter o)
    {
        Line(o, "  rpIdHash", Convert.ToHexStringLower(authData.RpIdHash));
        Line(o, "  flags", $"0x{(byte)authData.Flags:x2} ({authData.Flags})");
        Line(o, "  signCount", authData.SignCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (authData.AttestedCredentialData is { } credential)
        {
            Line(o, "  aaguid", credential.Aaguid.ToString());
            Line(o, "  credentialId", $"{Base64UrlStrict.Encode(credential.CredentialId.Span)} ({credential.CredentialId.Length} bytes)");
            var key = credential.CredentialPublicKey;
            Line(o, "  publicKey", $"{key.KeyType} {key.Curve?.ToString() ?? ""} {CoseAlgorithms.Name(key.Algorithm)} ({(int)key.Algorithm})".Replace("  ", " ", StringComparison.Ordinal));
            Line(o, "  publicKey (COSE)", Base64UrlStrict.Encode(key.Encoded.Span));
        }
        if (authData.Extensions is { } extensions)
        {
            foreach (var (key, value) in extensions.Entries)
            {
                Line(o, $"  extension {(key is CborTextString t ? t.Value : key.Kind)}", value switch
                {
                    CborInteger i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CborSimple s => s.Kind,
                    CborByteString b => $"{b.Value.Length} bytes",
                    _ => value.Kind,
                });
            }
        }
    }

    private static bool Section(TextWriter o, string name, Action body)
    {
        o.WriteLine($"{name}:");
        try
        {
            body();
            return true;
        }
        catch (PasskeyException e)
        {
            o.WriteLine($"  problem: {e.Error} ({(int)e.Error}): {e.Detail}");
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Line(TextWriter o, string name, string? value) => o.WriteLine($"{name + ":",-26}{value ?? "(absent)"}");
}
