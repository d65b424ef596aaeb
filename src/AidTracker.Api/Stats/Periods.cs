using System.Globalization;

namespace AidTracker.Api.Stats;

/// <summary>Calendar periods of a timeseries: their SQL over an ISO date column, and the dense list between two of them.</summary>
public static class Periods
{
    public static readonly IReadOnlyList<string> Intervals = ["month", "quarter", "year"];

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

    /// <summary>Every period from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>.</summary>
    public static List<string> Between(string interval, DateOnly first, DateOnly last)
    {
        var periods = new List<string>();
        var step = interval switch { "year" => 12, "quarter" => 3, _ => 1 };
        var cursor = new DateOnly(first.Year, interval == "year" ? 1 : interval == "quarter" ? (first.Month - 1) / 3 * 3 + 1 : first.Month, 1);
        for (; cursor <= last; cursor = cursor.AddMonths(step)) periods.Add(Of(interval, cursor));
        return periods;
    }

    /// <summary>The first day of a period key, to find the range of the data.</summary>
    public static DateOnly Start(string period) => period.Length switch
    {
        4 => new DateOnly(int.Parse(period, CultureInfo.InvariantCulture), 1, 1),
        7 when period[5] == 'Q' => new DateOnly(int.Parse(period[..4], CultureInfo.InvariantCulture), (period[6] - '1') * 3 + 1, 1),
        _ => DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
