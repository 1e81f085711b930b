namespace Passkeys.Server.OperatorConsole;

/// <summary>Who may act through the admin API.</summary>
public enum AdminPrincipalKind
{
    /// <summary>The holder of the admin key (API, CLI, automation).</summary>
    AdminKey = 1,
    /// <summary>A console operator, signed in with a passkey (operator session cookie).</summary>
    Operator = 2,
}

/// <summary>
/// Who is acting on this admin request: set by <see cref="AdminAccess"/> before any admin handler
/// runs, read by handlers and audit through <see cref="AdminPrincipalExtensions.AdminPrincipal"/>.
/// </summary>
/// <param name="OperatorId">The operator's id (their user id in the console tenant), for an operator.</param>
/// <param name="OperatorName">The operator's name as enrolled, for an operator.</param>
/// <param name="SessionId">The operator session's id, for an operator.</param>
public sealed record AdminPrincipal(AdminPrincipalKind Kind, string? OperatorId = null, string? OperatorName = null, string? SessionId = null)
{
    /// <summary>The admin key holder (there is one admin key: no further identity).</summary>
    public static AdminPrincipal AdminKeyHolder { get; } = new(AdminPrincipalKind.AdminKey);

    /// <summary>How audit names this actor: <c>admin-key</c> or <c>operator:&lt;id&gt;</c>.</summary>
    public string ActorLabel => Kind == AdminPrincipalKind.Operator ? "operator:" + OperatorId : "admin-key";
}

/// <summary>Keeps the <see cref="AdminPrincipal"/> of a request in its <see cref="HttpContext.Items"/>.</summary>
public static class AdminPrincipalExtensions
{
    private static readonly object Key = typeof(AdminPrincipal);

    /// <summary>The principal of an admin request, or null outside the admin API.</summary>
    public static AdminPrincipal? AdminPrincipal(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(Key, out var value) ? value as AdminPrincipal : null;
    }

    /// <summary>Sets the principal (by <see cref="AdminAccess"/> only).</summary>
    internal static void SetAdminPrincipal(this HttpContext http, AdminPrincipal principal) => http.Items[Key] = principal;
}
