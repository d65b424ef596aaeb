using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Releases;

public sealed class ReleaseRepository(Database connections, TimeProvider clock) : IReleaseMoments
{
    private const string Columns = "id, title, notes, as_of, row_count, csv_sha256, created_at, created_by, format";

    public async Task<IReadOnlyList<ReleaseRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReleaseRow>(new CommandDefinition(
            $"SELECT {Columns} FROM releases ORDER BY as_of, id", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<ReleaseRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ReleaseRow>(new CommandDefinition(
            $"SELECT {Columns} FROM releases WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    public async Task<string?> MomentAsync(string id, CancellationToken cancellationToken) => (await FindAsync(id, cancellationToken))?.AsOf;

    /// <summary>
    /// Freezes the present as a release; null when the id is taken. The write lock is held from the moment is taken
    /// until the release is stored, so no change can land between; <paramref name="digest"/> reads the dataset at that
    /// moment (row count and SHA-256 of its CSV) on its own connection meanwhile. Writers wait for it: about as long
    /// as one full CSV export.
    /// </summary>
    public async Task<ReleaseRow?> CreateAsync(
        ReleaseRequest request, string createdBy, Func<string, Task<TableExport.CsvDigest>> digest, CancellationToken cancellationToken)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var taken = await write.Connection.QuerySingleAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM releases WHERE id = @Id)", new { request.Id }, write.Transaction, cancellationToken: cancellationToken));
        if (taken) return null;

        var asOf = await write.ChangedAtAsync(clock, cancellationToken);
        var (rows, sha256, _) = await digest(asOf);
        var row = new ReleaseRow
        {
            Id = request.Id!, Title = request.Title!, Notes = request.Notes, AsOf = asOf, RowCount = rows, CsvSha256 = sha256,
            CreatedAt = Timestamps.Format(clock.GetUtcNow()), CreatedBy = createdBy, Format = LegacyDonationColumns.CurrentFormat,
        };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO releases ({Columns}) VALUES (@Id, @Title, @Notes, @AsOf, @RowCount, @CsvSha256, @CreatedAt, @CreatedBy, @Format)",
            row, write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        return row;
    }
}
