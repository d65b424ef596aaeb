using System.Globalization;
using System.Text.RegularExpressions;

namespace AidTracker.Api.Common;

/// <summary>The one text form of dates and timestamps in storage: fixed width, so that text order is time order.</summary>
public static partial class Timestamps
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>A stored timestamp as a UTC <see cref="DateTime"/>, which JSON writes with a 'Z'.</summary>
    public static DateTime Parse(string value) =>
        DateTime.ParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// An RFC 3339 timestamp from a client: date, time, optional fraction up to seven digits, and Z or an offset.
    /// Nothing looser, so that a moment is never guessed (a bare date or a local time would be).
    /// </summary>
    public static bool TryParseMoment(string value, out DateTimeOffset moment)
    {
        moment = default;
        return Rfc3339().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out moment);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339();

    public static string Format(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, DateFormat, CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
