using System.Text.Json.Serialization;

namespace Passkeys.Ceremonies;

/// <summary>Source-generated metadata for the small JSON values extension inputs are made of.</summary>
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ExtensionJsonContext : JsonSerializerContext;
