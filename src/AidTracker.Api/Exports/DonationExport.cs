using System.Buffers;
using System.IO.Pipelines;
using AidTracker.Api.Donations;
using AidTracker.Api.Infrastructure;
using Dapper;

namespace AidTracker.Api.Exports;

/// <summary>
/// Streams the donations a filter selects, in id order, from one read snapshot: the row count is taken in the same
/// transaction as the rows, so the two always agree.
/// </summary>
public sealed class DonationExport(SqliteConnectionFactory connections, TimeProvider clock)
{
    private static readonly string CsvSelect = string.Join(", ", ExportColumns.All.Select(c => c.Sql));
    private static readonly byte[] CsvHeader = System.Text.Encoding.UTF8.GetBytes(string.Join(',', ExportColumns.All.Select(c => c.Name)) + "\r\n");
    private static readonly bool[] TextColumns = ExportColumns.All.Select(c => c.Type == ColumnType.Text).ToArray();

    /// <summary>What the response says before the body: how many rows, and the moment they are as of.</summary>
    public sealed record Snapshot(long Rows, DateTimeOffset AsOf);

    public Task WriteCsvAsync(DonationFilter filter, HttpResponse response, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        WriteAsync(filter, CsvSelect, response, start, CsvHeader, (rows, output) =>
        {
            for (var i = 0; i < TextColumns.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                if (!rows.IsNull(i)) Csv.WriteCell(output, rows.Cell(i), TextColumns[i]);
            }
            output.Write("\r\n"u8);
        }, cancellationToken);

    public Task WriteNdjsonAsync(DonationFilter filter, HttpResponse response, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        WriteAsync(filter, DonationJson.Object, response, start, [], (rows, output) =>
        {
            output.Write(rows.Cell(0));
            output.Write("\n"u8);
        }, cancellationToken);

    private async Task WriteAsync(
        DonationFilter filter,
        string select,
        HttpResponse response,
        Func<Snapshot, Task> start,
        byte[] header,
        Action<RawRows, PipeWriter> writeRow,
        CancellationToken cancellationToken)
    {
        var (where, parameters) = filter.ToSql();
        var from = $"FROM donations d {DonationRepository.Joins} {where}";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) {from}", parameters, transaction, cancellationToken: cancellationToken));
        // Prepared before the headers go out, so that a failure can still be an error response.
        using var rows = new RawRows(connection, $"SELECT {select} {from} ORDER BY d.id", parameters);
        await start(new Snapshot(count, clock.GetUtcNow()));

        var output = response.BodyWriter;
        output.Write(header);
        var written = 0;
        while (rows.Step())
        {
            writeRow(rows, output);
            // Flushing waits while the client is slower than the database: memory stays at one window of rows.
            if (++written % 512 == 0) await output.FlushAsync(cancellationToken);
        }
        await output.FlushAsync(cancellationToken);
    }
}
