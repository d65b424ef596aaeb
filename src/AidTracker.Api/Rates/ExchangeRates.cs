using System.Globalization;
using AidTracker.Api.Common;

namespace AidTracker.Api.Rates;

/// <summary>
/// An amount converted into euros: <see cref="EurCents"/>, by <see cref="Rate"/> (units of the currency per euro, the
/// text the ECB wrote) of <see cref="RateDay"/>, the ECB business day whose rate was used.
/// </summary>
public sealed record EurConversion(long EurCents, string Rate, DateOnly RateDay);

/// <summary>
/// Converts amounts into euros at the ECB's euro reference rates (<c>exchange_rates</c>, loaded by <c>rates import</c>).
/// </summary>
public sealed class ExchangeRates(ExchangeRateRepository rates)
{
    /// <summary>
    /// How old a rate may be, in calendar days before the date converted: the ECB publishes every business day, and
    /// its longest closures (Christmas to the new year with a weekend, Easter) leave at most 5 days without a rate.
    /// 10 covers those with room, and a currency the ECB stopped quoting (RUB after 2022-03-01) gets no conversion
    /// within days rather than a rate that no longer says anything.
    /// </summary>
    public const int MaxRateAgeDays = 10;

    public const string Euro = "EUR";

    /// <summary>
    /// <paramref name="amountMinor"/> minor units of <paramref name="currency"/> (any case; its decimals from
    /// Common/currencies.csv, as value_amount_minor) in euro cents, at the rate of <paramref name="on"/> or of the
    /// last business day before it, but not older than <see cref="MaxRateAgeDays"/>. The amount is divided by the rate
    /// in decimal and rounded to the cent half away from zero (0.005 EUR is one cent). EUR is the identity, with rate
    /// <c>1</c> of <paramref name="on"/> itself. Null when there is no such rate, or the currency is not in
    /// currencies.csv (its decimals unknown).
    /// </summary>
    public async Task<EurConversion?> ToEurAsync(long amountMinor, string currency, DateOnly on, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        var code = Currencies.Normalize(currency);
        if (code == Euro) return new EurConversion(amountMinor, "1", on);
        if (!Currencies.IsKnown(code)) return null;
        if (await rates.LatestAsync(code, on.AddDays(-MaxRateAgeDays), on, cancellationToken) is not { } row) return null;
        return new EurConversion(ToCents(amountMinor, Currencies.MinorUnits(code), ParseRate(row.Rate)), row.Rate, Timestamps.ParseDate(row.Day));
    }

    /// <summary>The arithmetic of <see cref="ToEurAsync"/>: minor units to major, divided by the rate, to the cent half away from zero.</summary>
    public static long ToCents(long amountMinor, int minorUnits, decimal unitsPerEuro)
    {
        var euros = Money.FromMinor(amountMinor, minorUnits) / unitsPerEuro;
        return Money.ToMinor(decimal.Round(euros, 2, MidpointRounding.AwayFromZero), 2);
    }

    /// <summary>A rate as stored (the ECB's text) as a decimal.</summary>
    public static decimal ParseRate(string rate) => decimal.Parse(rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
