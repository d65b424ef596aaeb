using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AidTracker.Api.Donations;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Releases freeze a moment: their exports are the same bytes whatever is edited afterwards.</summary>
public sealed class ReleaseTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<JsonObject> CreateReleaseAsync(string id)
    {
        var response = await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = id, ["title"] = $"Release {id}", ["notes"] = "Test." }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/releases/{id}", response.Headers.Location!.OriginalString);
        return await response.ReadObjectAsync();
    }

    private async Task<(byte[] Csv, byte[] Ndjson, byte[] Parquet, HttpResponseMessage CsvResponse)> ExportAsync(string query)
    {
        var csv = await app.Anonymous().GetAsync($"/api/v1/exports/donations.csv?{query}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var ndjson = await app.Anonymous().GetByteArrayAsync($"/api/v1/exports/donations.ndjson?{query}");
        var parquet = await app.Anonymous().GetByteArrayAsync($"/api/v1/exports/donations.parquet?{query}");
        return (await csv.Content.ReadAsByteArrayAsync(), ndjson, parquet, csv);
    }

    [Fact]
    public async Task A_release_exports_the_same_bytes_after_edits_deletes_and_renames()
    {
        var current = await app.Anonymous().GetByteArrayAsync("/api/v1/exports/donations.csv");
        var release = await CreateReleaseAsync("2026-11-test");
        var before = await ExportAsync("release=2026-11-test");

        // Nothing changed between: the release is today's export.
        Assert.Equal(current, before.Csv);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(before.Csv)), release["csv_sha256"]!.GetValue<string>());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(before.Csv))}:", before.CsvResponse.Headers.GetValues("Repr-Digest").Single());
        Assert.Equal(release["row_count"]!.ToString(), before.CsvResponse.Headers.GetValues("AidTracker-Row-Count").Single());
        Assert.Equal("2026-11-test", before.CsvResponse.Headers.GetValues("AidTracker-Release").Single());
        Assert.Matches(@"^aidtracker-donations-release-2026-11-test-as-of-\d{8}T\d{6}Z\.csv$", before.CsvResponse.Content.Headers.ContentDisposition!.FileName);

        var items = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?limit=2"))["items"]!.AsArray();
        var replacement = Donations.Valid();
        replacement["notes"] = "Edited after the release.";
        Assert.Equal(HttpStatusCode.OK, (await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{items[0]!["id"]}",
            Http.Json(replacement), $"\"{items[0]!["version"]}\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{items[1]!["id"]}",
            ifMatch: $"\"{items[1]!["version"]}\"")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);
        var country = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/POL");
        country["name"] = "Republic of Poland";
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PutAsync("/api/v1/countries/POL", Http.Json(country))).StatusCode);
        // A clock that stepped back a year: the change is still stamped after the release.
        await app.Services.GetRequiredService<DonationRepository>().CreateAsync(
            DonationWrite.From(Donations.Request(quote: "Clock test.")),
            new ChangeContext("clock-test", null, new FixedClock(DateTimeOffset.UtcNow.AddYears(-1))), default);

        var after = await ExportAsync("release=2026-11-test");
        Assert.Equal(before.Csv, after.Csv);
        Assert.Equal(before.Ndjson, after.Ndjson);
        Assert.Equal(before.Parquet, after.Parquet);
        Assert.NotEqual(current, await app.Anonymous().GetByteArrayAsync("/api/v1/exports/donations.csv"));
    }

    /// <summary>A new record through the API: its id and ETag.</summary>
    private async Task<(long Id, string ETag)> PostAsync(string path, JsonObject body)
    {
        var response = await app.Editor().PostAsync(path, Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.ReadObjectAsync())["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    /// <summary>The SHA-256 of every exported table's file in every format, by file name.</summary>
    private async Task<Dictionary<string, string>> ExportEveryFileAsync(string query)
    {
        var digests = new Dictionary<string, string>();
        foreach (var table in AidTracker.Api.Exports.ExportTables.All)
        {
            foreach (var format in new[] { "csv", "ndjson", "parquet" })
            {
                var file = await app.Anonymous().GetByteArrayAsync($"/api/v1/exports/{table.Name}.{format}?{query}");
                digests[$"{table.Name}.{format}"] = Convert.ToHexStringLower(SHA256.HashData(file));
            }
        }
        return digests;
    }

    [Fact]
    public async Task A_release_exports_every_table_byte_for_byte_after_its_sources_packages_deliveries_and_evidence_change()
    {
        var source = await PostAsync("/api/v1/sources", SourceCrudTests.Valid().With("title", "Before the release"));
        var package = await PostAsync("/api/v1/packages", PackageTests.Valid(donor: "POL", title: "Package before the release"));
        JsonObject Body(string quote, long delivered) => Donations.Valid()
            .With("package", package.Id).With("status", "partially_delivered")
            .With("evidence", new JsonArray(Donations.Evidence(source.Id, quote)))
            .With("deliveries", new JsonArray(new JsonObject
            {
                ["delivered_on"] = "2022-05", ["quantity"] = delivered, ["quantity_qualifier"] = "exact",
                ["evidence"] = new JsonArray(Donations.Evidence(source.Id, quote, "delivery")),
            }));
        var donation = await PostAsync("/api/v1/donations", Body("Quoted before the release", 10));
        await CreateReleaseAsync("children-test");
        var before = await ExportEveryFileAsync("release=children-test");
        var current = await ExportEveryFileAsync("");
        Assert.Equal(current, before);

        // Each kind of row changes: the source, the package, the donation's delivery and its evidence.
        Assert.Equal(HttpStatusCode.OK, (await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source.Id}",
            Http.Json(SourceCrudTests.Valid().With("title", "Edited after the release")), source.ETag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/packages/{package.Id}",
            Http.Json(PackageTests.Valid(donor: "POL", title: "Package edited after the release")), package.ETag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{donation.Id}",
            Http.Json(Body("Quoted after the release", 20)), donation.ETag)).StatusCode);

        var now = await ExportEveryFileAsync("");
        Assert.All(["sources.csv", "packages.csv", "deliveries.csv", "evidence.csv"], file => Assert.NotEqual(before[file], now[file]));
        Assert.Equal(before, await ExportEveryFileAsync("release=children-test"));
    }

    [Fact]
    public async Task Release_on_a_read_is_its_as_of_and_a_slice_carries_the_digest_of_its_own_bytes()
    {
        var release = await CreateReleaseAsync("slice-test");
        var asOf = Uri.EscapeDataString(release["as_of"]!.GetValue<string>());
        Assert.Equal(
            (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/totals?group_by=donor&as_of={asOf}"))["items"]!.ToJsonString(),
            (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor&release=slice-test"))["items"]!.ToJsonString());
        Assert.Equal(
            (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations?donor=DEU&as_of={asOf}"))["items"]!.ToJsonString(),
            (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=DEU&release=slice-test"))["items"]!.ToJsonString());

        var slice = await app.Anonymous().GetAsync("/api/v1/exports/donations.csv?release=slice-test&donor=DEU");
        var sliceDigest = $"sha-256=:{Convert.ToBase64String(SHA256.HashData(await slice.Content.ReadAsByteArrayAsync()))}:";
        Assert.Equal(sliceDigest, slice.Headers.GetValues("Repr-Digest").Single());
        Assert.NotEqual(release["csv_sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(await slice.Content.ReadAsByteArrayAsync())));
        Assert.Matches(@"^aidtracker-donations-release-slice-test-filtered-as-of-", slice.Content.Headers.ContentDisposition!.FileName);
        var parquet = await app.Anonymous().GetAsync("/api/v1/exports/donations.parquet?release=slice-test");
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(await parquet.Content.ReadAsByteArrayAsync()))}:", parquet.Headers.GetValues("Repr-Digest").Single());
    }

    [Fact]
    public async Task Releases_are_listed_found_and_never_replaced()
    {
        await CreateReleaseAsync("list-test");
        var list = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/releases");
        var listed = list["items"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "list-test")!;
        var one = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/releases/list-test");
        Assert.Equal(listed.ToJsonString(), one.ToJsonString());
        Assert.Equal("/api/v1/exports/donations.csv?release=list-test", one["links"]!["csv"]!.GetValue<string>());

        var again = await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "list-test", ["title"] = "Again" }));
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        await (await app.Anonymous().GetAsync("/api/v1/releases/none")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"id": "bad id", "title": "t"}""", "id")]
    [InlineData("""{"id": "-x", "title": "t"}""", "id")]
    [InlineData("""{"id": "ok"}""", "title")]
    public async Task A_bad_release_body_is_a_problem_naming_its_field(string body, string field)
    {
        await (await app.Admin().PostAsync("/api/v1/releases", Http.Json(body))).AssertProblemNamingAsync(field);
    }

    [Fact]
    public async Task Only_an_admin_key_makes_a_release()
    {
        var body = Http.Json("""{"id": "editor-test", "title": "t"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync("/api/v1/releases", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Editor().PostAsync("/api/v1/releases", body)).StatusCode);
    }
}
