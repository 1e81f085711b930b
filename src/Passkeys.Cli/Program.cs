using System.CommandLine;
using Passkeys.Cli;
using Passkeys.Cli.Authenticator;

// The `passkeys` command. Each subcommand lives in its own file.
var root = new RootCommand("Passkeys: WebAuthn relying-party tools")
{
    VectorsCommand.Create(),
    InspectCommand.Create(),
    AuthenticatorCommand.Create(),
    MetadataCommand.Create(),
    FuzzCommand.Create(),
    Passkeys.Cli.Bench.BenchCommand.Create(),
    Passkeys.Cli.Admin.AdminCommand.Create(),
};
return root.Parse(args).Invoke();
