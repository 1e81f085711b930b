using System.CommandLine;

namespace Passkeys.Cli;

/// <summary>`passkeys inspect FILE`: a readable report of a response, attestation object or authenticator data.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A registration or authentication response JSON, or a bare base64url attestationObject / authenticatorData; '-' reads stdin" };
        var command = new Command("inspect", "Decode a WebAuthn response and print what it contains") { file };
        command.SetAction(result =>
        {
            string path = result.GetValue(file)!;
            string input = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            return Inspector.Run(input, Console.Out);
        });
        return command;
    }
}
