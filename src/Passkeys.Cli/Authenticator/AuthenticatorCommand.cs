using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Cli.Authenticator;

/// <summary>
/// `passkeys authenticator …`: a software authenticator and browser-role client on a credential
/// store file, for producing real responses by hand or driving a Passkeys server.
/// Exit codes: 0 success, 1 the ceremony failed (client error or server problem), 2 bad input.
/// </summary>
internal static class AuthenticatorCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The credential store file (created when missing)", DefaultValueFactory = _ => AuthenticatorSettings.DefaultStorePath, Recursive = true };
        var seed = new Option<int?>("--seed") { Description = "Deterministic keys and credential ids (use the same seed for the same store)", Recursive = true };
        AuthenticatorSettings Settings(ParseResult r) => new(r.GetValue(store)!, r.GetValue(seed));

        var command = new Command("authenticator", "A software passkey authenticator on a credential store file") { store, seed };

        var optionsFile = new Option<string>("--options") { Description = "The creation/request options JSON (or a server's {ceremonyId, options}); '-' reads stdin", Required = true };
        var origin = new Option<string>("--origin") { Description = "The page origin the ceremony runs on, e.g. https://example.com", Required = true };
        var attestation = new Option<string>("--attestation") { Description = "Attestation statement format", DefaultValueFactory = _ => "none" };
        attestation.AcceptOnlyFromAmong([.. AuthenticatorChoices.Attestations.Keys]);
        var compoundOf = CompoundOfOption();
        var alg = new Option<string?>("--alg") { Description = "The only algorithm the authenticator offers (default: the first requested it supports)" };
        alg.AcceptOnlyFromAmong([.. Algorithms.Keys]);
        var attestationAlg = AttestationAlgorithmOption();
        var createFaults = FaultOption();
        var create = new Command("create", "navigator.credentials.create(): print the RegistrationResponseJSON for creation options") { optionsFile, origin, attestation, compoundOf, alg, attestationAlg, createFaults };
        create.SetAction(r => Guard(Console.Error, () =>
            RunCreate(Settings(r), ReadInput(r.GetValue(optionsFile)!), r.GetValue(origin)!, r.GetValue(attestation)!, r.GetValue(alg), Console.Out, Console.Error,
                r.GetValue(createFaults), r.GetValue(compoundOf), r.GetValue(attestationAlg))));
        command.Subcommands.Add(create);

        var getOptionsFile = new Option<string>("--options") { Description = "The request options JSON (or a server's {ceremonyId, options}); '-' reads stdin", Required = true };
        var getOrigin = new Option<string>("--origin") { Description = "The page origin the ceremony runs on", Required = true };
        var getFaults = FaultOption();
        var get = new Command("get", "navigator.credentials.get(): print the AuthenticationResponseJSON for request options") { getOptionsFile, getOrigin, getFaults };
        get.SetAction(r => Guard(Console.Error, () =>
            RunGet(Settings(r), ReadInput(r.GetValue(getOptionsFile)!), r.GetValue(getOrigin)!, Console.Out, Console.Error, r.GetValue(getFaults))));
        command.Subcommands.Add(get);

        var list = new Command("list", "List the stored credentials");
        list.SetAction(r => Guard(Console.Error, () => RunList(Settings(r), Console.Out)));
        command.Subcommands.Add(list);

        var rootOf = new Option<string>("--attestation") { Description = "The format whose root to print (compound: each root of --compound-of)", DefaultValueFactory = _ => "packed" };
        rootOf.AcceptOnlyFromAmong([.. AuthenticatorChoices.WithRoot]);
        var rootCompoundOf = CompoundOfOption();
        var exportRoot = new Command("export-root", "Print the test root certificate (PEM) an attestation format's statements chain to (packed, fido-u2f and tpm share one)") { rootOf, rootCompoundOf };
        exportRoot.SetAction(r => Guard(Console.Error, () => RunExportRoot(Console.Out, r.GetValue(rootOf)!, r.GetValue(rootCompoundOf))));
        command.Subcommands.Add(exportRoot);

        command.Subcommands.Add(ServerCeremonies.CreateRegister(Settings));
        command.Subcommands.Add(ServerCeremonies.CreateSignIn(Settings));
        return command;
    }

    /// <summary>The --alg names and their COSE identifiers.</summary>
    public static IReadOnlyDictionary<string, int> Algorithms { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ES256"] = SupportedAlgorithms.ES256,
        ["ES384"] = SupportedAlgorithms.ES384,
        ["ES512"] = SupportedAlgorithms.ES512,
        ["RS256"] = SupportedAlgorithms.RS256,
        ["PS256"] = SupportedAlgorithms.PS256,
        ["EdDSA"] = SupportedAlgorithms.EdDSA,
        ["ML-DSA-44"] = SupportedAlgorithms.MLDsa44,
        ["ML-DSA-65"] = SupportedAlgorithms.MLDsa65,
        ["ML-DSA-87"] = SupportedAlgorithms.MLDsa87,
    };

    /// <summary>`create`: prints the RegistrationResponseJSON and saves the store.</summary>
    public static int RunCreate(AuthenticatorSettings settings, string optionsJson, string origin, string attestation, string? alg, TextWriter output, TextWriter error,
        IReadOnlyList<string>? faults = null, IReadOnlyList<string>? compoundOf = null, string? attestationAlg = null)
    {
        var kind = AuthenticatorChoices.Attestation(attestation);
        var compound = AuthenticatorChoices.Compound(compoundOf);
        var behaviour = new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet(faults), compound, AuthenticatorChoices.AttestationAlgorithm(attestationAlg, kind, compound));
        IReadOnlyList<int>? algorithms = null;
        if (alg is not null)
        {
            algorithms = Algorithms.TryGetValue(alg, out int a) ? [a] : throw new CliException($"--alg must be one of {string.Join(", ", Algorithms.Keys)}, not '{alg}'");
        }
        using var session = AuthenticatorSession.Open(settings, kind, algorithms, behaviour);
        var client = new SoftwareClient(session.Authenticator, new SoftwareClientOptions { Origin = origin });
        string response;
        try
        {
            response = client.CreateAsync(UnwrapOptions(optionsJson)).GetAwaiter().GetResult();
        }
        catch (WebAuthnClientException e)
        {
            return ClientError(e, error);
        }
        session.Save();
        output.WriteLine(response);
        return 0;
    }

    /// <summary>`get`: prints the AuthenticationResponseJSON and saves the store (the counter moved).</summary>
    public static int RunGet(AuthenticatorSettings settings, string optionsJson, string origin, TextWriter output, TextWriter error, IReadOnlyList<string>? faults = null)
    {
        var behaviour = new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet(faults), AttestationKinds.DefaultCompound);
        using var session = AuthenticatorSession.Open(settings, behaviour: behaviour);
        var client = new SoftwareClient(session.Authenticator, new SoftwareClientOptions { Origin = origin });
        string response;
        try
        {
            response = client.GetAsync(UnwrapOptions(optionsJson)).GetAwaiter().GetResult();
        }
        catch (WebAuthnClientException e)
        {
            return ClientError(e, error);
        }
        session.Save();
        output.WriteLine(response);
        return 0;
    }

    /// <summary>`list`: one line per stored credential.</summary>
    public static int RunList(AuthenticatorSettings settings, TextWriter output)
    {
        using var session = AuthenticatorSession.Open(settings);
        var credentials = session.Store.Credentials;
        if (credentials.Count == 0)
        {
            output.WriteLine($"no credentials in {settings.StorePath}");
            return 0;
        }
        output.WriteLine($"{"rp id",-24} {"user name",-24} {"credential id",-44} {"alg",-6} {"counter",7}  created");
        foreach (var c in credentials)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.RpId,-24} {c.UserName ?? "(none)",-24} {c.CredentialId,-44} {AlgorithmName(c.Algorithm),-6} {c.SignCount,7}  {c.CreatedAt.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}"));
        }
        return 0;
    }

    /// <summary>`export-root`: the test root of <paramref name="attestation"/> in PEM (for compound, each distinct root of its parts).</summary>
    public static int RunExportRoot(TextWriter output, string attestation = "packed", IReadOnlyList<string>? compoundOf = null)
    {
        var kind = AuthenticatorChoices.Attestation(attestation);
        var compound = AuthenticatorChoices.Compound(compoundOf);
        using var ca = AuthenticatorSession.CreateCertificateAuthority();
        using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Attestation = kind, CompoundAttestation = compound, CertificateAuthority = ca,
        });
        var roots = authenticator.AttestationRootPems;
        if (roots.Count == 0)
        {
            throw new CliException($"{attestation} attestation carries no certificate chain, so it has no root");
        }
        foreach (string pem in roots)
        {
            output.WriteLine(pem);
        }
        return 0;
    }

    internal static Option<string[]> FaultOption()
    {
        var option = new Option<string[]>("--fault")
        {
            Description = "Make the authenticator misbehave this way (repeatable); see docs/cli.md for what each does",
            Arity = ArgumentArity.OneOrMore,
        };
        option.AcceptOnlyFromAmong([.. AuthenticatorChoices.Faults.Keys]);
        return option;
    }

    /// <summary>--attestation-alg: the packed attestation key's algorithm.</summary>
    internal static Option<string?> AttestationAlgorithmOption()
    {
        var option = new Option<string?>("--attestation-alg")
        {
            Description = "The packed attestation key's algorithm, which signs the statement and whose certificate is x5c[0] (default ES256; packed, or compound with packed)",
        };
        option.AcceptOnlyFromAmong([.. AuthenticatorChoices.AttestationAlgorithms.Keys]);
        return option;
    }

    internal static Option<string[]> CompoundOfOption()
    {
        var option = new Option<string[]>("--compound-of")
        {
            Description = "With compound: the sub-statement formats, in order (repeat; at least two; default packed and tpm)",
            Arity = ArgumentArity.OneOrMore,
        };
        option.AcceptOnlyFromAmong([.. AuthenticatorChoices.CompoundParts]);
        return option;
    }

    public static string AlgorithmName(int algorithm)
    {
        foreach (var (name, value) in Algorithms)
        {
            if (value == algorithm)
            {
                return name;
            }
        }
        return algorithm.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Accepts bare options, a server's begin response {ceremonyId, options}, or {publicKey: …}.</summary>
    public static string UnwrapOptions(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("challenge", out _))
            {
                if (root.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object)
                {
                    return options.GetRawText();
                }
                if (root.TryGetProperty("publicKey", out var publicKey) && publicKey.ValueKind == JsonValueKind.Object)
                {
                    return publicKey.GetRawText();
                }
            }
            return json;
        }
        catch (JsonException)
        {
            // The client reports unreadable options as a TypeError, as a browser would.
            return json;
        }
    }

    /// <summary>A client-side failure: the DOMException name and message, exit code 1.</summary>
    public static int ClientError(WebAuthnClientException e, TextWriter error)
    {
        error.WriteLine($"{e.Name}: {e.Message}");
        return 1;
    }

    /// <summary>Reads FILE, or stdin for '-'.</summary>
    public static string ReadInput(string path)
    {
        try
        {
            return path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Runs an action, turning <see cref="CliException"/> into a stderr line and exit code 2.</summary>
    public static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            error.WriteLine($"passkeys: {e.Message}");
            return 2;
        }
    }
}
