using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;
using Parquet;

namespace AidTracker.Api.Exports;

/// <summary>
/// Writes the rows of an <see cref="ExportTable"/> that a filter selects, in key order, from one read snapshot, into a
/// stream at full speed (the export's spool): the row count and the moment are taken in the same transaction as the
/// rows, so the three always agree, and the snapshot ends with the last row written, however slowly the client then
/// reads the file.
/// </summary>
public sealed class TableExport(Database connections, TimeProvider clock, IReleaseLayouts? layouts = null)
{
    /// <summary>Per table, what the writers build from its declaration once: the SELECT lists, the header, which cells are text.</summary>
    private sealed record Plan(string ColumnSelect, string JsonSelect, string PastJsonSelect, byte[] CsvHeader, bool[] TextColumns);

    private readonly ConcurrentDictionary<ExportTable, Plan> _plans = new(ReferenceEqualityComparer.Instance);

    private Plan PlanOf(ExportTable table) => _plans.GetOrAdd(table, table => new Plan(
        string.Join(", ", table.Columns.Select(c => c.Sql(connections.Dialect))),
        table.Json(connections.Dialect, past: false),
        table.Json(connections.Dialect, past: true),
        Encoding.UTF8.GetBytes(table.CsvHeader + "\r\n"),
        table.Columns.Select(c => c.Type == ColumnType.Text).ToArray()));

    /// <summary>
    /// What the file holds: how many rows, and the moment they are as of (a stored timestamp). For the present that is
    /// the last change the snapshot holds, so that as_of set to it gives the same rows again.
    /// </summary>
    public sealed record Snapshot(long Rows, string AsOf);

    public async Task<Snapshot> WriteCsvAsync(ExportTable table, DonationFilter filter, Stream output, CancellationToken cancellationToken)
    {
        table = await LayoutAsync(table, filter, cancellationToken);
        var plan = PlanOf(table);
        return await WriteTextAsync(table, filter, plan.ColumnSelect, output, plan.CsvHeader, (rows, output) =>
        {
            for (var i = 0; i < plan.TextColumns.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                if (!rows.IsNull(i)) Csv.WriteCell(output, rows.Cell(i), plan.TextColumns[i]);
            }
            output.Write("\r\n"u8);
        }, cancellationToken);
    }

    public async Task<Snapshot> WriteNdjsonAsync(ExportTable table, DonationFilter filter, Stream output, CancellationToken cancellationToken)
    {
        table = await LayoutAsync(table, filter, cancellationToken);
        var plan = PlanOf(table);
        return await WriteTextAsync(table, filter, filter.AsOf is null ? plan.JsonSelect : plan.PastJsonSelect, output, [], (rows, output) =>
        {
            output.Write(rows.Cell(0));
            output.Write("\n"u8);
        }, cancellationToken);
    }

    /// <summary>The declaration a release's export is written from (<see cref="IReleaseLayouts"/>); the table itself otherwise.</summary>
    private Task<ExportTable> LayoutAsync(ExportTable table, DonationFilter filter, CancellationToken cancellationToken) =>
        layouts is null || filter.Release is null ? Task.FromResult(table) : layouts.TableAsync(table, filter, cancellationToken);

    /// <summary>What a CSV file holds and is: its rows, the SHA-256 of its bytes (lower-case hex), and their number.</summary>
    public sealed record CsvDigest(long Rows, string Sha256, long Bytes);

    /// <summary>The row count, SHA-256 and length of the CSV export, as <see cref="WriteCsvAsync"/> writes it.</summary>
    public async Task<CsvDigest> DigestCsvAsync(ExportTable table, DonationFilter filter, CancellationToken cancellationToken)
    {
        await using var digest = new DigestingStream(Stream.Null);
        var snapshot = await WriteCsvAsync(table, filter, digest, cancellationToken);
        return new CsvDigest(snapshot.Rows, Convert.ToHexStringLower(digest.Sha256()), digest.Position);
    }

    /// <summary>
    /// Rows per Parquet row group: what is held in memory at once, with what Parquet.Net makes of it while it encodes
    /// the group. At 32,768 rows one export took 131 MB over the service's RSS and six at once 1.2 GB (727k rows).
    /// </summary>
    public const int ParquetRowGroup = 8_192;

    public async Task<Snapshot> WriteParquetAsync(ExportTable table, DonationFilter filter, Stream output, CancellationToken cancellationToken)
    {
        table = await LayoutAsync(table, filter, cancellationToken);
        return await ReadAsync(table, filter, PlanOf(table).ColumnSelect, async rows =>
        {
            var columns = ParquetColumn.ForExport(table, ParquetRowGroup);
            await using var writer = await ParquetWriter.CreateAsync(ParquetColumn.Schema(columns), output, cancellationToken: cancellationToken);
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
            }
        }, cancellationToken);
    }

    /// <summary>Text formats: a header, then each row written whole, through a pipe flushed into the stream every 512 rows.</summary>
    private Task<Snapshot> WriteTextAsync(
        ExportTable table,
        DonationFilter filter,
        string select,
        Stream stream,
        byte[] header,
        Action<RawRows, PipeWriter> writeRow,
        CancellationToken cancellationToken) =>
        ReadAsync(table, filter, select, async rows =>
        {
            var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            output.Write(header);
            var written = 0;
            while (await rows.StepAsync(cancellationToken))
            {
                writeRow(rows, output);
                if (++written % 512 == 0) await output.FlushAsync(cancellationToken);
            }
            await output.CompleteAsync();
        }, cancellationToken);

    /// <summary>
    /// Opens one read snapshot, counts the rows, hands them over to <paramref name="write"/>, and ends the snapshot.
    /// </summary>
    /// <param name="write">The rows' writer; null to count only (a HEAD), which reads no row.</param>
    private async Task<Snapshot> ReadAsync(ExportTable table, DonationFilter filter, string select, Func<RawRows, Task>? write, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var (where, parameters) = filter.ToSql(dialect);
        var from = table.From(dialect, where);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connections.BeginSnapshotAsync(connection, cancellationToken);
        var asOf = filter.AsOf
            ?? await connection.QuerySingleAsync<string?>(new CommandDefinition(WriteScope.LatestChange, transaction: transaction, cancellationToken: cancellationToken))
            ?? Timestamps.Format(clock.GetUtcNow());
        // The past: a release of an earlier layout reads its own tables (AsOfWith); everything else reads the as-of
        // tables of the filter.
        var with = filter.AsOf is null ? filter.With(dialect)
            : table.AsOfWith is { } asOfWith ? asOfWith(dialect) + " "
            : filter.With(dialect);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"{with}SELECT count(*) {from}", parameters, transaction, cancellationToken: cancellationToken));
        if (write is not null)
        {
            using var rows = await connections.ReadRawAsync(connection, transaction, $"{with}SELECT {select} {from} ORDER BY {table.OrderBy}", parameters, cancellationToken);
            await write(rows);
        }
        return new Snapshot(count, asOf);
    }

    /// <summary>What an export of <paramref name="filter"/> would hold, counted in one snapshot as the export would be, reading no row.</summary>
    public async Task<Snapshot> CountAsync(ExportTable table, DonationFilter filter, CancellationToken cancellationToken) =>
        await ReadAsync(await LayoutAsync(table, filter, cancellationToken), filter, "", null, cancellationToken);
}
