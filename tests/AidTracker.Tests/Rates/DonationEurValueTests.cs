using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>value_eur on POST and PUT /donations: converted at the relevant date's ECB rate, identity for EUR, reported as given.</summary>
public sealed class DonationEurValueTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<JsonObject> PostAsync(JsonObject body)
    {
        await RatesFiles.ImportAsync(app.Services, RatesFiles.History);
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task Dollars_are_converted_at_the_rate_of_the_commitment_day_or_the_last_business_day_before_it()
    {
        // 2022-03-06 is a Sunday: the rate is Friday 2022-03-04's, 1.0929 USD per euro.
        var body = await PostAsync(Donations.Valid().With("value_amount", 1092.9m).With("value_currency", "usd").With("committed_on", "2022-03-06"));

        Assert.Equal(1000.00m, body["value_eur"]!.GetValue<decimal>());
        Assert.Equal("converted", body["value_eur_method"]!.GetValue<string>());
        Assert.Equal("1.0929", body["value_eur_rate"]!.GetValue<string>());
        Assert.Equal("2022-03-04", body["value_eur_rate_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_month_converts_at_its_first_day()
    {
        var body = await PostAsync(Donations.Valid().With("value_amount", 1116.2m).With("value_currency", "USD").With("announced_on", "2022-03"));

        Assert.Equal(1000.00m, body["value_eur"]!.GetValue<decimal>());
        Assert.Equal("2022-03-01", body["value_eur_rate_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Euros_are_their_own_value_reported_and_a_given_value_eur_stays_reported()
    {
        var euros = await PostAsync(Donations.Valid().With("value_amount", 500m).With("value_currency", "EUR"));
        var given = await PostAsync(Donations.Valid().With("value_amount", 1092.9m).With("value_currency", "USD").With("value_eur", 999m));

        Assert.Equal((500m, "reported"), (euros["value_eur"]!.GetValue<decimal>(), euros["value_eur_method"]!.GetValue<string>()));
        Assert.Null(euros["value_eur_rate"]);
        Assert.Equal((999m, "reported"), (given["value_eur"]!.GetValue<decimal>(), given["value_eur_method"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_a_rate_value_eur_stays_null()
    {
        var body = await PostAsync(Donations.Valid().With("value_amount", 100m).With("value_currency", "USD").With("announced_on", "2019-01-01"));

        Assert.Null(body["value_eur"]);
        Assert.Null(body["value_eur_method"]);
    }
}

/// <summary>After <c>rates import</c>, the donations that waited for a rate get their euro value, each as a new version.</summary>
public sealed class WaitingEurValueTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private const string Rates2019 = """
        Date,USD,
        2019-01-02,1.1000,

        """;

    [Fact]
    public async Task A_donation_waiting_for_a_rate_is_converted_after_the_import_with_a_history_version_by_rates_import()
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("value_amount", 110m).With("value_currency", "USD").With("announced_on", "2019-01-02")));
        var id = (await response.ReadObjectAsync())["id"]!.GetValue<long>();
        Assert.Null((await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}"))["value_eur"]);

        await RatesFiles.ImportAsync(app.Services, Rates2019);
        var repository = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AidTracker.Api.Donations.DonationRepository>(app.Services);
        var converted = await repository.ConvertWaitingAsync(new(AidTracker.Api.Cli.RatesCommand.ChangedBy, null, TimeProvider.System), default);

        Assert.Equal(1, converted);
        var body = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal((100.00m, "converted", 2L), (body["value_eur"]!.GetValue<decimal>(), body["value_eur_method"]!.GetValue<string>(), body["version"]!.GetValue<long>()));
        var history = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}/history");
        Assert.Equal("rates import", history["items"]!.AsArray().Last()!["changed_by"]!.GetValue<string>());
        Assert.Equal(0, await repository.ConvertWaitingAsync(new("rates import", null, TimeProvider.System), default));
    }
}
