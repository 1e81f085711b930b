namespace Passkeys.Server.Observability;

/// <summary>Who is calling: address and user agent, with browser and OS families and device type for failure rates.</summary>
/// <param name="DeviceType">desktop | mobile | tablet (<see cref="DeviceTypeOf"/>), null when the request says nothing.</param>
public sealed record ClientInfo(string? Address, string? UserAgent, string? Browser, string? Os, string? DeviceType = null)
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
        // Client hints (Chromium sends these two by default) say what a reduced user agent no longer does.
        var mobile = context.Request.Headers["Sec-CH-UA-Mobile"].ToString();
        var platform = context.Request.Headers["Sec-CH-UA-Platform"].ToString();
        return new ClientInfo(context.Connection.RemoteIpAddress?.ToString(), ua.Length == 0 ? null : ua, BrowserOf(ua), OsOfPlatform(platform) ?? OsOf(ua),
            DeviceTypeOf(ua, mobile));
    }

    /// <summary>
    /// The OS family of a <c>Sec-CH-UA-Platform</c> hint (a quoted name: <c>"Android"</c>, <c>"macOS"</c>);
    /// null when absent or unknown, so the user agent decides.
    /// </summary>
    public static string? OsOfPlatform(string platform) => platform.Trim().Trim('"') switch
    {
        "Android" => "Android",
        "iOS" => "iOS",
        "Windows" => "Windows",
        "Chrome OS" or "ChromeOS" => "ChromeOS",
        "macOS" => "macOS",
        "Linux" => "Linux",
        _ => null,
    };

    /// <summary>
    /// desktop, mobile or tablet from the user agent and the <c>Sec-CH-UA-Mobile</c> hint (<c>?1</c> or
    /// <c>?0</c>); null when neither says anything. The hint wins for phones; an Android or iPad user
    /// agent without "Mobile" is a tablet. iPadOS Safari presents itself as a Mac: counted desktop.
    /// </summary>
    public static string? DeviceTypeOf(string ua, string mobileHint)
    {
        var hint = mobileHint.Trim();
        if (hint == "?1") return "mobile";
        if (ua.Contains("iPad", StringComparison.Ordinal) || ua.Contains("Tablet", StringComparison.Ordinal)) return "tablet";
        if (ua.Contains("Android", StringComparison.Ordinal)) return hint == "?0" || !ua.Contains("Mobile", StringComparison.Ordinal) ? "tablet" : "mobile";
        if (hint == "?0") return "desktop";
        if (string.IsNullOrEmpty(ua)) return null;
        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPod", StringComparison.Ordinal) || ua.Contains("Mobi", StringComparison.Ordinal)) return "mobile";
        return "desktop";
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
