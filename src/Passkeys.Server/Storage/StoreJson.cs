using System.Text.Json.Serialization;

namespace Passkeys.Server.Storage;

/// <summary>Source-generated JSON for the few list and detail columns stores keep as JSON text.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(Tenants.NativeApps.NativeAppSettings))]
internal sealed partial class StoreJson : JsonSerializerContext;
