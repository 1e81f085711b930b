using System.CommandLine;
using System.Globalization;
using Passkeys.Load;

namespace Passkeys.Cli.Bench;

/// <summary>
/// The `bench` options and their parsing into <see cref="LoadOptions"/>. Each option is read as
/// text and its value checked here, not by System.CommandLine, so that a bad value gets a message
/// in the terms of this command (a duration, a share, a mix) and exit code 2; each takes any number
/// of values and the last one counts, as when a script appends an override. Unknown arguments and
/// missing required options are parse errors, which <see cref="PasskeysCli"/> reports (exit 2).
/// </summary>
internal sealed class BenchArguments
{
    private readonly Option<string[]> _url = Text("--url", "The server's base URL, e.g. http://localhost:5080", required: true);
    private readonly Option<string[]> _tenant = Text("--tenant", "The tenant id", required: true);
    private readonly Option<string[]> _apiKey = Text("--api-key", "An API key (pkk_…) of the tenant: users are created with it instead of by self sign-up");
    private readonly Option<string[]> _origin = Text("--origin", "The page origin the clients claim (default: the URL's origin); must be one of the tenant's origins");
    private readonly Option<string[]> _users = Text("--users", "Users registered in setup, the sign-in population [default: 100]");
    private readonly Option<string[]> _concurrency = Text("--concurrency", "Ceremonies in flight at once [default: 8]");
    private readonly Option<string[]> _duration = Text("--duration", "How long to measure: 30s, 2m, 500ms [default: 30s]");
    private readonly Option<string[]> _iterations = Text("--iterations", "Measure exactly this many ceremonies instead of a duration");
    private readonly Option<string[]> _warmup = Text("--warmup", "Unmeasured warm-up before measuring [default: 5s; 0 for none]");
    private readonly Option<string[]> _mix = Text("--mix", "Operation weights: signin, signin-username, signin-discoverable, register [default: signin=90,register=10]");
    private readonly Option<string[]> _maxErrorRate = Text("--max-error-rate", "Failed share above which the exit code is 1: 1% or 0.01 [default: 1%]");
    private readonly Option<string[]> _json = Text("--json", "Write the JSON report to FILE; with no FILE, to stdout (the text report then goes to stderr)");

    public IEnumerable<Option> All => [_url, _tenant, _apiKey, _origin, _users, _concurrency, _duration, _iterations, _warmup, _mix, _maxErrorRate, _json];

    /// <summary>Whether --json was given; <see cref="JsonPath"/> is its file (null: stdout).</summary>
    public static bool WantsJson(ParseResult r, BenchArguments a) => r.GetResult(a._json) is not null;

    public static string? JsonPath(ParseResult r, BenchArguments a) => Last(r, a._json) is { Length: > 0 } path && path != "-" ? path : null;

    /// <summary>Reads the options; throws <see cref="CliException"/> naming the first bad one.</summary>
    public LoadOptions Read(ParseResult r)
    {
        string url = Required(r, _url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(server.Host))
        {
            throw new CliException($"--url must be an http(s) URL such as http://localhost:5080, not '{url}'");
        }
        string? iterations = Value(r, _iterations);
        string? duration = Value(r, _duration);
        if (iterations is not null && duration is not null)
        {
            throw new CliException("give --duration or --iterations, not both");
        }
        OperationMix mix;
        try
        {
            mix = Value(r, _mix) is { } m ? OperationMix.Parse(m) : OperationMix.Default;
        }
        catch (FormatException e)
        {
            throw new CliException("--mix: " + e.Message, e);
        }
        var options = new LoadOptions
        {
            Server = server,
            Tenant = Required(r, _tenant),
            ApiKey = Value(r, _apiKey),
            Origin = Value(r, _origin),
            Users = Int(r, _users, 100),
            Concurrency = Int(r, _concurrency, 8),
            Duration = duration is null ? TimeSpan.FromSeconds(30) : Duration("--duration", duration),
            Iterations = iterations is null ? null : Long("--iterations", iterations),
            Warmup = Value(r, _warmup) is { } w ? Duration("--warmup", w) : TimeSpan.FromSeconds(5),
            Mix = mix,
            MaxErrorRate = Value(r, _maxErrorRate) is { } rate ? Rate("--max-error-rate", rate) : 0.01,
        };
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new CliException(problems[0]);
    }

    /// <summary>Parses 30s, 500ms, 2m, 1h, or a bare number of seconds.</summary>
    public static TimeSpan Duration(string option, string text) =>
        TextValues.TryParseDuration(text, out var duration)
            ? duration
            : throw new CliException($"{option} must be a duration such as 30s, 500ms, 2m or 1h, not '{text}'");

    /// <summary>Parses 5%, 0.05 or 0.</summary>
    public static double Rate(string option, string text) =>
        TextValues.TryParseRate(text, out double rate)
            ? rate
            : throw new CliException($"{option} must be a share such as 1% or 0.01 (0 to 100%), not '{text}'");

    private static int Int(ParseResult r, Option<string[]> option, int fallback) =>
        Value(r, option) is { } text ? (int)Math.Min(int.MaxValue, Long(option.Name, text)) : fallback;

    private static long Long(string option, string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new CliException($"{option} must be a whole number, not '{text}'");

    // Required to System.CommandLine, so given: only its value can be missing (Value says so).
    private static string Required(ParseResult r, Option<string[]> option) => Value(r, option)!;

    // Given without a value is as bad as a wrong value (--json alone is read by JsonPath instead).
    private static string? Value(ParseResult r, Option<string[]> option)
    {
        if (r.GetResult(option) is null)
        {
            return null;
        }
        return Last(r, option) is { Length: > 0 } value ? value : throw new CliException($"{option.Name} needs a value (see passkeys bench --help)");
    }

    private static string? Last(ParseResult r, Option<string[]> option) => r.GetValue(option) is { Length: > 0 } values ? values[^1] : null;

    private static Option<string[]> Text(string name, string description, bool required = false) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false, Required = required };
}
