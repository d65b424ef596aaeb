using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace AidTracker.Api.Storage.Postgres;

/// <summary>PostgreSQL's binary COPY: one stream for all the rows. Triggers fire for each row as for an INSERT.</summary>
public sealed class CopyRowWriter(NpgsqlBinaryImporter importer) : RowWriter
{
    public static async Task<RowWriter> BeginAsync(WriteScope write, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        new CopyRowWriter(await ((NpgsqlConnection)write.Connection).BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken));

    public override async ValueTask WriteAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await importer.StartRowAsync(cancellationToken);
        foreach (var value in values)
        {
            switch (value)
            {
                case null or DBNull: await importer.WriteNullAsync(cancellationToken); break;
                case long number: await importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken); break;
                case int number: await importer.WriteAsync((long)number, NpgsqlDbType.Bigint, cancellationToken); break;
                default: await importer.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken); break;
            }
        }
    }

    /// <summary>Completes the COPY and hands the connection back: Npgsql keeps it in its COPY state until the importer is disposed.</summary>
    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await importer.CompleteAsync(cancellationToken);
        await importer.DisposeAsync();
    }

    public override ValueTask DisposeAsync() => importer.DisposeAsync();
}
