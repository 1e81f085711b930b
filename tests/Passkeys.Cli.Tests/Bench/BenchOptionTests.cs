using Passkeys.Cli.Bench;
using Passkeys.Load;

namespace Passkeys.Cli.Tests.Bench;

/// <summary>Parsing of --mix, --duration and --max-error-rate.</summary>
public sealed class BenchOptionTests
{
    [Fact]
    public void Mix_signin_splits_between_username_and_discoverable()
    {
        var mix = OperationMix.Parse("signin=90,register=10");
        Assert.Equal(10, mix.Weight(Operation.Register));
        Assert.Equal(45, mix.Weight(Operation.SignInUsername));
        Assert.Equal(45, mix.Weight(Operation.SignInDiscoverable));
        Assert.Equal("register=10,signin-username=45,signin-discoverable=45", mix.ToString());
        Assert.False(OperationMix.Parse("register=1").SignsIn);
    }

    [Fact]
    public void Mix_picks_follow_the_weights()
    {
        var mix = OperationMix.Parse("signin-discoverable=3,register=1");
        var random = new Random(5);
        int register = 0;
        for (int i = 0; i < 40_000; i++)
        {
            var op = mix.Pick(random);
            Assert.NotEqual(Operation.SignInUsername, op);
            register += op == Operation.Register ? 1 : 0;
        }
        Assert.InRange(register, 9_000, 11_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("signin")]
    [InlineData("signin=x")]
    [InlineData("signin=-1")]
    [InlineData("login=5")]
    [InlineData("signin=0,register=0")]
    public void Bad_mixes_are_rejected_with_a_message(string text) =>
        Assert.False(string.IsNullOrEmpty(Assert.Throws<FormatException>(() => OperationMix.Parse(text)).Message));

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("7", 7)]
    [InlineData("0", 0)]
    public void Durations_parse(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), BenchArguments.Duration("--duration", text));

    [Theory]
    [InlineData("1%", 0.01)]
    [InlineData("0.05", 0.05)]
    [InlineData("0", 0)]
    [InlineData("100%", 1)]
    public void Error_rates_parse(string text, double rate) =>
        Assert.Equal(rate, BenchArguments.Rate("--max-error-rate", text), 9);

    [Theory]
    [InlineData("10x")]
    [InlineData("-1s")]
    [InlineData("s")]
    public void Bad_durations_are_usage_errors(string text) =>
        Assert.Throws<CliException>(() => BenchArguments.Duration("--duration", text));

    [Theory]
    [InlineData("150%")]
    [InlineData("2")]
    [InlineData("a")]
    public void Bad_rates_are_usage_errors(string text) =>
        Assert.Throws<CliException>(() => BenchArguments.Rate("--max-error-rate", text));
}
