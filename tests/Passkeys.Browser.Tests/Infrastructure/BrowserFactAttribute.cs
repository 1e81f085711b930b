namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// A fact that needs Debian's Chromium at <see cref="BrowserEnvironment.ChromiumPath"/>. Outside CI a
/// missing browser skips the test with a reason saying so; with CI=true the test runs and fails
/// (the fixture throws), so a CI image without the browser can never pass silently.
/// Every browser test also gets a hard timeout: a WebAuthn call in a tab without an authenticator
/// hangs and ignores the request's own timeout.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserEnvironment.ChromiumPresent && !BrowserEnvironment.IsCi)
        {
            Skip = BrowserEnvironment.MissingReason;
        }
        Timeout = 90_000;
    }
}
