namespace PasswordApp;

/// <summary>The sample's settings (section <c>PasswordApp</c>: appsettings, environment or command line).</summary>
public sealed class PasswordAppOptions
{
    public const string Section = "PasswordApp";

    /// <summary>The passkey server as the browser and this backend both reach it, e.g. <c>http://localhost:5080</c>.</summary>
    public string PasskeysServer { get; set; } = "http://localhost:5080";

    /// <summary>The tenant of the passkey server this app's users belong to.</summary>
    public string Tenant { get; set; } = "default";

    /// <summary>The tenant's API key (<c>pkk_…</c>); only this backend holds it, never the browser.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Where the app's own users (names and password hashes) are kept, a JSON file.</summary>
    public string UsersFile { get; set; } = "password-app-users.json";

    /// <summary>The server's base URL without a trailing slash.</summary>
    public string ServerBase => PasskeysServer.TrimEnd('/');

    /// <summary>The tenant's API root on the server.</summary>
    public string TenantRoot => $"{ServerBase}/v1/tenants/{Uri.EscapeDataString(Tenant)}";
}
