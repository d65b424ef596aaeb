using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AidTracker.Api.Common;

/// <summary>How much of an event date is known: its year, its month, or its day.</summary>
public enum DatePrecision
{
    Year,
    Month,
    Day,
}

/// <summary>
/// An event date known to a year (<c>2022</c>), a month (<c>2022-03</c>) or a day (<c>2022-03-06</c>). It stands for its
/// whole interval, <see cref="Start"/> to <see cref="End"/>: nothing here rounds it to a day. Stored as its first day
/// (<c>yyyy-MM-dd</c>, so that text order is time order), its precision and its last day.
/// </summary>
public readonly record struct PartialDate
{
    /// <summary>The wire forms, for schemas and problems: <c>yyyy</c>, <c>yyyy-MM</c> or <c>yyyy-MM-dd</c>.</summary>
    public const string Pattern = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

    /// <summary>What a problem says of a value that is none of the forms.</summary>
    public const string Expected = "a date in the form yyyy, yyyy-MM or yyyy-MM-dd";

    private PartialDate(DateOnly start, DatePrecision precision) => (Start, Precision) = (start, precision);

    /// <summary>The first day of the interval.</summary>
    public DateOnly Start { get; }

    public DatePrecision Precision { get; }

    /// <summary>The last day of the interval.</summary>
    public DateOnly End => Precision switch
    {
        DatePrecision.Year => new DateOnly(Start.Year, 12, 31),
        DatePrecision.Month => new DateOnly(Start.Year, Start.Month, DateTime.DaysInMonth(Start.Year, Start.Month)),
        _ => Start,
    };

    public static PartialDate Day(DateOnly day) => new(day, DatePrecision.Day);

    public static PartialDate Month(int year, int month) => new(new DateOnly(year, month, 1), DatePrecision.Month);

    public static PartialDate Year(int year) => new(new DateOnly(year, 1, 1), DatePrecision.Year);

    /// <summary>
    /// Reads exactly <c>yyyy</c>, <c>yyyy-MM</c> or <c>yyyy-MM-dd</c> (a real day of that month), nothing looser: no
    /// time, no spaces, no other separators, no two-digit years.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PartialDate date)
    {
        date = default;
        const DateTimeStyles strict = DateTimeStyles.None;
        var culture = CultureInfo.InvariantCulture;
        switch (text?.Length)
        {
            case 4 when DateOnly.TryParseExact(text + "-01-01", "yyyy-MM-dd", culture, strict, out var start):
                date = new PartialDate(start, DatePrecision.Year);
                return true;
            case 7 when text[4] == '-' && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", culture, strict, out var start):
                date = new PartialDate(start, DatePrecision.Month);
                return true;
            case 10 when DateOnly.TryParseExact(text, "yyyy-MM-dd", culture, strict, out var start):
                date = new PartialDate(start, DatePrecision.Day);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A stored date: its first day and its precision's wire name. Refuses a start that is not its interval's first day.</summary>
    public static PartialDate FromStorage(string start, string precision)
    {
        var day = Timestamps.ParseDate(start);
        var date = new PartialDate(day, WireEnum<DatePrecision>.Parse(precision));
        return date.Precision switch
        {
            DatePrecision.Year when day is not { Month: 1, Day: 1 } => throw Misstored(start, precision),
            DatePrecision.Month when day.Day != 1 => throw Misstored(start, precision),
            _ => date,
        };
    }

    private static InvalidOperationException Misstored(string start, string precision) =>
        new($"A stored date of precision {precision} must be its first day, not {start}.");

    /// <summary>Whether the whole interval lies within <paramref name="from"/>..<paramref name="to"/> (either end open): what a date filter keeps.</summary>
    public bool Within(DateOnly? from, DateOnly? to) => (from is null || Start >= from) && (to is null || End <= to);

    /// <summary>The wire form: as precise as the date is known, never more.</summary>
    public override string ToString() => Start.ToString(
        Precision switch { DatePrecision.Year => "yyyy", DatePrecision.Month => "yyyy-MM", _ => "yyyy-MM-dd" },
        CultureInfo.InvariantCulture);
}
