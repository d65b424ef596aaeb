using AidTracker.Api.Common;

namespace AidTracker.Api.Http;

/// <summary>
/// A query parameter that takes a value of a closed set (an interval, a split, a grouping, a category): its name, what
/// one value is called in a problem, its values, and what an absent parameter means. Every such parameter refuses a
/// value the same way, "'week' is not an interval. Use one of: month, quarter, year.", as an error naming the parameter
/// added to the request's others, so that one response names them all. A value matches in any case and is returned
/// as declared (<see cref="WireNames"/>). Which parameters an endpoint takes at all is its handler's [FromQuery]
/// declarations (<see cref="QueryParameters"/>).
/// </summary>
/// <param name="name">The parameter, as the query string spells it.</param>
/// <param name="noun">One value, with its article, as a problem says it: "an interval", "a split".</param>
/// <param name="values">The values it takes.</param>
/// <param name="absent">The value an absent parameter means; null when absent means none.</param>
/// <param name="useOneOf">What a problem tells to use instead; by default "Use one of: " and the values.</param>
public sealed class ChoiceParameter(string name, string noun, WireNames values, string? absent = null, string? useOneOf = null)
{
    public string Name => name;

    public WireNames Values => values;

    /// <summary>
    /// The declared form of <paramref name="given"/>, or the absent value when it is null; null, with an error naming
    /// the parameter, when it is none of the values.
    /// </summary>
    public string? Parse(string? given, FieldErrors errors)
    {
        if (given is null) return absent;
        if (values.TryMatch(given, out var value)) return value;
        errors.Add(name, $"'{given}' is not {noun}. {UseOneOf}");
        return null;
    }

    /// <summary>
    /// Each of <paramref name="given"/> in its declared form (duplicates kept); null, with one error quoting every value
    /// that is none of the values, when there is any.
    /// </summary>
    public List<string>? ParseList(IReadOnlyList<string> given, FieldErrors errors)
    {
        var unknown = given.Where(item => !values.TryMatch(item, out _)).ToList();
        if (unknown.Count == 0) return given.Select(item => values.Canonical(item)!).ToList();
        errors.Add(name, $"{string.Join(", ", unknown.Select(item => $"'{item}'"))} is not {noun}. {UseOneOf}");
        return null;
    }

    private string UseOneOf => useOneOf ?? values.UseOneOf;
}

/// <summary>
/// A query parameter that takes a whole number from <paramref name="min"/> to <paramref name="max"/> (no upper bound
/// when null), and what an absent parameter means. Out of bounds, it is refused as <see cref="ChoiceParameter"/> refuses
/// a value: an error naming it, added to the request's others. A value that is not a number never gets here: binding
/// refuses it with a problem naming the parameter (<see cref="ApiExceptionHandler"/>).
/// </summary>
public sealed class IntegerParameter(string name, int absent, int min, int? max = null)
{
    public string Name => name;

    /// <summary><paramref name="given"/>, or the absent value when it is null; null, with an error naming the parameter, out of bounds.</summary>
    public int? Parse(int? given, FieldErrors errors)
    {
        var value = given ?? absent;
        if (value >= min && (max is null || value <= max)) return value;
        errors.Add(name, max is null ? $"{name} must be at least {min}." : $"{name} must be between {min} and {max}.");
        return null;
    }
}
