using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Where sources and packages meet donations: first_reported_on follows a source, a cited record is not deleted, links to the records.</summary>
public sealed class SourceSeamTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<(long Id, string ETag)> PostAsync(string path, JsonObject body)
    {
        var response = await app.Editor().PostAsync(path, Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.ReadObjectAsync())["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    private static JsonObject Source(string publishedOn) => new() { ["kind"] = "news", ["published_on"] = publishedOn, ["title"] = "Seam report" };

    private async Task<JsonObject> DonationAsync(long id) => await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");

    [Fact]
    public async Task A_changed_published_on_moves_first_reported_on_of_the_donations_citing_the_source()
    {
        var (source, etag) = await PostAsync("/api/v1/sources", Source("2022-05-10"));
        var (donation, _) = await PostAsync("/api/v1/donations", Donations.Valid("CAN", "UKR").With("evidence", new JsonArray(Donations.Evidence(source))));
        Assert.Equal("2022-05-10", (await DonationAsync(donation))["first_reported_on"]!.GetValue<string>());

        var replaced = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(Source("2022-04")), etag);

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("2022-04", (await DonationAsync(donation))["first_reported_on"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_renamed_source_is_named_anew_in_the_lists_of_the_donations_citing_it_and_as_it_was_as_of_before()
    {
        var (source, etag) = await PostAsync("/api/v1/sources", Source("2022-05-12"));
        var (donation, donationTag) = await PostAsync("/api/v1/donations", Donations.Valid("CAN", "UKR").With("evidence", new JsonArray(Donations.Evidence(source))));
        var delivery = Donations.NewDelivery().With("evidence", new JsonArray(Donations.Evidence(source, "Delivered", "delivery")));
        var delivered = await app.Editor().SendAsync(HttpMethod.Post, $"/api/v1/donations/{donation}/deliveries", Http.Json(delivery), donationTag);
        Assert.Equal(HttpStatusCode.Created, delivered.StatusCode);
        var before = (await DonationAsync(donation))["updated_at"]!.GetValue<string>();

        var renamed = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(Source("2022-05-12").With("title", "Seam report, renamed")), etag);

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        JsonNode Listed(JsonObject page) => page["items"]!.AsArray().Single(item => item!["id"]!.GetValue<long>() == donation)!;
        string[] Titles(JsonNode item) =>
            [item["evidence"]![0]!["source_title"]!.GetValue<string>(), item["deliveries"]![0]!["evidence"]![0]!["source_title"]!.GetValue<string>()];
        var now = Listed(await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=CAN&limit=500"));
        Assert.Equal(["Seam report, renamed", "Seam report, renamed"], Titles(now));
        Assert.Equal((await DonationAsync(donation)).ToJsonString(), now.ToJsonString());
        var then = Listed(await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations?donor=CAN&limit=500&as_of={Uri.EscapeDataString(before)}"));
        Assert.Equal(["Seam report", "Seam report"], Titles(then));
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task Deleting_a_source_cited_by_a_live_donation_is_a_409_and_allowed_once_the_donation_is_deleted()
    {
        var (source, etag) = await PostAsync("/api/v1/sources", Source("2022-05-11"));
        var (donation, donationTag) = await PostAsync("/api/v1/donations", Donations.Valid("CAN", "UKR").With("evidence", new JsonArray(Donations.Evidence(source))));

        var refused = await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/sources/{source}", ifMatch: etag);
        await refused.AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{donation}", ifMatch: donationTag)).StatusCode);
        var current = (await app.Anonymous().GetAsync($"/api/v1/sources/{source}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/sources/{source}", ifMatch: current)).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_package_with_a_live_line_item_is_a_409()
    {
        var (package, etag) = await PostAsync("/api/v1/packages", new() { ["donor"] = "CAN", ["title"] = "Seam tranche", ["instrument"] = "procurement" });
        await PostAsync("/api/v1/donations", Donations.Valid("CAN", "UKR").With("package", package));

        var refused = await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/packages/{package}", ifMatch: etag);

        await refused.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_source_and_a_package_link_to_the_donations_they_hold_and_the_link_lists_them()
    {
        var (source, _) = await PostAsync("/api/v1/sources", Source("2022-05-12"));
        var (package, _) = await PostAsync("/api/v1/packages", new() { ["donor"] = "CAN", ["title"] = "Linked tranche", ["instrument"] = "procurement" });
        var (donation, _) = await PostAsync("/api/v1/donations", Donations.Valid("CAN", "UKR").With("package", package).With("evidence", new JsonArray(Donations.Evidence(source))));

        var sourceLink = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/sources/{source}"))["donations"]!.GetValue<string>();
        var packageLink = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/packages/{package}"))["line_items"]!.GetValue<string>();

        Assert.Equal($"/api/v1/donations?source={source}", sourceLink);
        Assert.Equal([donation], (await app.Anonymous().ReadAllPagesAsync(sourceLink)).Select(item => item["id"]!.GetValue<long>()));
        Assert.Equal([donation], (await app.Anonymous().ReadAllPagesAsync(packageLink)).Select(item => item["id"]!.GetValue<long>()));
    }
}
