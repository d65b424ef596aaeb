using System.Globalization;
using AidTracker.Api.Common;

namespace AidTracker.Api.Stats;

/// <summary>Calendar periods of a timeseries: their SQL over an ISO date column, and the dense list between two of them.</summary>
public static class Periods
{
    public static readonly WireNames Intervals = new(["month", "quarter", "year"]);

    public static string Sql(string interval, string column) => interval switch
    {
        "year" => $"substr({column}, 1, 4)",
        "quarter" => $"substr({column}, 1, 4) || '-Q' || ((CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3)",
        _ => $"substr({column}, 1, 7)",
    };

    public static string Of(string interval, DateOnly date) => interval switch
    {
        "year" => date.Year.ToString(CultureInfo.InvariantCulture),
        "quarter" => FormattableString.Invariant($"{date.Year}-Q{(date.Month + 2) / 3}"),
        _ => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    /// <summary>How many periods <see cref="Between"/> lists, counted without listing them (0001-01-01 to 9999-12-31 is 119,988 months).</summary>
    public static int Count(string interval, DateOnly first, DateOnly last) =>
        first > last ? 0 : (MonthIndex(last) - FirstMonth(interval, first)) / Step(interval) + 1;

    /// <summary>Every period from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>.</summary>
    public static List<string> Between(string interval, DateOnly first, DateOnly last)
    {
        var periods = new List<string>();
        // Months counted from year 0, so that no step runs past DateOnly.MaxValue.
        for (var month = FirstMonth(interval, first); month <= MonthIndex(last); month += Step(interval))
        {
            periods.Add(Of(interval, new DateOnly(month / 12, month % 12 + 1, 1)));
        }
        return periods;
    }

    private static int Step(string interval) => interval switch { "year" => 12, "quarter" => 3, _ => 1 };

    private static int MonthIndex(DateOnly date) => date.Year * 12 + date.Month - 1;

    /// <summary>The month index where the period holding <paramref name="date"/> begins.</summary>
    private static int FirstMonth(string interval, DateOnly date) => MonthIndex(date) - (date.Month - 1) % Step(interval);

    /// <summary>The first day of a period key, to find the range of the data.</summary>
    public static DateOnly Start(string period) => period.Length switch
    {
        4 => new DateOnly(int.Parse(period, CultureInfo.InvariantCulture), 1, 1),
        7 when period[5] == 'Q' => new DateOnly(int.Parse(period[..4], CultureInfo.InvariantCulture), (period[6] - '1') * 3 + 1, 1),
        _ => DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
