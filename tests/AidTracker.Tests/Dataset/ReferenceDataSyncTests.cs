using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>A database made before the bundle grew (schema 12, before migration 0013) gets the bundled reference data at start-up.</summary>
public sealed class ReferenceDataSyncTests
{
    /// <summary>The service, started, on a folder whose database the test made; it makes no keys, so it can start there again.</summary>
    private sealed class Upgraded : ApiFixture
    {
        public Upgraded(string folder) : base(folder) => _ = Services;

        public override Task InitializeAsync() => Task.CompletedTask;
    }

    /// <summary>
    /// A database of the run's engine at schema 12 holding Poland, Germany and two catalogue entries, where the
    /// fixture on <paramref name="folder"/> will find it; <paramref name="after"/> runs on it once fully migrated, if given.
    /// </summary>
    private static async Task MakeSchema12DatabaseAsync(string folder, string? after = null)
    {
        // Where the fixture on the folder looks: its SQLite file, or its PostgreSQL database (named after the folder).
        var (connection, migrations) = await ReferenceMigrationTests.EmptyDatabaseAsync(
            Path.Combine(folder, "aidtracker.db"), "aidtracker_" + Path.GetFileName(folder).Replace('-', '_').ToLowerInvariant());
        await using var _ = connection;
        await MigrationRunner.ApplyAsync(connection, migrations.Where(m => m.Version <= 12).ToList(), TimeProvider.System);
        await connection.ExecuteAsync("""
            INSERT INTO countries (code, name, kind, iso2, eu_member, nato_member) VALUES
                ('POL', 'Poland', 'state', 'PL', 1, 1), ('DEU', 'Germany', 'state', 'DE', 1, 1);
            INSERT INTO weapon_systems (id, name, category) VALUES ('nlaw', 'NLAW', 'anti-tank'), ('m777', 'M777 howitzer', 'artillery');
            """);
        if (after is null) return;
        await MigrationRunner.ApplyAsync(connection, migrations, TimeProvider.System);
        await connection.ExecuteAsync(after);
    }

    private static string? Text(JsonNode node, string field) => node[field]?.GetValue<string>();

    private static string[] AliasesOf(JsonNode node) => node["aliases"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_schema_12_database_gets_membership_dates_aliases_and_new_catalogue_entries_at_start_once()
    {
        var folder = ApiFixture.NewFolder();
        await MakeSchema12DatabaseAsync(folder);

        await using (var app = new Upgraded(folder))
        {
            var germany = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/DEU");
            var tank = await app.Anonymous().GetAsync("/api/v1/weapon-systems/tank-unspecified");
            var nlaw = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/nlaw");
            var countries = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries"))["items"]!.AsArray();
            var holland = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries?q=holland"))["items"]!.AsArray();

            Assert.Equal(("1958-01-01", "1955-05-06"), (Text(germany, "eu_since"), Text(germany, "nato_since")));
            Assert.Contains("German", AliasesOf(germany));
            Assert.Equal(HttpStatusCode.OK, tank.StatusCode);
            Assert.Contains("NLAWs", AliasesOf(nlaw));
            Assert.Equal("M777 howitzer", Text((await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/m777")), "name"));
            Assert.True(countries.Count > 200);
            Assert.Equal(["NLD"], holland.Select(c => Text(c!, "code")));
        }

        long historyBefore;
        await using (var again = new Upgraded(folder))
        {
            await using var connection = again.OutsideConnection();
            // One history row per country: the one added, or the one filled (the rows of schema 12 had none).
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM country_history WHERE code IN ('POL', 'DEU')"));
            Assert.Equal("1955-05-06", await connection.ExecuteScalarAsync<string>("SELECT nato_since FROM country_history WHERE code = 'DEU'"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM weapon_system_history WHERE weapon_system = 'tank-unspecified'"));
            historyBefore = await connection.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM country_history) + (SELECT count(*) FROM weapon_system_history)");
        }
        await using (var third = new Upgraded(folder))
        {
            await using var connection = third.OutsideConnection();
            Assert.Equal(historyBefore, await connection.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM country_history) + (SELECT count(*) FROM weapon_system_history)"));
        }
    }

    [Fact]
    public async Task What_an_admin_wrote_is_kept_and_only_empty_values_are_filled()
    {
        var folder = ApiFixture.NewFolder();
        await MakeSchema12DatabaseAsync(folder, """
            UPDATE countries SET aliases = '["Polska Rzeczpospolita"]', eu_since = '2004-05-02' WHERE code = 'POL';
            UPDATE weapon_systems SET aliases = '["Howitzer M777"]' WHERE id = 'm777';
            """);

        await using var app = new Upgraded(folder);
        var poland = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/POL");
        var m777 = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/m777");

        Assert.Equal(["Polska Rzeczpospolita"], AliasesOf(poland));
        Assert.Equal(("2004-05-02", "1999-03-12"), (Text(poland, "eu_since"), Text(poland, "nato_since")));
        Assert.Equal(["Howitzer M777"], AliasesOf(m777));
    }
}
