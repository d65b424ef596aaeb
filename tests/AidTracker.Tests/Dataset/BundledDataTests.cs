using System.Text.Json.Nodes;
using AidTracker.Api.Dataset;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

public sealed class BundledDataTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private const string Dutch = "For air defence, the Dutch are sending rocket launchers.";
    private const string Estonians = "The Estonians are sending anti-tank missiles called Javelin.";
    private const string PolesAndLatvians = "Stinger surface-to-air missiles are being sent by Poland and Latvia.";
    private const string Czechs = "Machine weapons, sniper rifles, pistols, and ammo are being sent by the Czechs.";
    private const string Neutrals = "Even countries that were previously neutral, such as Sweden and Finland, are providing weaponry.";
    private const string Germany = "Stingers, as well as other shoulder-launched rockets, are being sent by Germany, which has always been wary of sending weaponry into conflict zones.";

    private static readonly (string Donor, string WeaponSystem, string Quote)[] SeedRecords =
    [
        ("NLD", "rocket-launcher-unspecified", Dutch),
        ("EST", "fgm-148-javelin", Estonians),
        ("POL", "fim-92-stinger", PolesAndLatvians),
        ("LVA", "fim-92-stinger", PolesAndLatvians),
        ("CZE", "machine-gun", Czechs),
        ("CZE", "sniper-rifle", Czechs),
        ("CZE", "pistol", Czechs),
        ("CZE", "ammunition-unspecified", Czechs),
        ("SWE", "weapons-unspecified", Neutrals),
        ("FIN", "weapons-unspecified", Neutrals),
        ("DEU", "fim-92-stinger", Germany),
        ("DEU", "rocket-launcher-unspecified", Germany),
    ];

    [Fact]
    public async Task The_seed_source_is_one_news_report_dated_to_the_day_with_nothing_invented()
    {
        await using var connection = await app.Connections.OpenAsync();
        var source = await connection.QuerySingleAsync<(string Kind, string? Publisher, string? Title, string? Url, string PublishedOn, string Precision, string? Reliability, string Citation)>(
            "SELECT kind, publisher, title, url, published_on, published_on_precision, reliability, citation FROM sources WHERE id = 1");

        Assert.Equal(("news", null, null, null, "2022-03-06", "day", null,
            "News report, 2022-03-06, beginning 'Amid the ongoing war in Ukraine, media reports indicate\u2026'"), source);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sources"));
    }

    [Fact]
    public async Task The_seed_document_records_are_served_exactly_with_nothing_invented()
    {
        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?limit=1000"))["items"]!.AsArray();

        Assert.Equal(SeedRecords, items.Select(i => (i!["donor"]!.GetValue<string>(), i["weapon_system"]!.GetValue<string>(), i["evidence"]![0]!["quote"]!.GetValue<string>())).ToArray());
        Assert.All(items, item =>
        {
            Assert.Equal("UKR", item!["recipient"]!.GetValue<string>());
            Assert.Null(item["announced_on"]);
            Assert.Null(item["committed_on"]);
            Assert.Equal("2022-03-06", item["first_reported_on"]!.GetValue<string>());
            Assert.Equal("committed", item["status"]!.GetValue<string>());
            Assert.Null(item["quantity"]);
            Assert.Equal("undisclosed", item["quantity_qualifier"]!.GetValue<string>());
            Assert.Null(item["funder"]);
            Assert.Null(item["package"]);
            Assert.Null(item["value_amount"]);
            Assert.Null(item["value_basis"]);
            Assert.Null(item["value_eur"]);
            Assert.Null(item["notes"]);
            Assert.Empty(item["deliveries"]!.AsArray());
            var evidence = Assert.Single(item["evidence"]!.AsArray())!;
            Assert.Equal(1, evidence["source"]!.GetValue<long>());
            Assert.Null(evidence["credibility"]);
            Assert.Null(evidence["locator"]);
            Assert.Equal("[\"commitment\"]", evidence["supports"]!.ToJsonString());
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
            Assert.Equal(SeedRecords.Length, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM donations"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM sources"));
            Assert.Equal(again.Connections.Migrations.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
    }

    /// <summary>A second service on the first one's database file, as after a restart.</summary>
    private sealed class Reopened(string folder) : ApiFixture(folder)
    {
        public override Task InitializeAsync() => Task.CompletedTask;
    }
}
