using PasswordApp;

PasswordAppHost.Build(args).Run();
