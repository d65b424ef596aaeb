using System.Globalization;

namespace AidTracker.Api.Common;

/// <summary>Money is stored as integer minor units of its currency, so that sums are exact.</summary>
public static class Money
{
    /// <summary>
    /// The largest amount accepted, in major units: far above any aid package, and small enough that its minor units
    /// fit a long in every currency (10^14 x 10^4 for the four-decimal CLF and UYW is 10^18).
    /// </summary>
    public const decimal MaxAmount = 100_000_000_000_000m;

    public static bool HasAtMostDecimals(decimal amount, int decimals) => decimal.Round(amount, decimals) == amount;

    public static long ToMinor(decimal amount, int minorUnits) => decimal.ToInt64(amount * Scale(minorUnits));

    /// <summary>Minor units as a decimal that keeps the currency's decimals: 1250 cents is 12.50, as JSON writes it.</summary>
    public static decimal FromMinor(long minor, int minorUnits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        return new decimal((int)(minor & 0xFFFFFFFF), (int)(minor >> 32), 0, false, (byte)minorUnits);
    }

    private static decimal Scale(int minorUnits) => minorUnits switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1000m,
        4 => 10000m,
        _ => throw new ArgumentOutOfRangeException(nameof(minorUnits), minorUnits, null),
    };
}

/// <summary>ISO 4217 currencies with their minor units, from the embedded Common/currencies.csv. Codes match in any case and are written upper case.</summary>
public static class Currencies
{
    private static readonly Lazy<IReadOnlyDictionary<string, int>> MinorUnitsByCode = new(() =>
    {
        using var reader = new StreamReader(EmbeddedResources.Open("Common/currencies.csv"));
        return CsvReader.ReadAll(reader).ToDictionary(
            row => row["code"], row => int.Parse(row["minor_units"], CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
    });

    /// <summary>The shape of every code, in any case: the document says it; which codes exist is the file's.</summary>
    public const string Pattern = "^[A-Za-z]{3}$";

    public static bool IsKnown(string? code) => code is not null && MinorUnitsByCode.Value.ContainsKey(code);

    public static int MinorUnits(string code) => MinorUnitsByCode.Value[code];

    public static string Normalize(string code) => code.ToUpperInvariant();

    /// <summary>Every currency code with its minor units.</summary>
    public static IEnumerable<KeyValuePair<string, int>> All => MinorUnitsByCode.Value;
}
