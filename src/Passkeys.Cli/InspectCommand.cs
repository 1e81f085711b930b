using System.CommandLine;

namespace Passkeys.Cli;

/// <summary>`passkeys inspect FILE`: a readable report of a response, attestation object or authenticator data.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A registration or authentication response JSON, or a bare base64url attestationObject / authenticatorData; '-' reads stdin" };
        var trust = new Option<string[]>("--trust") { Description = "A PEM file of attestation roots to accept (repeat for more files)" };
        var metadata = new Option<string?>("--metadata") { Description = "A FIDO MDS3 BLOB: attestation roots, names and status by AAGUID (needs --root)" };
        var root = MetadataCommand.RootOption();
        var at = MetadataCommand.AtOption();
        var command = new Command("inspect", "Decode a WebAuthn response, verify its attestation statement and, with anchors, judge its trust") { file, trust, metadata, root, at };
        command.SetAction(result => Cli.Authenticator.AuthenticatorCommand.Guard(Console.Error, () =>
        {
            string path = result.GetValue(file)!;
            string input = path == "-" ? Console.In.ReadToEnd() : MetadataCommand.ReadFile(path);
            var options = new InspectOptions(result.GetValue(trust) ?? [], result.GetValue(metadata), result.GetValue(root), result.GetValue(at));
            return Inspector.Run(input, Console.Out, options);
        }));
        return command;
    }
}
