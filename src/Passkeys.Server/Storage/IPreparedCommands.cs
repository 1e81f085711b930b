using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>
/// A connection that keeps its commands prepared between operations, one per SQL text: the
/// store's command helper (<see cref="SqlPasskeyStore"/>) takes its commands from here instead of
/// creating (and preparing) a new one for every statement.
/// </summary>
/// <remarks>
/// A command handed out is the caller's until it disposes it, which hands it back with its
/// prepared statement intact; the same SQL asked for again while the first is still out gets a
/// plain, unkept command.
/// </remarks>
internal interface IPreparedCommands
{
    /// <summary>A command for <paramref name="sql"/> on this connection, no parameters, no transaction.</summary>
    DbCommand CommandFor(string sql);
}
