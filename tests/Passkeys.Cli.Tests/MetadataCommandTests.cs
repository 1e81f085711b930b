namespace Passkeys.Cli.Tests;

/// <summary>`passkeys metadata` on FIDO's real MDS3 BLOB no. 121 (../shared/metadata) at a fixed time inside its validity.</summary>
public class MetadataCommandTests
{
    private const string At = "2024-12-02T12:00:00Z";
    private static string Blob => Path.Combine(SharedData.Directory ?? "", "metadata", "mds3-blob.jwt");
    private static string Root => Path.Combine(SharedData.Directory ?? "", "metadata", "mds3-root-GlobalSign_Root_CA_R3.pem");

    private static (int Exit, string Output, string Error) Run(string? root, string? at, bool allowStale = false)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Cli.Authenticator.AuthenticatorCommand.Guard(error, () => MetadataCommand.Run(Blob, root, at, allowStale, output, error));
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd()).ToArray();

    [SharedDataFact]
    public void Verifies_blob_121_and_summarizes_protocols_statuses_and_the_revoked_entry()
    {
        var (exit, output, error) = Run(Root, At);
        Assert.True(exit == 0, error);
        var lines = Lines(output);
        Assert.Contains("number:      121", lines);
        Assert.Contains("nextUpdate:  2025-01-01", lines);
        Assert.Contains("entries:     280", lines);
        Assert.Contains(lines, l => l == $"  {"fido2",-28}188");
        Assert.Contains(lines, l => l == $"  {"u2f",-28}75");
        Assert.Contains(lines, l => l == $"  {"uaf",-28}17");
        // NOTE: entries whose reports tie on effectiveDate (L1 and the legacy FIDO_CERTIFIED on one day)
        // are counted as MetadataEntry.LatestStatus decides (the later report in BLOB order); the
        // metadata README counts the earlier one (L1 155, L2 45, FIDO_CERTIFIED 18). Only the
        // tie-independent counts are pinned here.
        Assert.Contains(lines, l => l == $"  {"NOT_FIDO_CERTIFIED",-28}61");
        Assert.Contains(lines, l => l == $"  {"REVOKED",-28}1");
        int certified = lines.Where(l => l.StartsWith("  FIDO_CERTIFIED", StringComparison.Ordinal))
            .Sum(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(155 + 45 + 18, certified);
        Assert.Contains("revoked or compromised: 1", lines);
        Assert.Contains(lines, l => l.Contains("ba86dc56-635f-4141-aef6-00227b1b9af6", StringComparison.Ordinal)
            && l.Contains("TruU Windows Authenticator", StringComparison.Ordinal) && l.EndsWith("REVOKED 2023-12-20", StringComparison.Ordinal));
    }

    [SharedDataFact]
    public void Without_a_root_it_says_one_is_required()
    {
        var (exit, _, error) = Run(null, At);
        Assert.Equal(2, exit);
        Assert.Contains("--root PEM is required", error, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void Today_the_blob_is_refused_as_its_signing_certificate_expired_even_when_staleness_is_allowed()
    {
        Assert.Equal(1, Run(Root, null).Exit);
        var (exit, _, error) = Run(Root, null, allowStale: true);
        Assert.Equal(1, exit);
        Assert.Contains("MetadataInvalid", error, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public void After_next_update_it_is_stale_unless_allowed()
    {
        var stale = Run(Root, "2025-02-01T00:00:00Z");
        Assert.Equal(1, stale.Exit);
        Assert.Contains("MetadataStale", stale.Error, StringComparison.Ordinal);
        Assert.Equal(0, Run(Root, "2025-02-01T00:00:00Z", allowStale: true).Exit);
    }

    [SharedDataFact]
    public void A_bad_time_is_a_usage_error()
    {
        Assert.Equal(2, Run(Root, "yesterday").Exit);
    }
}
