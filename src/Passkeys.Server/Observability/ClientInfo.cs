namespace Passkeys.Server.Observability;

/// <summary>Who is calling: address and user agent, with browser and OS families for failure rates.</summary>
public sealed record ClientInfo(string? Address, string? UserAgent, string? Browser, string? Os)
{
    /// <summary>Reads the caller from the request.</summary>
    public static ClientInfo From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ua = context.Request.Headers.UserAgent.ToString();
        if (ua.Length > 512)
        {
            ua = ua[..512];
        }
        return new ClientInfo(context.Connection.RemoteIpAddress?.ToString(), ua.Length == 0 ? null : ua, BrowserOf(ua), OsOf(ua));
    }

    /// <summary>The browser family of a user agent string (order matters: Edge and Opera also say Chrome).</summary>
    public static string? BrowserOf(string ua)
    {
        if (string.IsNullOrEmpty(ua)) return null;
        if (ua.Contains("Edg/", StringComparison.Ordinal) || ua.Contains("EdgA/", StringComparison.Ordinal) || ua.Contains("EdgiOS/", StringComparison.Ordinal)) return "Edge";
        if (ua.Contains("OPR/", StringComparison.Ordinal)) return "Opera";
        if (ua.Contains("SamsungBrowser/", StringComparison.Ordinal)) return "Samsung Internet";
        if (ua.Contains("Firefox/", StringComparison.Ordinal) || ua.Contains("FxiOS/", StringComparison.Ordinal)) return "Firefox";
        if (ua.Contains("Chrome/", StringComparison.Ordinal) || ua.Contains("CriOS/", StringComparison.Ordinal) || ua.Contains("HeadlessChrome", StringComparison.Ordinal)) return "Chrome";
        if (ua.Contains("Safari/", StringComparison.Ordinal)) return "Safari";
        return "Other";
    }

    /// <summary>The OS family of a user agent string.</summary>
    public static string? OsOf(string ua)
    {
        if (string.IsNullOrEmpty(ua)) return null;
        if (ua.Contains("Android", StringComparison.Ordinal)) return "Android";
        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal)) return "iOS";
        if (ua.Contains("Windows", StringComparison.Ordinal)) return "Windows";
        if (ua.Contains("CrOS", StringComparison.Ordinal)) return "ChromeOS";
        if (ua.Contains("Mac OS X", StringComparison.Ordinal) || ua.Contains("Macintosh", StringComparison.Ordinal)) return "macOS";
        if (ua.Contains("Linux", StringComparison.Ordinal)) return "Linux";
        return "Other";
    }
}
