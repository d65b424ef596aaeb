namespace AidTracker.Api.Storage;

/// <summary>
/// A query's rows as cells of UTF-8 text, for exports of a million rows: each cell is valid until the next
/// <see cref="StepAsync"/>, and numbers read as their decimal text. SQLite reads its own buffers
/// (<see cref="Sqlite.SqliteRawRows"/>); PostgreSQL encodes an ADO.NET reader's values (<see cref="Postgres.PostgresRawRows"/>).
/// </summary>
public abstract class RawRows : IDisposable
{
    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract ValueTask<bool> StepAsync(CancellationToken cancellationToken);

    /// <summary>The cell's UTF-8 text; empty for NULL and for the empty string alike (see <see cref="IsNull"/>).</summary>
    public abstract ReadOnlySpan<byte> Cell(int column);

    public abstract bool IsNull(int column);

    public abstract void Dispose();
}
