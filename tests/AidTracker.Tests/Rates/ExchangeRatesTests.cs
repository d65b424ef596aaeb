using AidTracker.Api.Rates;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Conversion into euros at the stored ECB rates, through the service provider on the test's engine.</summary>
public sealed class ExchangeRatesTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<ExchangeRates> LoadedAsync()
    {
        // Importing the same file again changes nothing, so every test may load it.
        await RatesFiles.ImportAsync(app.Services, RatesFiles.History);
        return app.Services.GetRequiredService<ExchangeRates>();
    }

    private static DateOnly Day(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Yen_with_no_decimals_is_divided_by_the_days_rate_and_rounded_to_the_cent()
    {
        var rates = await LoadedAsync();

        var eur = await rates.ToEurAsync(1_000_000, "JPY", Day("2022-03-07"), default);

        // 1,000,000 / 125.87 = 7944.7048…
        Assert.Equal(new EurConversion(794_470, "125.87", Day("2022-03-07")), eur);
    }

    [Fact]
    public async Task A_three_decimal_currency_reads_its_minor_units_as_thousandths()
    {
        var rates = await LoadedAsync();

        var eur = await rates.ToEurAsync(1_234_567, "bhd", Day("2022-03-07"), default);

        // 1234.567 / 0.4105 = 3007.4713…
        Assert.Equal(new EurConversion(300_747, "0.4105", Day("2022-03-07")), eur);
    }

    [Fact]
    public async Task Half_a_cent_rounds_away_from_zero_and_the_rate_keeps_the_text_the_ECB_wrote()
    {
        var rates = await LoadedAsync();

        var up = await rates.ToEurAsync(5, "CHF", Day("2022-03-07"), default);
        var odd = await rates.ToEurAsync(3, "CHF", Day("2022-03-07"), default);

        Assert.Equal(new EurConversion(3, "2.0000", Day("2022-03-07")), up); // 0.025 EUR: 3 cents, where banker's rounding gives 2
        Assert.Equal(2, odd?.EurCents); // 0.015 EUR: 2 cents
    }

    [Fact]
    public async Task A_weekend_takes_the_rate_of_the_friday_before()
    {
        var rates = await LoadedAsync();

        var saturday = await rates.ToEurAsync(10_000, "USD", Day("2022-03-05"), default);
        var sunday = await rates.ToEurAsync(10_000, "USD", Day("2022-03-06"), default);

        // 100.00 / 1.0929 = 91.4996…
        Assert.Equal(new EurConversion(9_150, "1.0929", Day("2022-03-04")), saturday);
        Assert.Equal(saturday, sunday);
    }

    [Fact]
    public async Task A_rate_is_used_for_ten_calendar_days_and_no_longer()
    {
        var rates = await LoadedAsync();

        var lastDay = await rates.ToEurAsync(100_000, "RUB", Day("2022-03-01"), default);
        var tenDaysOn = await rates.ToEurAsync(100_000, "RUB", Day("2022-03-11"), default);
        var elevenDaysOn = await rates.ToEurAsync(100_000, "RUB", Day("2022-03-12"), default);

        // 1000.00 / 117.2010 = 8.5323…
        Assert.Equal(new EurConversion(853, "117.2010", Day("2022-03-01")), lastDay);
        Assert.Equal(lastDay, tenDaysOn);
        Assert.Equal(10, ExchangeRates.MaxRateAgeDays);
        Assert.Null(elevenDaysOn);
    }

    [Fact]
    public async Task No_rate_before_the_first_day_nor_for_a_currency_without_rates_gives_null()
    {
        var rates = await LoadedAsync();

        Assert.Null(await rates.ToEurAsync(10_000, "USD", Day("2022-02-28"), default));
        Assert.Null(await rates.ToEurAsync(10_000, "GBP", Day("2022-03-07"), default));
        Assert.Null(await rates.ToEurAsync(10_000, "XYZ", Day("2022-03-07"), default));
    }

    [Fact]
    public async Task Euro_converts_to_itself_without_a_rate()
    {
        var rates = app.Services.GetRequiredService<ExchangeRates>();

        Assert.Equal(new EurConversion(123_456, "1", Day("1990-01-01")), await rates.ToEurAsync(123_456, "eur", Day("1990-01-01"), default));
    }

    [Theory]
    [InlineData(1, 2, "2", 1)]      // 0.005 -> 0.01
    [InlineData(0, 2, "3", 0)]      // 0
    [InlineData(4, 2, "1.6", 3)]    // 0.025 -> 0.03
    [InlineData(1, 0, "160.12", 1)] // 1 JPY = 0.0062 EUR -> 0.01
    [InlineData(1, 4, "1", 0)]      // 0.0001 -> 0.00
    public void The_arithmetic_rounds_half_away_from_zero_in_decimal(long amountMinor, int minorUnits, string rate, long cents) =>
        Assert.Equal(cents, ExchangeRates.ToCents(amountMinor, minorUnits, ExchangeRates.ParseRate(rate)));
}
