using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>
/// How one database reads and writes the few column types the stores keep differently: SQLite has
/// no time, boolean or uuid types (INTEGER milliseconds, 0/1, text), PostgreSQL has timestamptz,
/// boolean and uuid. Everything else reads and writes the same way, so <see cref="RowReaders"/>,
/// <see cref="StoreParameters"/> and <see cref="SqlPasskeyStore"/> are shared.
/// </summary>
internal interface IColumnTypes
{
    /// <summary>A non-null time column.</summary>
    DateTimeOffset Time(DbDataReader r, int i);

    /// <summary>A non-null boolean column.</summary>
    bool Bool(DbDataReader r, int i);

    /// <summary>A non-null binary column.</summary>
    byte[] Bytes(DbDataReader r, int i);

    /// <summary>A non-null uuid column.</summary>
    Guid Guid(DbDataReader r, int i);

    /// <summary>A parameter value (a plain CLR value, or null) as this database stores it: the inverse of the readers.</summary>
    object Parameter(object? value);
}
