namespace AidTracker.Api.Storage;

/// <summary>
/// Many rows into one table inside a write (imports, the copy verb): a prepared INSERT on SQLite
/// (<see cref="Sqlite.InsertRowWriter"/>), binary COPY on PostgreSQL (<see cref="Postgres.CopyRowWriter"/>), where a round trip a row made a 1M-row import take 292 s. Values are longs, strings or null.
/// </summary>
public abstract class RowWriter : IAsyncDisposable
{
    public abstract ValueTask WriteAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken);

    /// <summary>Ends the rows; a writer disposed without it writes nothing (COPY) or leaves the rows to the transaction's rollback.</summary>
    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
