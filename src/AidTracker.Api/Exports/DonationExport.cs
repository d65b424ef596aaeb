using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using AidTracker.Api.Donations;
using AidTracker.Api.Infrastructure;
using Dapper;
using Parquet;

namespace AidTracker.Api.Exports;

/// <summary>
/// Streams the donations a filter selects, in id order, from one read snapshot: the row count and the moment are taken
/// in the same transaction as the rows, so the three always agree.
/// </summary>
public sealed class DonationExport(Database connections, TimeProvider clock)
{
    private readonly string _columnSelect = string.Join(", ", ExportColumns.All.Select(c => c.Sql(connections.Dialect)));
    private static readonly byte[] CsvHeader = System.Text.Encoding.UTF8.GetBytes(string.Join(',', ExportColumns.All.Select(c => c.Name)) + "\r\n");
    private static readonly bool[] TextColumns = ExportColumns.All.Select(c => c.Type == ColumnType.Text).ToArray();

    /// <summary>
    /// What the response says before the body: how many rows, and the moment they are as of (a stored timestamp). For
    /// the present that is the last change the snapshot holds, so that as_of set to it gives the same rows again.
    /// </summary>
    public sealed record Snapshot(long Rows, string AsOf);

    public Task WriteCsvAsync(DonationFilter filter, PipeWriter output, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        WriteAsync(filter, _columnSelect, output, start, CsvHeader, (rows, output) =>
        {
            for (var i = 0; i < TextColumns.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                if (!rows.IsNull(i)) Csv.WriteCell(output, rows.Cell(i), TextColumns[i]);
            }
            output.Write("\r\n"u8);
        }, cancellationToken);

    public Task WriteNdjsonAsync(DonationFilter filter, PipeWriter output, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        WriteAsync(filter, DonationJson.Object(connections.Dialect), output, start, [], (rows, output) =>
        {
            output.Write(rows.Cell(0));
            output.Write("\n"u8);
        }, cancellationToken);

    /// <summary>The row count and SHA-256 (lower-case hex) of the CSV export, as <see cref="WriteCsvAsync"/> would send it.</summary>
    public async Task<(long Rows, string Sha256)> DigestCsvAsync(DonationFilter filter, CancellationToken cancellationToken)
    {
        using var sha256 = SHA256.Create();
        long rows = 0;
        await using (var hashing = new CryptoStream(Stream.Null, sha256, CryptoStreamMode.Write))
        {
            var output = PipeWriter.Create(hashing, new StreamPipeWriterOptions(leaveOpen: true));
            await WriteCsvAsync(filter, output, snapshot =>
            {
                rows = snapshot.Rows;
                return Task.CompletedTask;
            }, cancellationToken);
            await output.CompleteAsync();
        }
        return (rows, Convert.ToHexStringLower(sha256.Hash!));
    }

    /// <summary>Rows per Parquet row group: what is held in memory at once, about 20 MB of the generated rows.</summary>
    public const int ParquetRowGroup = 32_768;

    public Task WriteParquetAsync(DonationFilter filter, PipeWriter output, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        StreamAsync(filter, _columnSelect, start, async rows =>
        {
            var columns = ParquetColumn.ForExport(ParquetRowGroup);
            await using var body = new CountingStream(output);
            await using var writer = await ParquetWriter.CreateAsync(ParquetColumn.Schema(columns), body, cancellationToken: cancellationToken);
            var more = true;
            while (more)
            {
                var buffered = 0;
                while (buffered < ParquetRowGroup && (more = await rows.StepAsync(cancellationToken)))
                {
                    for (var i = 0; i < columns.Count; i++) columns[i].Read(rows, i, buffered);
                    buffered++;
                }
                if (buffered == 0) break;
                using var group = writer.CreateRowGroup();
                foreach (var column in columns) await column.WriteAsync(group, buffered, cancellationToken);
                group.CompleteValidate();
                await body.FlushAsync(cancellationToken);
            }
            await writer.DisposeAsync();
            await body.FlushAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Text formats: a header, then each row written whole into the response's pipe.</summary>
    private Task WriteAsync(
        DonationFilter filter,
        string select,
        PipeWriter output,
        Func<Snapshot, Task> start,
        byte[] header,
        Action<RawRows, PipeWriter> writeRow,
        CancellationToken cancellationToken) =>
        StreamAsync(filter, select, start, async rows =>
        {
            output.Write(header);
            var written = 0;
            while (await rows.StepAsync(cancellationToken))
            {
                writeRow(rows, output);
                // Flushing waits while the client is slower than the database: memory stays at one window of rows.
                if (++written % 512 == 0) await output.FlushAsync(cancellationToken);
            }
            await output.FlushAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Opens one read snapshot, counts the rows, prepares the statement (before the headers go out, so that a failure
    /// can still be an error response), lets <paramref name="start"/> send the headers, then hands over the rows.
    /// </summary>
    /// <param name="write">The rows' writer; null to send the headers only (a HEAD), which reads no row.</param>
    private async Task StreamAsync(DonationFilter filter, string select, Func<Snapshot, Task> start, Func<RawRows, Task>? write, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var (where, parameters) = filter.ToSql(dialect);
        var from = $"FROM donations d {DonationRepository.Joins(dialect)} {where}";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connections.BeginSnapshotAsync(connection, cancellationToken);
        var asOf = filter.AsOf
            ?? await connection.QuerySingleAsync<string?>(new CommandDefinition(WriteScope.LatestChange, transaction: transaction, cancellationToken: cancellationToken))
            ?? Timestamps.Format(clock.GetUtcNow());
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"{filter.With(dialect)}SELECT count(*) {from}", parameters, transaction, cancellationToken: cancellationToken));
        if (write is null)
        {
            await start(new Snapshot(count, asOf));
            return;
        }
        using var rows = await connections.ReadRawAsync(connection, transaction, $"{filter.With(dialect)}SELECT {select} {from} ORDER BY d.id", parameters, cancellationToken);
        await start(new Snapshot(count, asOf));
        await write(rows);
    }

    /// <summary>What an export of <paramref name="filter"/> would say before its body, counted in one snapshot as the export would be, reading no row.</summary>
    public Task HeadersAsync(DonationFilter filter, Func<Snapshot, Task> start, CancellationToken cancellationToken) =>
        StreamAsync(filter, _columnSelect, start, null, cancellationToken);
}
