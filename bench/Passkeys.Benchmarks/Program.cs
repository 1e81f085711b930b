Console.WriteLine("benchmarks arrive with the relying-party core");
