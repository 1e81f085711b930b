using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Protocol;

namespace Passkeys.Benchmarks;

/// <summary>
/// `breakdown`: time and allocation of each sub-step of FinishAuthentication, measured one by one
/// through the public API (no profiler), to find where a missed target goes.
/// </summary>
internal static class BreakdownMode
{
    public static int Run()
    {
        using var f = AssertionFixture.Create();
        var parsed = AuthenticationResponse.Parse(f.ResponseJson);
        var key = CosePublicKey.Decode(f.Credential.PublicKey);
        byte[] signed = [.. f.AuthenticatorData, .. SHA256.HashData(f.ClientDataJson)];
        byte[] digest = SHA256.HashData(signed);
        byte[] hash = new byte[32];
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(f.ResponseJson);
        byte[] scratch = new byte[4096];
        var steps = new (string Name, Action Run)[]
        {
            ("AuthenticationResponse.Parse(string)", () => AuthenticationResponse.Parse(f.ResponseJson)),
            ("  UTF8.GetBytes(response JSON)", () => System.Text.Encoding.UTF8.GetBytes(f.ResponseJson, scratch)),
            ("  AuthenticationResponse.Parse(utf8)", () => AuthenticationResponse.Parse(utf8)),
            ("  Utf8JsonReader pass over the response", () => { var r = new System.Text.Json.Utf8JsonReader(utf8); while (r.Read()) { } }),
            ("AuthenticatorData.Parse", () => AuthenticatorData.Parse(parsed.AuthenticatorData)),
            ("ClientData.Parse", () => ClientData.Parse(parsed.ClientDataJson.Span)),
            ("SHA256(\"example.com\") (RP ID hash)", () => SHA256.HashData("example.com"u8, hash)),
            ("SHA256(clientDataJSON)", () => SHA256.HashData(f.ClientDataJson, hash)),
            ("CosePublicKey.Decode (no import)", () => CosePublicKey.Decode(f.Credential.PublicKey)),
            ("CosePublicKey.Decode + Verify (cold)", () => CosePublicKey.Decode(f.Credential.PublicKey).Verify(signed, f.Signature)),
            ("CosePublicKey.Verify (imported)", () => key.Verify(signed, f.Signature)),
            ("ECDsa.VerifyData (DER)", () => f.ImportedKey.VerifyData(signed, f.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            ("ECDsa.VerifyHash (DER)", () => f.ImportedKey.VerifyHash(digest, f.Signature, DSASignatureFormat.Rfc3279DerSequence)),
            ("ECDsa.Create(ECParameters)+Dispose", () => ECDsa.Create(f.KeyParameters).Dispose()),
            ("record with { SignCount, BackupState }", () => _ = f.Credential with { SignCount = 1, BackupState = true }),
            ("FinishAuthentication (warm)", () => f.Warm.FinishAuthentication(f.ResponseJson, f.State, f.Credential)),
            ("FinishAuthentication(parsed) (warm)", () => f.Warm.FinishAuthentication(parsed, f.State, f.Credential)),
            ("FinishAuthentication (cold)", () => f.Cold.FinishAuthentication(f.ResponseJson, f.State, f.Credential)),
        };
        Console.WriteLine($"response JSON: {f.ResponseJson.Length} chars; clientDataJSON {f.ClientDataJson.Length} B, authData {f.AuthenticatorData.Length} B, sig {f.Signature.Length} B, COSE key {f.Credential.PublicKey.Length} B");
        Console.WriteLine($"warm-up: {WarmUp.Describe(WarmUp.UntilJitQuiet([.. steps.Select(s => s.Run)], maxSeconds: 40))}");
        Console.WriteLine($"pinned: {CorePinning.PinToCore0()}; median of 15 batches of 20 ms each, one step after another (noisier than `ratio`)");
        foreach (var (name, run) in steps)
        {
            var samples = new List<double>();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int calls = 0;
            for (int round = 0; round < 15; round++)
            {
                int n = 0;
                long start = Stopwatch.GetTimestamp();
                do
                {
                    run();
                    n++;
                }
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 20);
                calls += n;
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / n);
            }
            double bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-42} {samples[samples.Count / 2],9:F2} µs {bytes,7:F0} B"));
        }
        return 0;
    }
}
