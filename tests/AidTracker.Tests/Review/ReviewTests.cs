using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// Review (DESIGN.md, "Review"): what an editor records is a draft, out of every public read, until a second key
/// publishes it; rejecting keeps it out; every decision is a version in history; the past is read in its own state.
/// </summary>
public sealed class ReviewTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<(long Id, string ETag)> DraftAsync(HttpClient editor, string donor)
    {
        var response = await editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor, "UKR")));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.ReadObjectAsync())["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, long id, string etag, string decision, string? comment = null) =>
        reviewer.SendAsync(HttpMethod.Post, $"/api/v1/review/donations/{id}",
            Http.Json(new JsonObject { ["decision"] = decision, ["comment"] = comment }), etag);

    private async Task<long[]> ListedAsync(HttpClient client, string query) =>
        [.. (await client.GetJsonAsync<JsonObject>($"/api/v1/donations?{query}&limit=1000"))["items"]!.AsArray().Select(item => item!["id"]!.GetValue<long>())];

    private async Task<long> CountAsync(HttpClient client, string query) =>
        (await client.GetJsonAsync<JsonObject>($"/api/v1/stats/totals?group_by=donor&{query}"))["items"]!.AsArray().Sum(group => group!["count"]!.GetValue<long>());

    [Fact]
    public async Task A_draft_is_out_of_every_public_read_until_a_second_key_publishes_it_and_both_versions_are_in_history()
    {
        var publicCount = await CountAsync(app.Anonymous(), "donor=ISL");
        var draftCount = await CountAsync(app.Drafter(), "donor=ISL&review_state=draft");
        var (id, etag) = await DraftAsync(app.Drafter(), "ISL");

        await (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Anonymous().GetAsync($"/api/v1/donations/{id}/history")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().GetAsync($"/api/v1/donations/{id}")).StatusCode);
        Assert.Contains(id, await ListedAsync(app.Drafter(), "donor=ISL&review_state=draft"));
        Assert.DoesNotContain(id, await ListedAsync(app.Anonymous(), "donor=ISL"));
        Assert.DoesNotContain(id, await ListedAsync(app.Drafter(), "donor=ISL"));
        await (await app.Anonymous().GetAsync("/api/v1/donations?donor=ISL&review_state=draft")).AssertProblemNamingAsync("review_state");
        await (await app.WithKey(app.ReaderKey).GetAsync("/api/v1/stats/totals?group_by=donor&review_state=draft")).AssertProblemNamingAsync("review_state");
        Assert.Equal(publicCount, await CountAsync(app.Anonymous(), "donor=ISL"));
        Assert.Equal(draftCount + 1, await CountAsync(app.Drafter(), "donor=ISL&review_state=draft"));
        Assert.DoesNotContain($"\n{id},", await app.Anonymous().GetStringAsync("/api/v1/exports/donations.csv?donor=ISL"));

        var queue = await app.Drafter().GetJsonAsync<JsonObject>("/api/v1/review?limit=200");
        var item = queue["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == id)!;
        Assert.Equal(("donation", "draft", ApiFixture.DrafterName, etag), (item["kind"]!.GetValue<string>(), item["review_state"]!.GetValue<string>(), item["changed_by"]!.GetValue<string>(), item["etag"]!.GetValue<string>()));
        Assert.Equal(Donations.SeedSource, item["sources"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("Test quote", item["record"]!["evidence"]![0]!["quote"]!.GetValue<string>());

        var published = await DecideAsync(app.Reviewer(), id, etag, "publish", "Checked against the source.");

        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        Assert.Equal("published", (await published.ReadObjectAsync())["review_state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).StatusCode);
        Assert.Contains(id, await ListedAsync(app.Anonymous(), "donor=ISL"));
        Assert.Equal(publicCount + 1, await CountAsync(app.Anonymous(), "donor=ISL"));
        Assert.Contains($"\n{id},", await app.Anonymous().GetStringAsync("/api/v1/exports/donations.csv?donor=ISL"));
        var history = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}/history"))["items"]!.AsArray();
        Assert.Equal(
            [("draft", ApiFixture.DrafterName, null), ("published", ApiFixture.ReviewerName, "Checked against the source.")],
            history.Select(v => (v!["review_state"]!.GetValue<string>(), v["changed_by"]!.GetValue<string>(), v["review_comment"]?.GetValue<string>())));
        Assert.DoesNotContain(id, (await app.Drafter().GetJsonAsync<JsonObject>("/api/v1/review?limit=200"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task A_reviewer_may_not_publish_a_draft_it_made_and_another_reviewer_may()
    {
        var (id, etag) = await DraftAsync(app.Reviewer(), "ISL");

        await (await DecideAsync(app.Reviewer(), id, etag, "publish")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await DecideAsync(app.Drafter(), id, etag, "publish")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.SecondReviewer(), id, etag, "publish")).StatusCode);
    }

    [Fact]
    public async Task A_rejected_draft_stays_out_of_public_view_and_an_editors_correction_makes_it_a_draft_again()
    {
        var (id, etag) = await DraftAsync(app.Drafter(), "ISL");

        await (await DecideAsync(app.Reviewer(), id, etag, "reject")).AssertProblemNamingAsync("comment");
        await (await DecideAsync(app.Reviewer(), id, etag, "maybe", "No.")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await app.Reviewer().PostAsync($"/api/v1/review/donations/{id}", Http.Json(new JsonObject { ["decision"] = "reject", ["comment"] = "x" }))).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await DecideAsync(app.Reviewer(), id, "\"999.1\"", "reject", "Stale.")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var rejected = await DecideAsync(app.Reviewer(), id, etag, "reject", "The quote does not say Iceland.");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        await (await DecideAsync(app.SecondReviewer(), id, rejected.Headers.ETag!.Tag, "publish")).AssertProblemAsync(HttpStatusCode.Conflict);

        await (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(id, await ListedAsync(app.Drafter(), "donor=ISL&review_state=rejected"));
        Assert.DoesNotContain(id, await ListedAsync(app.Drafter(), "donor=ISL&review_state=draft"));

        var corrected = await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid("ISL", "UKR").With("notes", "Corrected.")), rejected.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Contains(id, await ListedAsync(app.Drafter(), "donor=ISL&review_state=draft"));
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task An_untrusted_editors_change_to_a_published_donation_is_a_draft_again_and_the_past_keeps_its_state()
    {
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid("ISL", "UKR")));
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();
        Assert.Contains(id, await ListedAsync(app.Anonymous(), "donor=ISL"));
        var before = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}"))["updated_at"]!.GetValue<string>();

        var changed = await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid("ISL", "UKR").With("quantity", 7)), created.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.DoesNotContain(id, await ListedAsync(app.Anonymous(), "donor=ISL"));
        Assert.Contains(id, await ListedAsync(app.Anonymous(), $"donor=ISL&as_of={Uri.EscapeDataString(before)}"));
        Assert.DoesNotContain(id, await ListedAsync(app.Drafter(), $"donor=ISL&review_state=draft&as_of={Uri.EscapeDataString(before)}"));
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task A_release_holds_published_donations_only_and_reexports_the_same_bytes_after_a_draft_is_published()
    {
        var (id, etag) = await DraftAsync(app.Drafter(), "ISL");
        var release = await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "review-test", ["title"] = "Before review" }));
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        var csv = await app.Anonymous().GetStringAsync("/api/v1/exports/donations.csv?release=review-test");
        Assert.DoesNotContain($"\n{id},", csv);
        await (await app.Drafter().GetAsync("/api/v1/exports/donations.csv?release=review-test&review_state=draft")).AssertProblemNamingAsync("review_state");

        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.Reviewer(), id, etag, "publish")).StatusCode);

        Assert.Equal(csv, await app.Anonymous().GetStringAsync("/api/v1/exports/donations.csv?release=review-test"));
    }

    [Fact]
    public async Task An_untrusted_editors_import_is_drafts_and_out_of_the_stats_and_the_rollup()
    {
        var publicCount = await CountAsync(app.Anonymous(), "donor=LIE");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(
            "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,quote\nLIE,UKR,nlaw,10,exact,announced,2022-03-01,1,Said\nLIE,UKR,nlaw,5,exact,announced,2022-03,1,Said\n"));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        var imported = await app.Drafter().PostAsync("/api/v1/imports/donations", file);

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var first = (await imported.ReadObjectAsync())["first_donation"]!.GetValue<long>();
        Assert.Equal(publicCount, await CountAsync(app.Anonymous(), "donor=LIE"));
        Assert.Equal([first, first + 1], await ListedAsync(app.Drafter(), "donor=LIE&review_state=draft"));
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task The_queue_and_decisions_need_the_right_keys()
    {
        await (await app.Anonymous().GetAsync("/api/v1/review")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.WithKey(app.ReaderKey).GetAsync("/api/v1/review")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Drafter().GetAsync("/api/v1/review?limit=0")).AssertProblemNamingAsync("limit");
        await (await app.Drafter().GetAsync("/api/v1/review?cursor=nonsense")).AssertProblemNamingAsync("cursor");
        await (await DecideAsync(app.Reviewer(), 999_999, "*", "publish")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_queue_pages_oldest_first()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++) ids.Add((await DraftAsync(app.Drafter(), "ISL")).Id);

        var queued = (await app.Drafter().ReadAllPagesAsync("/api/v1/review?limit=1")).Select(item => item["id"]!.GetValue<long>()).ToList();

        Assert.Equal(ids, queued.Where(ids.Contains));
        Assert.Equal(queued.Distinct().Count(), queued.Count);
    }
}
