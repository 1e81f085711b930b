using System.CommandLine;

namespace Passkeys.Cli.Admin;

/// <summary>
/// The options every <c>passkeys admin</c> command shares (<c>--url</c>, <c>--admin-key</c>,
/// <c>--json</c>), and how they resolve against the environment into a connection.
/// </summary>
internal sealed class AdminOptions(AdminConsole console)
{
    /// <summary>The server's own default (PasskeysServerApp binds http://localhost:5080 without --urls).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public const string UrlVariable = "PASSKEYS_URL";
    public const string AdminKeyVariable = "PASSKEYS_ADMIN_KEY";

    public AdminConsole Console { get; } = console;

    // Recursive: the options may follow any subcommand (`passkeys admin tenants list --json`).
    public Option<string?> Url { get; } = new("--url") { Description = $"The server's base URL (default: ${UrlVariable}, else {DefaultUrl})", Recursive = true };

    public Option<string?> AdminKey { get; } = new("--admin-key") { Description = $"The admin key (default: ${AdminKeyVariable}; prefer the variable: a command line is visible to other users)", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's JSON instead of tables (for scripts)", Recursive = true };

    /// <summary>The connection for one invocation.</summary>
    /// <exception cref="CliException">No admin key, or a URL that is not http(s).</exception>
    public AdminHttp Connect(ParseResult result)
    {
        string url = result.GetValue(Url) ?? NonEmpty(Console.Environment(UrlVariable)) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--url must be an http(s) URL such as {DefaultUrl}, not '{url}'");
        }
        string? key = result.GetValue(AdminKey);
        if (key is not null)
        {
            // Said on stderr so --json output stays clean; the key itself is never printed.
            Console.Error.WriteLine($"warning: --admin-key is visible in the process list and shell history; prefer ${AdminKeyVariable}");
        }
        key = NonEmpty(key) ?? NonEmpty(Console.Environment(AdminKeyVariable))
            ?? throw new CliException($"no admin key: set ${AdminKeyVariable} or pass --admin-key (a server without Passkeys:AdminKey writes a generated one to {{DataDirectory}}/admin.key)");
        return new AdminHttp(uri, key);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
