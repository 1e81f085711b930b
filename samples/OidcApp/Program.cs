using OidcApp;

OidcAppHost.Build(args).Run();
