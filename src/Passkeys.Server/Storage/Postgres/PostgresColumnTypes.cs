using System.Data.Common;

namespace Passkeys.Server.Storage.Postgres;

/// <summary>PostgreSQL's native timestamptz, boolean, bytea and uuid columns.</summary>
internal sealed class PostgresColumnTypes : IColumnTypes
{
    public static readonly PostgresColumnTypes Instance = new();

    public DateTimeOffset Time(DbDataReader r, int i) => r.GetFieldValue<DateTimeOffset>(i);
    public bool Bool(DbDataReader r, int i) => r.GetBoolean(i);
    public byte[] Bytes(DbDataReader r, int i) => r.GetFieldValue<byte[]>(i);
    public Guid Guid(DbDataReader r, int i) => r.GetGuid(i);

    /// <summary>
    /// A parameter value as Npgsql needs it: it writes DateTimeOffset to timestamptz only with
    /// offset 0, so every time is stored as UTC.
    /// </summary>
    public object Parameter(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUniversalTime(),
        _ => value,
    };
}
