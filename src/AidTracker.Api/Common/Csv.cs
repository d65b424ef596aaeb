using System.Buffers;
using System.Text;

namespace AidTracker.Api.Common;

/// <summary>
/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF line ends, and line numbers for errors. An empty
/// cell is null and a quoted empty cell (<c>""</c>) is an empty string, as <see cref="Csv.WriteCell"/> writes them.
/// </summary>
/// <remarks>
/// Memory stays bounded whatever the input: a cell longer than <paramref name="maxCellLength"/> keeps only its first
/// characters and is listed in <see cref="LongCells"/> with its whole length, and the fields of a record past
/// <paramref name="maxFields"/> are counted in <see cref="FieldCount"/> and not kept.
/// </remarks>
public sealed class CsvReader(TextReader reader, int maxCellLength = int.MaxValue, int maxFields = int.MaxValue)
{
    private int _line = 1;
    private readonly List<LongCell> _longCells = [];

    /// <summary>The line on which the last record returned by <see cref="ReadRecord"/> began.</summary>
    public int RecordLine { get; private set; }

    /// <summary>How many fields the last record had, those past <c>maxFields</c> included.</summary>
    public long FieldCount { get; private set; }

    /// <summary>The cells of the last record that were longer than <c>maxCellLength</c>: read past, not kept whole.</summary>
    public IReadOnlyList<LongCell> LongCells => _longCells;

    /// <summary>A cell past the longest kept: which field of the record, and how many characters it had.</summary>
    public readonly record struct LongCell(int Field, long Length);

    public IReadOnlyList<string?>? ReadRecord()
    {
        if (reader.Peek() < 0) return null;
        RecordLine = _line;
        FieldCount = 0;
        _longCells.Clear();
        var fields = new List<string?>();
        var field = new StringBuilder();
        long length = 0;
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            var next = reader.Read();
            if (quoted)
            {
                if (next < 0) throw new FormatException($"Line {RecordLine}: a quoted field is not closed.");
                if (next == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (next == '\n') _line++;
                    Append((char)next);
                }
                continue;
            }
            switch (next)
            {
                case '"' when length == 0:
                    quoted = wasQuoted = true;
                    break;
                case ',':
                    Take();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n' or -1:
                    if (next == '\n') _line++;
                    Take();
                    return fields;
                default:
                    Append((char)next);
                    break;
            }
        }

        void Append(char c)
        {
            if (++length <= maxCellLength) field.Append(c);
        }

        void Take()
        {
            if (length > maxCellLength && FieldCount < maxFields) _longCells.Add(new LongCell((int)FieldCount, length));
            if (++FieldCount <= maxFields) fields.Add(length == 0 && !wasQuoted ? null : field.ToString());
            field.Clear();
            length = 0;
            wasQuoted = false;
        }
    }

    /// <summary>Reads a whole CSV with a header row into dictionaries keyed by column name; empty cells are "".</summary>
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
            rows.Add(header.Zip(record).ToDictionary(pair => pair.First ?? "", pair => pair.Second ?? "", StringComparer.Ordinal));
        }
        return rows;
    }
}

/// <summary>RFC 4180 cells written as UTF-8 bytes, with text made safe against formula injection.</summary>
public static class Csv
{
    /// <summary>
    /// Writes one cell. Text that a spreadsheet would run as a formula gets a leading single quote inside a quoted cell,
    /// as OWASP advises: text that begins with a tab or a carriage return, and text whose first visible character is
    /// <c>= + - @</c> or their fullwidth forms <c>＝ ＋ － ＠</c>, after any run of blanks (spaces, tabs, line breaks,
    /// no-break and other Unicode spaces) and invisible characters (zero-width space and joiners, word joiner, BOM),
    /// which spreadsheets skip. Nothing is removed: the value keeps its meaning. Text that begins with quotes followed
    /// by such text gets one too, so that <see cref="Unneutralise"/> restores every value exactly. A cell with a comma,
    /// a quote or a line break is quoted, with quotes doubled; an empty text is <c>""</c>, so that it differs from a
    /// missing value (an empty cell). Numbers are never text here: <c>-1</c> in a number column stays <c>-1</c>.
    /// </summary>
    public static void WriteCell(IBufferWriter<byte> output, ReadOnlySpan<byte> value, bool isText)
    {
        var neutralise = isText && NeedsNeutralising(value);
        if (!neutralise && value.Length > 0 && value.IndexOfAny(","u8 + "\"\r\n"u8) < 0)
        {
            output.Write(value);
            return;
        }
        output.Write("\""u8);
        if (neutralise) output.Write("'"u8);
        int quote;
        while ((quote = value.IndexOf((byte)'"')) >= 0)
        {
            output.Write(value[..(quote + 1)]);
            output.Write("\""u8);
            value = value[(quote + 1)..];
        }
        output.Write(value);
        output.Write("\""u8);
    }

    private static bool NeedsNeutralising(ReadOnlySpan<byte> value)
    {
        var rest = value.TrimStart((byte)'\'');
        if (rest.Length > 0 && rest[0] is (byte)'\t' or (byte)'\r') return true;
        while (Rune.DecodeFromUtf8(rest, out var rune, out var length) == OperationStatus.Done)
        {
            if (IsFormulaSign(rune.Value)) return true;
            if (!IsSkippedLeadIn(rune.Value)) return false;
            rest = rest[length..];
        }
        return false;
    }

    /// <summary><c>= + - @</c> and their fullwidth forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which spreadsheets read alike.</summary>
    private static bool IsFormulaSign(int c) => c is '=' or '+' or '-' or '@' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';

    /// <summary>What a spreadsheet may skip before a formula: blanks and line breaks of any kind, and invisible characters.</summary>
    private static bool IsSkippedLeadIn(int c) =>
        (c <= char.MaxValue && char.IsWhiteSpace((char)c)) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';

    /// <summary>A text cell as it was before <see cref="WriteCell"/> neutralised it: the inverse, for imports.</summary>
    public static string Unneutralise(string cell) =>
        cell.Length >= 2 && cell[0] == '\'' && NeedsNeutralising(Encoding.UTF8.GetBytes(cell[1..])) ? cell[1..] : cell;
}
