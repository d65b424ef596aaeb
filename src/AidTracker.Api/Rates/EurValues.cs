using AidTracker.Api.Common;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Rates;

/// <summary>
/// The euro value of a donation that reports an amount in a currency and no euro figure: converted at the ECB rate of
/// its relevant date, committed_on, else announced_on, else first_reported_on. A partial date converts at its first
/// day (a month at the 1st, a year at 1 January), the one day the record is known not to precede.
/// </summary>
public static class EurValues
{
    private static readonly string Reported = WireEnum<ValueEurMethod>.Name(ValueEurMethod.Reported);
    private static readonly string Converted = WireEnum<ValueEurMethod>.Name(ValueEurMethod.Converted);

    /// <summary>
    /// <paramref name="write"/> with value_eur filled where it can be: a EUR amount is its own euro value (method
    /// reported, no rate); another currency is converted (method converted, with the rate and its day) when a rate of
    /// the relevant date (<paramref name="firstReportedOn"/>, the first day of the earliest cited source, when the write does not carry its own) is loaded. A reported value_eur is kept; without
    /// a date or a rate value_eur stays null.
    /// </summary>
    public static async Task<DonationWrite> ConvertAsync(
        this ExchangeRates rates, DonationWrite write, DateOnly? firstReportedOn, CancellationToken cancellationToken)
    {
        if (write.ValueEurCents is not null || write.ValueAmountMinor is not { } amount || write.ValueCurrency is not { } currency) return write;
        if (currency == ExchangeRates.Euro) return write with { ValueEurCents = amount, ValueEurMethod = Reported };
        if (((write.CommittedOn ?? write.AnnouncedOn ?? write.FirstReportedOn)?.Start ?? firstReportedOn) is not { } relevant) return write;
        if (await rates.ToEurAsync(amount, currency, relevant, cancellationToken) is not { } conversion) return write;
        return write with
        {
            ValueEurCents = conversion.EurCents, ValueEurMethod = Converted, ValueEurRate = conversion.Rate, ValueEurRateDate = Timestamps.Format(conversion.RateDay),
        };
    }
}
