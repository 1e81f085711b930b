using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>Provider-neutral command helpers the stores share (opening and SQL stay per store).</summary>
internal static class StoreCommands
{
    /// <summary>Runs the query and maps every row.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }
        return list;
    }
}
