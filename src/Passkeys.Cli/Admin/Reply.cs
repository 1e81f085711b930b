namespace Passkeys.Cli.Admin;

/// <summary>A successful answer: the typed value for tables, and the body as sent for <c>--json</c>.</summary>
internal sealed record Reply<T>(T Value, string Json);
