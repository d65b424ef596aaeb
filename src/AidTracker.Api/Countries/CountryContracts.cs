using System.ComponentModel.DataAnnotations;

namespace AidTracker.Api.Countries;

public enum CountryKind { State, Organisation }

public sealed record CountryResponse(string Code, string Name, CountryKind Kind, string? Iso2, bool EuMember, bool NatoMember);

public sealed record CountryList(IReadOnlyList<CountryResponse> Items);

/// <summary>The body of <c>POST /countries</c> and <c>PUT /countries/{code}</c>.</summary>
public sealed record CountryRequest(
    [property: Required] string? Code,
    [property: Required] string? Name,
    [property: Required] CountryKind? Kind,
    string? Iso2,
    bool? EuMember,
    bool? NatoMember);

/// <summary>Codes are upper case; lookups accept any case.</summary>
public static class CountryCodes
{
    /// <summary>What a code can be, in any case: a new country's is checked against it, so no other text names one.</summary>
    public const string Pattern = "^[A-Za-z]{2,4}$";

    public static string Normalize(string code) => code.ToUpperInvariant();
}
