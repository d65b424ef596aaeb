namespace AidTracker.Api.Rates;

public static class RatesServices
{
    /// <summary>The rates table and the conversion into euros that donations call (<see cref="ExchangeRates"/>).</summary>
    public static IServiceCollection AddRates(this IServiceCollection services) => services
        .AddSingleton<ExchangeRateRepository>()
        .AddSingleton<ExchangeRates>();
}
