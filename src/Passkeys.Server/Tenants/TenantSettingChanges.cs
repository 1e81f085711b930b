using System.Text.Json;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants;

/// <summary>Which of a tenant's settings an update changes, by their names in the admin API (for <c>tenant.updated</c>'s <c>details.settings</c>).</summary>
public static class TenantSettingChanges
{
    /// <summary>
    /// The names (as in the admin API's Tenant JSON, comma-separated, in its order) of the settings
    /// whose values differ between <paramref name="before"/> and <paramref name="after"/>; empty when none.
    /// </summary>
    /// <remarks>
    /// Compared as the admin API shows them (<see cref="Ceremonies.Views.Of(TenantRecord)"/>), so a
    /// setting added to the tenant view is covered without a change here, and a value the API
    /// shows the same way (algorithm names) is no change.
    /// </remarks>
    public static string Between(TenantRecord before, TenantRecord after)
    {
        var old = JsonSerializer.SerializeToElement(Ceremonies.Views.Of(before), JsonSerializerOptions.Web);
        var @new = JsonSerializer.SerializeToElement(Ceremonies.Views.Of(after), JsonSerializerOptions.Web);
        var changed = new List<string>();
        foreach (var property in @new.EnumerateObject())
        {
            if (property.Name is "id" or "createdAt")
            {
                continue; // never changed by an update
            }
            if (!old.TryGetProperty(property.Name, out var was) || !JsonElement.DeepEquals(was, property.Value))
            {
                changed.Add(property.Name);
            }
        }
        return string.Join(',', changed);
    }
}
