using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Parquet;
using Parquet.Schema;

namespace AidTracker.Api.Exports;

/// <summary>
/// A table's columns as typed Parquet fields, each with a buffer for one row group: dates as DATE, integers as
/// INT64, money as DECIMAL with the column's digits (<see cref="ExportColumn.Decimal"/>), timestamps as UTC
/// timestamps, true/false as BOOLEAN.
/// </summary>
public abstract class ParquetColumn(DataField field)
{
    public DataField Field { get; } = field;

    public static ParquetSchema Schema(IReadOnlyList<ParquetColumn> columns) => new(columns.Select(c => (Field)c.Field).ToArray());

    /// <summary>A fresh set of buffers, one per column of <paramref name="table"/>, for row groups of <paramref name="rows"/> rows.</summary>
    public static IReadOnlyList<ParquetColumn> ForExport(ExportTable table, int rows) => table.Columns.Select(column => column.Type switch
    {
        ColumnType.Integer => new Values<long>(new DataField<long?>(column.Name), rows, text => long.Parse(text, CultureInfo.InvariantCulture)),
        ColumnType.Decimal => new Values<decimal>(
            new DecimalDataField(column.Name, column.DecimalDigits.Precision, column.DecimalDigits.Scale, isNullable: true), rows,
            text => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
        ColumnType.Date => new Values<DateOnly>(new DataField<DateOnly?>(column.Name), rows, text => DateOnly.ParseExact(Encoding.ASCII.GetString(text), "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ColumnType.Timestamp => new Values<DateTime>(new DataField<DateTime?>(column.Name), rows,
            text => DateTime.Parse(Encoding.ASCII.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
        ColumnType.Boolean => new Values<bool>(new DataField<bool?>(column.Name), rows, text => text.SequenceEqual("true"u8)),
        _ => (ParquetColumn)new Text(new DataField<string>(column.Name, true), rows),
    }).ToList();

    /// <summary>Reads the row's cell <paramref name="cell"/> into position <paramref name="row"/> of the buffer.</summary>
    public abstract void Read(RawRows rows, int cell, int row);

    public abstract Task WriteAsync(ParquetRowGroupWriter writer, int rows, CancellationToken cancellationToken);

    private sealed class Values<T>(DataField field, int capacity, Func<ReadOnlySpan<byte>, T> parse) : ParquetColumn(field) where T : struct
    {
        private readonly T?[] _values = new T?[capacity];

        public override void Read(RawRows rows, int cell, int row) => _values[row] = rows.IsNull(cell) ? null : parse(rows.Cell(cell));

        public override Task WriteAsync(ParquetRowGroupWriter writer, int rows, CancellationToken cancellationToken) =>
            writer.WriteAsync<T>(Field, _values.AsMemory(0, rows), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Text cells as strings. Codes, names and enum values repeat row after row, so a short text already seen in the
    /// column is the same string again (up to <see cref="MaxDistinct"/> of them), not a new one per cell.
    /// </summary>
    private sealed class Text(DataField field, int capacity) : ParquetColumn(field)
    {
        private const int MaxShortBytes = 64;
        private const int MaxDistinct = 4096;
        private readonly string?[] _values = new string?[capacity];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public override void Read(RawRows rows, int cell, int row)
        {
            if (rows.IsNull(cell))
            {
                _values[row] = null;
                return;
            }
            var bytes = rows.Cell(cell);
            if (bytes.Length > MaxShortBytes)
            {
                _values[row] = Encoding.UTF8.GetString(bytes);
                return;
            }
            Span<char> chars = stackalloc char[MaxShortBytes];
            var text = chars[..Encoding.UTF8.GetChars(bytes, chars)];
            if (_seen.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var seen))
            {
                _values[row] = seen;
                return;
            }
            var value = new string(text);
            if (_seen.Count < MaxDistinct) _seen.Add(value);
            _values[row] = value;
        }

        public override Task WriteAsync(ParquetRowGroupWriter writer, int rows, CancellationToken cancellationToken) =>
            writer.WriteAsync(Field, (IReadOnlyCollection<string>)new ArraySegment<string?>(_values, 0, rows)!);
    }
}
