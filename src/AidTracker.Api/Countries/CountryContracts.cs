using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using AidTracker.Api.Common;

namespace AidTracker.Api.Countries;

public enum CountryKind { State, Organisation }

/// <param name="EuMember">A member of the EU today.</param>
/// <param name="NatoMember">A member of NATO today.</param>
public sealed record CountryResponse(
    string Code,
    string Name,
    CountryKind Kind,
    string? Iso2,
    bool EuMember,
    bool NatoMember,
    [property: Description(CountryDescriptions.EuSince)] DateOnly? EuSince,
    [property: Description(CountryDescriptions.EuUntil)] DateOnly? EuUntil,
    [property: Description(CountryDescriptions.NatoSince)] DateOnly? NatoSince,
    [property: Description(CountryDescriptions.Aliases)] IReadOnlyList<string> Aliases);

public sealed record CountryList(IReadOnlyList<CountryResponse> Items);

/// <summary>
/// The body of <c>POST /countries</c> and <c>PUT /countries/{code}</c>. The membership dates and the aliases came
/// after the rest: a body without one of them (an older client's) keeps, on PUT, what is stored; null or [] clears it.
/// </summary>
public sealed record CountryRequest(
    [property: Required] string? Code,
    [property: Required] string? Name,
    [property: Required] CountryKind? Kind,
    string? Iso2,
    [property: Description(CountryDescriptions.EuMember)] bool? EuMember,
    [property: Description(CountryDescriptions.NatoMember)] bool? NatoMember)
{
    [Description(CountryDescriptions.EuSince + CountryDescriptions.Absent)]
    public DateOnly? EuSince { get; init { field = value; Given.Add(nameof(EuSince)); } }

    [Description(CountryDescriptions.EuUntil + CountryDescriptions.Absent)]
    public DateOnly? EuUntil { get; init { field = value; Given.Add(nameof(EuUntil)); } }

    [Description(CountryDescriptions.NatoSince + CountryDescriptions.Absent)]
    public DateOnly? NatoSince { get; init { field = value; Given.Add(nameof(NatoSince)); } }

    [Description(CountryDescriptions.Aliases + " " + Common.Aliases.Rule + " Absent: none on POST, what is stored on PUT; null or [] clears them."), MaxLength(Common.Aliases.MaxCount)]
    public IReadOnlyList<string>? Aliases { get; init { field = value; Given.Add(nameof(Aliases)); } }

    /// <summary>The names of the optional properties above that the body holds, null or not.</summary>
    internal HashSet<string> Given { get; } = [];
}

/// <summary>What the document says of the membership and alias fields.</summary>
public static class CountryDescriptions
{
    public const string EuMember = "A member of the EU today: true exactly when eu_since is set and eu_until is null or today.";
    public const string NatoMember = "A member of NATO today: true exactly when nato_since is set.";
    public const string Absent = " Not after today. Absent: null on POST, what is stored on PUT; null clears it.";
    public const string EuSince = "The day the country joined the EU: its accession, or 1958-01-01 (the Treaty of Rome in force) for the six founders; null when it never joined.";
    public const string EuUntil = "The last day of the country's EU membership (the United Kingdom's: 2020-01-31); null while it lasts or when it never joined. Not before eu_since.";
    public const string NatoSince = "The day the country joined NATO: its accession, or 1949-08-24 (the North Atlantic Treaty in force) for the twelve founders; null when it never joined.";
    public const string Aliases = "Other names, demonyms and adjectives that name the country in text (\"the Dutch\", \"Holland\"); q finds them.";
}

/// <summary>Codes are upper case; lookups accept any case.</summary>
public static class CountryCodes
{
    /// <summary>What a code can be, in any case: a new country's is checked against it, so no other text names one.</summary>
    public const string Pattern = "^[A-Za-z]{2,4}$";

    public static string Normalize(string code) => code.ToUpperInvariant();
}
