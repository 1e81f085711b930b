using Passkeys.Server;

PasskeysServerApp.Build(args).Run();
