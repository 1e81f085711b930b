namespace Passkeys.Server.Tenants;

/// <summary>
/// Names of common passkey providers by AAGUID, for credential lists. Source:
/// ../shared/metadata/passkey-provider-aaguids.md (passkeydeveloper/passkey-authenticator-aaguids, corroborated).
/// </summary>
public static class AuthenticatorNames
{
    private static readonly Dictionary<Guid, string> Names = new()
    {
        [Guid.Parse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")] = "Google Password Manager",
        [Guid.Parse("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")] = "Apple Passwords",
        [Guid.Parse("dd4ec289-e01d-41c9-bb89-70fa845d4bf2")] = "iCloud Keychain (Managed)",
        [Guid.Parse("08987058-cadc-4b81-b6e1-30de50dcbe96")] = "Windows Hello",
        [Guid.Parse("9ddd1817-af5a-4672-a2b9-3e3dd95000a9")] = "Windows Hello",
        [Guid.Parse("6028b017-b1d4-4c02-b4b3-afcdafc96bb2")] = "Windows Hello",
        [Guid.Parse("adce0002-35bc-c60a-648b-0b25f1f05503")] = "Chrome on Mac",
        [Guid.Parse("771b48fd-d3d4-4f74-9232-fc157ab0507a")] = "Edge on Mac",
        [Guid.Parse("b5397666-4885-aa6b-cebf-e52262a439a2")] = "Chromium Browser",
        [Guid.Parse("bada5566-a7aa-401f-bd96-45619a55120d")] = "1Password",
        [Guid.Parse("d548826e-79b4-db40-a3d8-11116f7e8349")] = "Bitwarden",
        [Guid.Parse("531126d6-e717-415c-9320-3d9aa6981239")] = "Dashlane",
        [Guid.Parse("53414d53-554e-4700-0000-000000000000")] = "Samsung Pass",
        [Guid.Parse("fdb141b2-5d84-443e-8a35-4698c205a502")] = "KeePassXC",
        [Guid.Parse("50726f74-6f6e-5061-7373-50726f746f6e")] = "Proton Pass",
        [Guid.Parse("b84e4048-15dc-4dd0-8640-f4f60813c8af")] = "NordPass",
        [Guid.Parse("f3809540-7f14-49c1-a8b3-8f813b225541")] = "Enpass",
        [Guid.Parse("0ea242b4-43c4-4a1b-8b17-dd6d0b6baec6")] = "Keeper",
        [Guid.Parse("b78a0a55-6ef8-d246-a042-ba0f6d55050c")] = "LastPass",
        [Guid.Parse("d3452668-01fd-4c12-926c-83a4204853aa")] = "Microsoft Password Manager",
        [Guid.Parse("eaecdef2-1c31-5634-8639-f1cbd9c00a08")] = "KeePassDX",
        [Guid.Parse("39a5647e-1853-446c-a1f6-a79bae9f5bc7")] = "IDmelon",
    };

    /// <summary>
    /// The provider's name, or null when unknown (including the all-zero AAGUID): this list first,
    /// then the library's provider list (Passkeys.Attestation.Metadata.AuthenticatorNames), so a
    /// provider named there is never shown to users as "Unknown provider".
    /// </summary>
    public static string? For(Guid aaguid) =>
        Names.GetValueOrDefault(aaguid) ?? Passkeys.Attestation.Metadata.AuthenticatorNames.Find(aaguid, null);
}
