using System.Globalization;
using System.Text.RegularExpressions;
using AidTracker.Api.Common;

namespace AidTracker.Api.Rates;

/// <summary>One rate as the ECB wrote it: units of <paramref name="Currency"/> per euro on <paramref name="Day"/>, the text unchanged.</summary>
public sealed record EcbRate(string Currency, DateOnly Day, string Rate);

/// <summary>Where a rates file is wrong: its line (1 is the header), the column's header name (or <c>Date</c>, or the position when unnamed), and why.</summary>
public sealed record EcbRatesError(int Line, string Column, string Reason)
{
    public override string ToString() => $"line {Line}, column {Column}: {Reason}";
}

/// <summary>
/// The ECB's euro reference rates in either of its CSV layouts: the history file <c>eurofxref-hist.csv</c>
/// (<c>Date,USD,JPY,…,</c>, dates <c>2026-12-04</c>, <c>N/A</c> where a currency had no rate that day, newest first)
/// and the day's file <c>eurofxref.csv</c> (<c>Date, USD, JPY, …, </c>, a date such as <c>04 December 2026</c>).
/// Columns are found by their header, never by position; cells are trimmed; a trailing empty column (the files end
/// each line with a comma) is ignored. Only <c>N/A</c> is a missing rate: an empty cell is an error, as is an EUR
/// column (the rates are of the euro). A rate is kept as the text the ECB wrote.
/// </summary>
public sealed partial class EcbRatesFile
{
    /// <summary>At most this many errors are listed; the rest are counted.</summary>
    public const int MaxListedErrors = 20;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd MMMM yyyy", "d MMMM yyyy"];

    public IReadOnlyList<EcbRate> Rates { get; }

    /// <summary>The currencies with at least one rate, in the file's column order.</summary>
    public IReadOnlyList<string> Currencies { get; }

    public int Days { get; }
    public DateOnly FirstDay { get; }
    public DateOnly LastDay { get; }

    private EcbRatesFile(IReadOnlyList<EcbRate> rates, IReadOnlyList<string> currencies, IReadOnlyCollection<DateOnly> days)
    {
        Rates = rates;
        Currencies = currencies;
        Days = days.Count;
        FirstDay = days.Min();
        LastDay = days.Max();
    }

    /// <summary>The file's rates, or its errors (the first <see cref="MaxListedErrors"/>, and how many there were): never part of a file.</summary>
    public static (EcbRatesFile? File, IReadOnlyList<EcbRatesError> Errors, int ErrorCount) Parse(TextReader text)
    {
        var errors = new List<EcbRatesError>();
        var errorCount = 0;
        void Error(int line, string column, string reason)
        {
            if (errorCount++ < MaxListedErrors) errors.Add(new EcbRatesError(line, column, reason));
        }

        var csv = new CsvReader(text, maxCellLength: 100, maxFields: 1000);
        IReadOnlyList<string?>? header;
        try
        {
            header = csv.ReadRecord();
        }
        catch (FormatException e)
        {
            return (null, [new EcbRatesError(1, $"{csv.FieldCount + 1}", e.Message)], 1);
        }
        if (header is null || Cell(header, 0) != "Date")
        {
            return (null, [new EcbRatesError(1, "1", "the file is not one of the ECB's rates layouts: its header must begin with Date, then one currency code a column (eurofxref-hist.csv or eurofxref.csv).")], 1);
        }

        var columns = new List<string>();
        for (var i = 1; i < header.Count; i++)
        {
            var name = Cell(header, i);
            if (name.Length == 0 && i == header.Count - 1) break;
            var column = name.Length == 0 ? $"{i + 1}" : name;
            if (!CurrencyCode().IsMatch(name)) Error(1, column, $"'{name}' is not a currency code (three letters, as ISO 4217 writes them).");
            else if (name.Equals("EUR", StringComparison.OrdinalIgnoreCase)) Error(1, column, "EUR is what the rates are of (one euro), not a currency they are in: the ECB's files have no EUR column.");
            else if (columns.Contains(name.ToUpperInvariant(), StringComparer.Ordinal)) Error(1, column, $"{name} is a column twice.");
            columns.Add(name.ToUpperInvariant());
        }
        if (columns.Count == 0) Error(1, "2", "the header names no currency.");

        var rates = new List<EcbRate>();
        var dayLines = new Dictionary<DateOnly, int>();
        var currenciesWithRates = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            IReadOnlyList<string?>? row;
            try
            {
                row = csv.ReadRecord();
            }
            catch (FormatException e)
            {
                // The cell whose quote is not closed: its header's name, or its position past the header's columns.
                var at = (int)csv.FieldCount;
                Error(csv.RecordLine, at == 0 ? "Date" : at <= columns.Count ? columns[at - 1] : $"{at + 1}", e.Message);
                break;
            }
            if (row is null) break;
            var line = csv.RecordLine;
            if (row.All(cell => string.IsNullOrWhiteSpace(cell))) continue;

            var dateText = Cell(row, 0);
            var dayIsValid = DateOnly.TryParseExact(dateText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
            if (!dayIsValid) Error(line, "Date", $"'{dateText}' is not a date as the ECB writes it (2026-12-04, or 04 December 2026).");
            else if (dayLines.TryGetValue(day, out var earlier)) Error(line, "Date", $"{day:yyyy-MM-dd} is also the day of line {earlier}.");
            else dayLines[day] = line;

            // The ECB ends each line with a comma: blank cells past the header's columns are that, not data.
            var cells = row.Count;
            while (cells > columns.Count + 1 && string.IsNullOrWhiteSpace(row[cells - 1])) cells--;
            if (cells != columns.Count + 1)
            {
                Error(line, cells > columns.Count + 1 ? $"{columns.Count + 2}" : $"{cells + 1}",
                    $"the line has {cells} cells where the header has {columns.Count + 1} (Date and {columns.Count} currencies).");
                continue;
            }
            for (var i = 0; i < columns.Count; i++)
            {
                var rate = Cell(row, i + 1);
                if (rate == "N/A") continue;
                if (rate.Length == 0)
                {
                    Error(line, columns[i], "the cell is empty: the ECB writes N/A where a currency has no rate that day, and only N/A is read as none.");
                    continue;
                }
                if (!RateText().IsMatch(rate) || !decimal.TryParse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
                {
                    Error(line, columns[i], $"'{rate}' is not a rate (a positive number such as 1.0804, with a point for decimals, or N/A).");
                    continue;
                }
                if (dayIsValid)
                {
                    rates.Add(new EcbRate(columns[i], day, rate));
                    currenciesWithRates.Add(columns[i]);
                }
            }
        }
        if (errorCount == 0 && dayLines.Count == 0) Error(2, "Date", "the file has no days.");
        if (errorCount > 0) return (null, errors, errorCount);
        return (new EcbRatesFile(rates, columns.Where(currenciesWithRates.Contains).ToList(), dayLines.Keys), [], 0);
    }

    private static string Cell(IReadOnlyList<string?> row, int index) => index < row.Count ? row[index]?.Trim() ?? "" : "";

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyCode();

    /// <summary>As the table's check: digits, at most one point between digits, at most 30 characters.</summary>
    [GeneratedRegex(@"^[0-9]{1,20}(\.[0-9]{1,9})?$")]
    private static partial Regex RateText();
}
