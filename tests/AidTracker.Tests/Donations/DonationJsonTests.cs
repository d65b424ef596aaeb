using System.Text.Json.Nodes;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Generated donations plus the edge cases of the SQL-written JSON: currencies, zeros, timestamps, escapes.</summary>
public sealed class DonationJsonFixture : ApiFixture
{
    /// <summary>
    /// Sub-second parts whose rendering differs: none, trailing zeros, all seven digits, one tick. Each change is a
    /// second after the last, in the future, so that the change clock (never earlier than the last change) keeps them.
    /// </summary>
    private static readonly long[] Fractions = [0, 1_200_000, 1_234_567, 1];

    private static TimeProvider ClockAt(int i) =>
        new FixedClock(new DateTimeOffset(2100, 1, 2, 3, 4, 5, TimeSpan.Zero).AddSeconds(i).AddTicks(Fractions[i % Fractions.Length]));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var donations = Services.GetRequiredService<DonationRepository>();
        var rows = SyntheticDataset.Generate(120, 5, BundledData.WeaponSystemCategories(), citing: Donations.SeedSource).ToList();
        foreach (var (row, i) in rows.Select((row, i) => (row, i)))
        {
            await donations.CreateAsync(row, new ChangeContext("json-fixture", null, ClockAt(i)), default);
        }

        // Every character a text field may hold that JSON writers treat apart (control characters are refused on input).
        var notes = "She said \"done\" \\ back\nslash\ttab\r\nCRLF \u2028 <b>&amp;</b> 'quoted' Україна ✓ 🚀";
        var next = rows.Count;
        foreach (var (amount, currency, eur) in new (decimal?, string?, decimal?)[]
        {
            (1500m, "JPY", 0m), (1.5m, "BHD", 0.01m), (2.0001m, "CLF", 100m), (10.5m, "EUR", 10.5m), (7m, "USD", null), (null, null, 123456789.99m),
        })
        {
            var request = Donations.Request("DEU", "UKR", "iris-t-slm", null, null, DonationStatus.Committed, "2024-02-29", amount, currency, eur, notes, quote: notes);
            await donations.CreateAsync(DonationWrite.From(request), new ChangeContext("json-fixture", null, ClockAt(next++)), default);
        }
    }
}

public sealed class DonationJsonTests(DonationJsonFixture app) : IClassFixture<DonationJsonFixture>
{
    [Fact]
    public async Task Every_list_item_is_the_json_of_get_by_id_to_the_byte_after_one_encoder()
    {
        var client = app.Anonymous();
        var items = await client.ReadAllPagesAsync("/api/v1/donations?limit=40");

        Assert.True(items.Count >= 126);
        foreach (var item in items)
        {
            var one = await client.GetJsonAsync<JsonObject>($"/api/v1/donations/{item["id"]}");
            // Both re-serialised by one writer: same fields in the same order, same strings, same number text.
            Assert.Equal(one.ToJsonString(), item!.ToJsonString());
        }
    }

    [Fact]
    public async Task Money_keeps_its_currency_decimals_and_timestamps_drop_trailing_zeros()
    {
        var body = await (await app.Anonymous().GetAsync("/api/v1/donations?weapon_system=iris-t-slm&limit=100")).Content.ReadAsStringAsync();

        Assert.Contains("\"value_amount\":1500,\"value_currency\":\"JPY\",\"value_basis\":\"reported\",\"value_eur\":0.00,", body, StringComparison.Ordinal);
        Assert.Contains("\"value_amount\":1.500,\"value_currency\":\"BHD\",\"value_basis\":\"reported\",\"value_eur\":0.01,", body, StringComparison.Ordinal);
        Assert.Contains("\"value_amount\":2.0001,\"value_currency\":\"CLF\",\"value_basis\":\"reported\",\"value_eur\":100.00,", body, StringComparison.Ordinal);
        Assert.Contains("\"value_amount\":10.50,\"value_currency\":\"EUR\"", body, StringComparison.Ordinal);
        Assert.Contains("\"value_amount\":null,\"value_currency\":null,\"value_basis\":\"reported\",\"value_eur\":123456789.99,", body, StringComparison.Ordinal);
        Assert.Contains("\"created_at\":\"2100-01-02T03:06:06.12Z\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_keep_every_precision_without_trailing_zeros()
    {
        var items = await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?limit=100");
        var created = items.Select(item => item!["created_at"]!.GetValue<string>()).ToHashSet();

        Assert.Superset(new HashSet<string> { "2100-01-02T03:04:05Z", "2100-01-02T03:04:06.12Z", "2100-01-02T03:04:07.1234567Z", "2100-01-02T03:04:08.0000001Z" }, created);
    }
}
