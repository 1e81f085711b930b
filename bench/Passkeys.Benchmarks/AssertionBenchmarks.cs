using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Identity;
using Passkeys.Ceremonies;

namespace Passkeys.Benchmarks;

/// <summary>
/// Verifying one ES256 assertion, five ways, on the same bytes (see <see cref="AssertionFixture"/>).
/// The Warm category compares FinishAuthentication with a cached key against bare ECDsa with an
/// imported key; Cold compares FinishAuthentication decoding the stored COSE key on every call
/// against "import ECParameters + verify"; Identity is ASP.NET Core Identity's PasskeyHandler.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AssertionBenchmarks
{
    private AssertionFixture _f = null!;

    [GlobalSetup]
    public void Setup() => _f = AssertionFixture.Create();

    [GlobalCleanup]
    public void Cleanup() => _f.Dispose();

    /// <summary>SHA-256(clientDataJSON), then ECDsa.VerifyData(authData ‖ hash, sig) with an already imported key.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Warm")]
    public bool RawVerify() => _f.RawVerify(_f.ImportedKey);

    /// <summary>Response JSON + stored record in, VerifiedAuthentication out; the imported key comes from the cache.</summary>
    [Benchmark, BenchmarkCategory("Warm")]
    public VerifiedAuthentication FinishAuthenticationWarm() => _f.Warm.FinishAuthentication(_f.ResponseJson, _f.State, _f.Credential);

    /// <summary>ECDsa.Create(ECParameters) (x, y already extracted), the same hash and verify, dispose.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Cold")]
    public bool RawImportAndVerify() => _f.RawImportAndVerify();

    /// <summary>As warm, with PublicKeyCacheSize = 0: the COSE key is decoded and imported every call.</summary>
    [Benchmark, BenchmarkCategory("Cold")]
    public VerifiedAuthentication FinishAuthenticationCold() => _f.Cold.FinishAuthentication(_f.ResponseJson, _f.State, _f.Credential);

    /// <summary>ASP.NET Core Identity's PasskeyHandler.PerformAssertionAsync on the same assertion (in-memory store).</summary>
    [Benchmark, BenchmarkCategory("Cold")]
    public PasskeyAssertionResult<BenchUser> IdentityPasskeyHandler() => _f.IdentityVerify();
}
