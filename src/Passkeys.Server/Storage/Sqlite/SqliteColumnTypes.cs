using System.Data.Common;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// SQLite has no time, boolean or uuid column types: times are INTEGER Unix milliseconds, booleans
/// 0/1, uuids text ("D" format). <see cref="SqlitePasskeyStore"/> writes them the same way.
/// </summary>
internal sealed class SqliteColumnTypes : IColumnTypes
{
    public static readonly SqliteColumnTypes Instance = new();

    public DateTimeOffset Time(DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
    public bool Bool(DbDataReader r, int i) => r.GetInt64(i) != 0;
    public byte[] Bytes(DbDataReader r, int i) => (byte[])r.GetValue(i);
    public Guid Guid(DbDataReader r, int i) => System.Guid.Parse(r.GetString(i));

    /// <summary>A parameter value as SQLite stores it (the inverse of the readers above).</summary>
    public object Parameter(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        bool b => b ? 1 : 0,
        Guid g => g.ToString("D"),
        _ => value,
    };
}
