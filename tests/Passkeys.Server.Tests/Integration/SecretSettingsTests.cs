using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Secrets that stay off the command line: the admin key and the key-encryption key from a file
/// (a mounted secret) or the environment; wrong settings stop the start naming the setting.
/// </summary>
public sealed class SecretSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-secrets-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private string WriteSecret(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string[] Args(params string[] extra) =>
        ["--urls", "http://127.0.0.1:0", "--Passkeys:RateLimits:Enabled=false", "--Logging:LogLevel:Default=None", .. extra];

    [Fact]
    public async Task The_admin_key_can_come_from_a_file()
    {
        var key = "file-admin-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var file = WriteSecret("admin-key", key + "\n");
        // The test server's own key is replaced by an empty one, so the file is the only source.
        await using var server = await TestServer.StartAsync(null, "--Passkeys:AdminKey=", "--Passkeys:AdminKeyFile=" + file);
        await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants", bearer: key);
        using var wrong = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants", bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(wrong, 401, 1006);
    }

    [Fact]
    public void An_admin_key_and_an_admin_key_file_together_are_refused()
    {
        var file = WriteSecret("admin-key", new string('k', 40));
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(Args(
            "--Passkeys:DataDirectory=" + _folder, "--Passkeys:AdminKey=" + TestServer.AdminKey, "--Passkeys:AdminKeyFile=" + file)));
        Assert.Contains("Passkeys:AdminKeyFile", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short-key\n", "at least 32 characters")]
    [InlineData(null, "cannot be read")]
    public void An_unusable_admin_key_file_stops_the_start_naming_the_setting(string? content, string expected)
    {
        var file = content is null ? Path.Combine(_folder, "missing") : WriteSecret("admin-key", content);
        var e = Assert.Throws<InvalidOperationException>(() => PasskeysServerApp.Build(Args("--Passkeys:DataDirectory=" + _folder, "--Passkeys:AdminKeyFile=" + file)));
        Assert.Contains("Passkeys:AdminKeyFile", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shared_folder_such_as_tmp_is_refused_as_data_folder_not_changed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var shared = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(shared);
        var mode = UnixFileMode.StickyBit | (UnixFileMode)0b111_111_111;
        File.SetUnixFileMode(shared, mode);
        var e = Assert.Throws<InvalidOperationException>(() => PasskeysServerApp.Build(Args("--Passkeys:DataDirectory=" + shared, "--Passkeys:AdminKey=" + TestServer.AdminKey)));
        Assert.Contains("a folder of its own", e.Message, StringComparison.Ordinal);
        Assert.Equal(mode, File.GetUnixFileMode(shared));
    }

    [Fact]
    public async Task The_key_encryption_key_can_come_from_a_file()
    {
        var file = WriteSecret("kek", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        await using var server = await TestServer.StartAsync(null, "--Passkeys:KeyProtection:KeyEncryptionKeyFile=" + file);
        await server.SignUpAsync(TestServer.NewClient(), "alice");
        var key = Assert.Single(await server.Services<IPasskeyStore>().ListSigningKeysAsync("default"));
        Assert.Equal(StoredKeyForm.KeyEncryptionKey, SigningKeyProtector.FormOf(key.PrivateKey));
    }

    [Theory]
    [InlineData("--Passkeys:KeyProtection:KeyEncryptionKey=not base64!", "is not base64")]
    [InlineData("--Passkeys:KeyProtection:KeyEncryptionKey=AAAA", "must be 32 bytes")]
    [InlineData("--Passkeys:KeyProtection:KeyEncryptionKeyFile=/nonexistent/kek", "does not exist")]
    [InlineData("--Passkeys:Audit:Retention=00:10:00", "Passkeys:Audit:Retention")]
    [InlineData("--Passkeys:Purge:BatchSize=0", "Passkeys:Purge:BatchSize")]
    public void Wrong_key_protection_and_purge_settings_are_refused_naming_the_setting(string setting, string expected)
    {
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(Args("--Passkeys:DataDirectory=" + _folder, setting)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
