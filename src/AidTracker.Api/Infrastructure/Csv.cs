using System.Text;

namespace AidTracker.Api.Infrastructure;

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF line ends, and line numbers for errors.</summary>
public sealed class CsvReader(TextReader reader)
{
    private int _line = 1;

    /// <summary>The line on which the last record returned by <see cref="ReadRecord"/> began.</summary>
    public int RecordLine { get; private set; }

    public IReadOnlyList<string>? ReadRecord()
    {
        if (reader.Peek() < 0) return null;
        RecordLine = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var next = reader.Read();
            if (quoted)
            {
                if (next < 0) throw new FormatException($"Line {RecordLine}: a quoted field is not closed.");
                if (next == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (next == '\n') _line++;
                    field.Append((char)next);
                }
                continue;
            }
            switch (next)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n' or -1:
                    if (next == '\n') _line++;
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)next);
                    break;
            }
        }
    }

    /// <summary>Reads a whole CSV with a header row into dictionaries keyed by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadAll(TextReader text)
    {
        var csv = new CsvReader(text);
        var header = csv.ReadRecord() ?? throw new FormatException("The CSV is empty.");
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (csv.ReadRecord() is { } record)
        {
            if (record.Count != header.Count)
            {
                throw new FormatException($"Line {csv.RecordLine}: {record.Count} fields where the header has {header.Count}.");
            }
            rows.Add(header.Zip(record).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal));
        }
        return rows;
    }
}
