using System.Data.Common;
using System.Globalization;
using System.Text;

namespace AidTracker.Api.Storage.Postgres;

/// <summary>Rows of an ADO.NET reader (PostgreSQL), each cell encoded once into a buffer of its column that is reused row after row.</summary>
public sealed class PostgresRawRows(DbCommand command, DbDataReader reader) : RawRows
{
    private readonly byte[][] _cells = Enumerable.Range(0, reader.FieldCount).Select(_ => new byte[64]).ToArray();
    private readonly int[] _lengths = new int[reader.FieldCount];

    public override async ValueTask<bool> StepAsync(CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken)) return false;
        Array.Fill(_lengths, -1);
        return true;
    }

    public override ReadOnlySpan<byte> Cell(int column)
    {
        if (_lengths[column] < 0)
        {
            var text = reader.IsDBNull(column) ? "" : reader.GetValue(column) switch
            {
                string s => s,
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_cells[column].Length < needed) _cells[column] = new byte[Math.Max(needed, _cells[column].Length * 2)];
            _lengths[column] = Encoding.UTF8.GetBytes(text, _cells[column]);
        }
        return _cells[column].AsSpan(0, _lengths[column]);
    }

    public override bool IsNull(int column) => reader.IsDBNull(column);

    public override void Dispose()
    {
        reader.Dispose();
        command.Dispose();
    }
}
