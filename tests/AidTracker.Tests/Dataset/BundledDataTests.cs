using System.Text.Json.Nodes;
using AidTracker.Api.Dataset;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

public sealed class BundledDataTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static readonly (string Donor, string WeaponSystem)[] SeedRecords =
    [
        ("NLD", "rocket-launcher-unspecified"),
        ("EST", "fgm-148-javelin"),
        ("POL", "fim-92-stinger"),
        ("LVA", "fim-92-stinger"),
        ("CZE", "machine-gun"),
        ("CZE", "sniper-rifle"),
        ("CZE", "pistol"),
        ("CZE", "ammunition-unspecified"),
        ("SWE", "weapons-unspecified"),
        ("FIN", "weapons-unspecified"),
        ("DEU", "fim-92-stinger"),
        ("DEU", "rocket-launcher-unspecified"),
    ];

    [Fact]
    public async Task The_seed_document_records_are_served_exactly_with_nothing_invented()
    {
        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?limit=1000"))["items"]!.AsArray();

        Assert.Equal(SeedRecords, items.Select(i => (i!["donor"]!.GetValue<string>(), i["weapon_system"]!.GetValue<string>())).ToArray());
        Assert.All(items, item =>
        {
            Assert.Equal("UKR", item!["recipient"]!.GetValue<string>());
            Assert.Equal("2022-03-06", item["announced_on"]!.GetValue<string>());
            Assert.Equal("announced", item["status"]!.GetValue<string>());
            Assert.Null(item["quantity"]);
            Assert.Equal("undisclosed", item["quantity_qualifier"]!.GetValue<string>());
            Assert.Null(item["value_amount"]);
            Assert.Null(item["value_eur"]);
            Assert.Null(item["source_url"]);
            Assert.Null(item["delivered_on"]);
            Assert.StartsWith("News report, 2022-03-06, beginning \"Amid the ongoing war in Ukraine, media reports indicate", item["source"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith("Source wording: ", item["notes"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Every_seed_record_has_a_create_history_row_by_the_seed()
    {
        var history = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations/1/history");

        var entry = Assert.Single(history["items"]!.AsArray())!;
        Assert.Equal("create", entry["operation"]!.GetValue<string>());
        Assert.Equal(BundledData.SeedAuthor, entry["changed_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restarting_on_the_same_file_never_loads_the_seed_twice()
    {
        await using (var again = new Reopened(app.Folder))
        {
            await using var connection = await again.Connections.OpenAsync();
            Assert.Equal(251, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM countries"));
            Assert.Equal(SeedRecords.Length, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donations WHERE source LIKE 'News report, 2022-03-06%'"));
            Assert.Equal(again.Connections.Migrations.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
    }

    /// <summary>A second service on the first one's database file, as after a restart.</summary>
    private sealed class Reopened(string folder) : ApiFixture(folder)
    {
        public override Task InitializeAsync() => Task.CompletedTask;
    }
}
