using Passkeys.Cli;

// The `passkeys` command. Each subcommand lives in its own file; PasskeysCli builds the tree and
// turns parse errors into exit code 2 for all of them.
return PasskeysCli.Run(PasskeysCli.CreateRoot(), args);
