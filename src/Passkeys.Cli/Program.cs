Console.Error.WriteLine("passkeys: commands arrive with the relying-party core.");
return 2;
