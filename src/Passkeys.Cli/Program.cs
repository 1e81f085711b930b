using System.CommandLine;
using Passkeys.Cli;

// The `passkeys` command. Each subcommand lives in its own file under Commands/.
var root = new RootCommand("Passkeys: WebAuthn relying-party tools")
{
    VectorsCommand.Create(),
    InspectCommand.Create(),
};
return root.Parse(args).Invoke();
