namespace Passkeys.Server.Storage;

/// <summary>What changed: a tenant's settings, a tenant's signing keys, or (after a lost notice) possibly anything.</summary>
public enum StoreChangeKind
{
    /// <summary>A tenant was created, updated or deleted.</summary>
    Tenant = 1,
    /// <summary>A tenant's signing keys were added, retired or deleted.</summary>
    SigningKeys = 2,
    /// <summary>Notices may have been missed (the listening connection dropped): forget everything.</summary>
    Everything = 3,
    /// <summary>Webhook deliveries were enqueued for a tenant: the delivery worker wakes (caches ignore it).</summary>
    Outbox = 4,
}

/// <summary>One change notice; <paramref name="TenantId"/> is null for <see cref="StoreChangeKind.Everything"/>.</summary>
public readonly record struct StoreChange(StoreChangeKind Kind, string? TenantId)
{
    /// <summary>The notice as sent between nodes (PostgreSQL NOTIFY payload): <c>t:{tenant}</c> or <c>k:{tenant}</c>.</summary>
    public string Encode() => Kind switch
    {
        StoreChangeKind.Tenant => "t:" + TenantId,
        StoreChangeKind.SigningKeys => "k:" + TenantId,
        StoreChangeKind.Outbox => "w:" + TenantId,
        _ => "*",
    };

    /// <summary>Reads a payload of <see cref="Encode"/>; anything else means "possibly anything".</summary>
    public static StoreChange Decode(string? payload) => payload switch
    {
        ['t', ':', .. var id] when id.Length > 0 => new(StoreChangeKind.Tenant, id),
        ['k', ':', .. var id] when id.Length > 0 => new(StoreChangeKind.SigningKeys, id),
        ['w', ':', .. var id] when id.Length > 0 => new(StoreChangeKind.Outbox, id),
        _ => new(StoreChangeKind.Everything, null),
    };
}

/// <summary>
/// Change notices for the in-process caches of constant data (tenants, signing keys): raised by
/// the store after its own writes commit, and, on PostgreSQL, relayed from every other node
/// sharing the database (<see cref="IPasskeyStore.ListenForChangesAsync"/>).
/// </summary>
public sealed class StoreChanges
{
    /// <summary>Raised for every change notice; handlers must be quick and must not throw.</summary>
    public event Action<StoreChange>? Changed;

    /// <summary>Tells every subscriber of <paramref name="change"/>.</summary>
    public void Raise(StoreChange change) => Changed?.Invoke(change);
}
