using System.Globalization;
using AidTracker.Api.Common;

namespace AidTracker.Api.Extraction;

/// <summary>A date stated in a sentence, as precisely as it is stated, and the words that gave it.</summary>
public sealed record DateReading(PartialDate Date, int First, int Last);

/// <summary>
/// Reads the date of the event a sentence states, against the date its source was published: "on Saturday" (the last
/// Saturday up to publication), "today", "yesterday", "on 26 February", "February 26, 2022", "in late December" (the
/// month), "in 2022" (the year). A day and month without a year take the publication's year, or the year before when
/// that would put them more than two months after publication. A dateline ("BERLIN, Feb 27 –") is the publication's
/// date, not the event's, and is passed over. Without a publication date only dates that name their year are read.
/// </summary>
public static class EventDates
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4, ["may"] = 5,
        ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8, ["september"] = 9, ["sep"] = 9, ["sept"] = 9,
        ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
    };

    private static readonly Dictionary<string, DayOfWeek> Weekdays = new(StringComparer.Ordinal)
    {
        ["monday"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday, ["wednesday"] = DayOfWeek.Wednesday, ["thursday"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday, ["saturday"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday,
    };

    /// <summary>Whether a word (lower case) names a month or a day of the week.</summary>
    public static bool IsCalendarWord(string lower) => Months.ContainsKey(lower) && lower != "may" || Weekdays.ContainsKey(lower);

    /// <summary>The first event date in <paramref name="words"/> (one sentence), or null when it states none.</summary>
    public static DateReading? In(IReadOnlyList<Word> words, DateOnly? published)
    {
        for (var i = AfterDateline(words); i < words.Count; i++)
        {
            if (Read(words, i, published) is { } date) return date;
        }
        return null;
    }

    /// <summary>
    /// Where a sentence begins after its dateline: a place in capitals, then a dash within a few words ("BERLIN –",
    /// "STOCKHOLM, Feb 27 (Reuters) –"); 0 when it has none.
    /// </summary>
    public static int AfterDateline(IReadOnlyList<Word> words)
    {
        var i = 0;
        while (i < words.Count && words[i].Text.Length > 1 && words[i].Text.All(c => !char.IsLetter(c) || char.IsUpper(c))) i++;
        if (i == 0) return 0;
        for (var k = i; k < Math.Min(words.Count, i + 8); k++)
        {
            if (words[k].Text is "–" or "—" or "-") return k + 1;
        }
        return 0;
    }

    private static DateReading? Read(IReadOnlyList<Word> words, int i, DateOnly? published)
    {
        string Lower(int at) => at >= 0 && at < words.Count ? words[at].Lower : "";
        var word = words[i].Lower;
        if (published is { } today)
        {
            if (word == "today") return new(PartialDate.Day(today), i, i);
            if (word == "yesterday") return new(PartialDate.Day(today.AddDays(-1)), i, i);
            if (word == "tomorrow") return new(PartialDate.Day(today.AddDays(1)), i, i);
            if (Weekdays.TryGetValue(word, out var weekday) && Lower(i - 1) is "on" or "last" or "this" or "since" or "from")
            {
                var day = today;
                while (day.DayOfWeek != weekday) day = day.AddDays(-1);
                return new(PartialDate.Day(day), i - 1, i);
            }
            // "at the weekend", "over the weekend": the last one up to publication, known to its month when both days are in one.
            if (word == "weekend" && Lower(i - 1) == "the" && i >= 2 && Lower(i - 2) is "at" or "over" or "this" or "last")
            {
                var sunday = today;
                while (sunday.DayOfWeek != DayOfWeek.Sunday) sunday = sunday.AddDays(-1);
                var saturday = sunday.AddDays(-1);
                if (today.DayOfWeek == DayOfWeek.Saturday) (saturday, sunday) = (today, today.AddDays(1));
                return saturday.Month == sunday.Month ? new(PartialDate.Month(saturday.Year, saturday.Month), i - 2, i) : null;
            }
        }
        // A day and a month: "26 February", "26 Feb 2022"; or "February 26", "Feb. 26, 2022".
        if (DayNumber(words, i) is { } dayFirst && Months.TryGetValue(Lower(i + 1), out var month))
        {
            var (year, last) = Year(words, i + 2);
            return Dated(year, month, dayFirst, published, i, last ?? i + 1);
        }
        if (Months.TryGetValue(word, out month) && IsMonthWord(words, i))
        {
            var next = i + 1 < words.Count && words[i + 1].Text == "." ? i + 2 : i + 1;
            if (DayNumber(words, next) is { } day)
            {
                var afterDay = next + 1 < words.Count && words[next + 1].Text == "," ? next + 2 : next + 1;
                var (year, last) = Year(words, afterDay);
                return Dated(year, month, day, published, i, last ?? next);
            }
            // "in December", "in late December", "in December 2022", "at the end of December".
            if (Lower(i - 1) is "in" or "late" or "early" or "mid" or "of" || Lower(i - 2) is "in")
            {
                var (year, last) = Year(words, i + 1);
                var inYear = year ?? published?.Year;
                if (inYear is not { } y) return null;
                if (year is null && published is { } p && new DateOnly(y, month, 1) > p.AddMonths(2)) y--;
                return new(PartialDate.Month(y, month), Lower(i - 1) is "late" or "early" or "mid" ? i - 1 : i, last ?? i);
            }
        }
        // "in 2022": the year alone.
        if (word is "in" or "during" && Year(words, i + 1) is ({ } alone, { } yearAt) && !Months.ContainsKey(Lower(yearAt + 1)))
        {
            return new(PartialDate.Year(alone), i + 1, yearAt);
        }
        return null;
    }

    /// <summary>"May" is the month only next to a day, a year or "in": not "may send".</summary>
    private static bool IsMonthWord(IReadOnlyList<Word> words, int i) => words[i].Lower != "may" || words[i].Text == "May";

    private static int? DayNumber(IReadOnlyList<Word> words, int i)
    {
        if (i >= words.Count) return null;
        var text = words[i].Lower;
        foreach (var suffix in new[] { "st", "nd", "rd", "th" })
        {
            if (text.Length > 2 && text.EndsWith(suffix, StringComparison.Ordinal)) text = text[..^2];
        }
        return text.Length <= 2 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 31 ? day : null;
    }

    private static (int? Year, int? Last) Year(IReadOnlyList<Word> words, int i)
    {
        if (i < words.Count && words[i].Text == ",") i++;
        return i < words.Count && words[i].Text.Length == 4 && int.TryParse(words[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2100
            ? (year, i) : (null, null);
    }

    private static DateReading? Dated(int? year, int month, int day, DateOnly? published, int first, int last)
    {
        var y = year ?? published?.Year;
        if (y is not { } resolved || day > DateTime.DaysInMonth(resolved, month)) return null;
        var date = new DateOnly(resolved, month, day);
        if (year is null && published is { } p && date > p.AddMonths(2) && day <= DateTime.DaysInMonth(resolved - 1, month)) date = date.AddYears(-1);
        return new(PartialDate.Day(date), first, last);
    }
}
