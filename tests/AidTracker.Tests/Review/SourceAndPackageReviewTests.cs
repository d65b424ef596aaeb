using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Tests;

/// <summary>
/// Review of sources and packages (DESIGN.md, "Review"): what an editor records of either is a draft, out of public
/// reads until a second key publishes it; a published donation cites only published sources and belongs only to a
/// published package, however it gets published; and a change that would make a cited record a draft is refused.
/// </summary>
public sealed class SourceAndPackageReviewTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static JsonObject Body(string collection) => collection == "sources" ? SourceCrudTests.Valid() : PackageTests.Valid();

    private static async Task<(long Id, string ETag)> CreatedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.ReadObjectAsync())["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient reviewer, string collection, long id, string etag, string decision, string? comment = null) =>
        reviewer.SendAsync(HttpMethod.Post, $"/api/v1/review/{collection}/{id}", Http.Json(new JsonObject { ["decision"] = decision, ["comment"] = comment }), etag);

    private async Task<long[]> ListedAsync(HttpClient client, string collection, string query = "") =>
        [.. (await client.GetJsonAsync<JsonObject>($"/api/v1/{collection}?limit=1000{query}"))["items"]!.AsArray().Select(item => item!["id"]!.GetValue<long>())];

    /// <summary>The queue's item for this record, or null when it is not in the queue (which fits one page here).</summary>
    private async Task<JsonObject?> QueuedAsync(string kind, long id)
    {
        var page = await app.Drafter().GetJsonAsync<JsonObject>("/api/v1/review?limit=200");
        Assert.Null(page["next"]);
        return page["items"]!.AsArray().SingleOrDefault(i => i!["kind"]!.GetValue<string>() == kind && i["id"]!.GetValue<long>() == id)?.AsObject();
    }

    private static JsonObject Donation(long source, long? package = null)
    {
        var body = Donations.Valid("ISL", "UKR");
        body["evidence"] = new JsonArray(new JsonObject { ["source"] = source, ["quote"] = "Test quote", ["supports"] = new JsonArray("announcement") });
        if (package is not null) body["package"] = package;
        return body;
    }

    [Theory]
    [InlineData("sources", "source")]
    [InlineData("packages", "package")]
    public async Task What_an_editor_records_is_a_draft_out_of_public_reads_until_a_second_key_publishes_it(string collection, string kind)
    {
        var (id, etag) = await CreatedAsync(await app.Drafter().PostAsync($"/api/v1/{collection}", Http.Json(Body(collection))));

        await (await app.Anonymous().GetAsync($"/api/v1/{collection}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Anonymous().GetAsync($"/api/v1/{collection}/{id}/history")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.WithKey(app.ReaderKey).GetAsync($"/api/v1/{collection}/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().GetAsync($"/api/v1/{collection}/{id}")).StatusCode);
        Assert.DoesNotContain(id, await ListedAsync(app.Anonymous(), collection));
        Assert.DoesNotContain(id, await ListedAsync(app.Drafter(), collection));
        Assert.Contains(id, await ListedAsync(app.Drafter(), collection, "&review_state=draft"));
        Assert.Contains(id, await ListedAsync(app.Drafter(), collection, "&review_state=published,draft"));
        await (await app.Anonymous().GetAsync($"/api/v1/{collection}?review_state=draft")).AssertProblemNamingAsync("review_state");
        await (await app.Drafter().GetAsync($"/api/v1/{collection}?review_state=finished")).AssertProblemNamingAsync("review_state");
        // The donations' filter knows it only for the keys that see drafts: to the public it is no known id.
        await (await app.Anonymous().GetAsync($"/api/v1/donations?{kind}={id}")).AssertProblemNamingAsync(kind);
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().GetAsync($"/api/v1/donations?{kind}={id}&review_state=draft")).StatusCode);

        var item = await QueuedAsync(kind, id);
        Assert.NotNull(item);
        Assert.Equal((ApiFixture.DrafterName, etag, id), (item["changed_by"]!.GetValue<string>(), item["etag"]!.GetValue<string>(), item[kind]!["id"]!.GetValue<long>()));
        Assert.Null(item["record"]);

        await (await DecideAsync(app.Drafter(), collection, id, etag, "publish")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await DecideAsync(app.Reviewer(), collection, id, etag, "reject")).AssertProblemNamingAsync("comment");
        await (await DecideAsync(app.Reviewer(), collection, id, "\"9.0\"", "publish")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var published = await DecideAsync(app.Reviewer(), collection, id, etag, "publish", "Checked.");

        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        var decided = await published.ReadObjectAsync();
        Assert.Equal(("published", kind), (decided["review_state"]!.GetValue<string>(), decided["kind"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync($"/api/v1/{collection}/{id}")).StatusCode);
        Assert.Contains(id, await ListedAsync(app.Anonymous(), collection));
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync($"/api/v1/donations?{kind}={id}")).StatusCode);
        var history = (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/{collection}/{id}/history"))["items"]!.AsArray();
        Assert.Equal(
            [("draft", ApiFixture.DrafterName, null), ("published", ApiFixture.ReviewerName, "Checked.")],
            history.Select(v => (v!["review_state"]!.GetValue<string>(), v["changed_by"]!.GetValue<string>(), v["review_comment"]?.GetValue<string>())));
        Assert.Null(await QueuedAsync(kind, id));
        await (await DecideAsync(app.SecondReviewer(), collection, id, published.Headers.ETag!.Tag, "reject", "Late.")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_donation_is_published_only_once_the_source_it_cites_and_its_package_are()
    {
        var (source, sourceTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/sources", Http.Json(SourceCrudTests.Valid())));
        var (package, packageTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/packages", Http.Json(PackageTests.Valid("ISL"))));

        // A key that publishes at once may not cite a draft, nor put a donation in one; nothing is recorded.
        await (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donation(source)))).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        await (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donation(Donations.SeedSource, package)))).AssertProblemNamingAsync("package", HttpStatusCode.Conflict);
        var (seeded, seededTag) = await CreatedAsync(await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donation(Donations.SeedSource))));
        await (await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{seeded}", Http.Json(Donation(source)), seededTag)).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        var delivery = Donations.NewDelivery();
        delivery["evidence"] = new JsonArray(new JsonObject { ["source"] = source, ["quote"] = "Arrived.", ["supports"] = new JsonArray("delivery") });
        await (await app.Editor().SendAsync(HttpMethod.Post, $"/api/v1/donations/{seeded}/deliveries", Http.Json(delivery), seededTag)).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        Assert.Empty((await app.Editor().GetJsonAsync<JsonObject>($"/api/v1/donations?source={source}&review_state=draft,published,rejected"))["items"]!.AsArray());
        Assert.Equal(seededTag, (await app.Editor().GetAsync($"/api/v1/donations/{seeded}")).Headers.ETag!.Tag);

        // A draft may cite drafts; the reviewer publishes what it cites first.
        var (id, etag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/donations", Http.Json(Donation(source, package))));
        var publish = () => DecideAsync(app.Reviewer(), "donations", id, etag, "publish");
        await (await publish()).AssertProblemNamingAsync("package", HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.Reviewer(), "packages", package, packageTag, "publish")).StatusCode);
        await (await publish()).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        var sourcePublished = await DecideAsync(app.Reviewer(), "sources", source, sourceTag, "publish");
        Assert.Equal(HttpStatusCode.OK, sourcePublished.StatusCode);
        var published = await publish();
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).StatusCode);

        // Cited by a published donation, neither may become a draft again; a key that publishes may still correct them.
        var sourceNow = sourcePublished.Headers.ETag!.Tag;
        var corrected = SourceCrudTests.Valid();
        corrected["notes"] = "Corrected.";
        await (await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(corrected), sourceNow)).AssertProblemAsync(HttpStatusCode.Conflict);
        var packageNow = (await app.Drafter().GetAsync($"/api/v1/packages/{package}")).Headers.ETag!.Tag;
        await (await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/packages/{package}", Http.Json(PackageTests.Valid("ISL", "Renamed")), packageNow)).AssertProblemAsync(HttpStatusCode.Conflict);
        var trusted = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(corrected), (await app.Editor().GetAsync($"/api/v1/sources/{source}")).Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        Assert.Equal("Corrected.", (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/sources/{source}"))["notes"]!.GetValue<string>());
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task A_rejected_source_keeps_its_drafts_from_being_published_and_an_untrusted_edit_of_an_uncited_source_makes_it_a_draft_again()
    {
        var (source, sourceTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/sources", Http.Json(SourceCrudTests.Valid())));
        var (id, etag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/donations", Http.Json(Donation(source))));
        var rejected = await DecideAsync(app.Reviewer(), "sources", source, sourceTag, "reject", "No such report.");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var refused = await (await DecideAsync(app.Reviewer(), "donations", id, etag, "publish")).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        Assert.Contains("rejected", refused["detail"]!.GetValue<string>());
        await (await app.Anonymous().GetAsync($"/api/v1/sources/{source}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // Corrected by an editor, it is a draft again, in the queue.
        var corrected = SourceCrudTests.Valid();
        corrected["title"] = "The report, found";
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(corrected), rejected.Headers.ETag!.Tag)).StatusCode);
        Assert.Equal("draft", (await QueuedAsync("source", source))!["review_state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_donation_refused_for_a_draft_source_keeps_its_Idempotency_Key_free_for_the_retry()
    {
        var (source, sourceTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/sources", Http.Json(SourceCrudTests.Valid())));
        var request = () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/donations") { Content = Http.Json(Donation(source)) };
            message.Headers.Add("Idempotency-Key", $"cite-draft-{source}");
            return app.Editor().SendAsync(message);
        };

        await (await request()).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.Reviewer(), "sources", source, sourceTag, "publish")).StatusCode);

        await CreatedAsync(await request());
    }

    [Fact]
    public async Task A_trusted_import_citing_a_draft_source_is_refused_whole_naming_its_line()
    {
        var (source, _) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/sources", Http.Json(SourceCrudTests.Valid())));
        var file = "donor,recipient,weapon_system,status,announced_on,source,quote\n" +
            $"ISL,UKR,nlaw,announced,2022-03-01,{Donations.SeedSource},Published.\nISL,UKR,nlaw,announced,2022-03-02,{source},Draft.\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(file));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        var before = (await app.Editor().GetJsonAsync<JsonObject>("/api/v1/donations?donor=ISL&review_state=draft,published,rejected&limit=1000"))["items"]!.AsArray().Count;

        var problem = await (await app.Editor().PostAsync("/api/v1/imports/donations", content)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal((3L, "source"), (error["line"]!.GetValue<long>(), error["field"]!.GetValue<string>()));
        Assert.Equal(before, (await app.Editor().GetJsonAsync<JsonObject>("/api/v1/donations?donor=ISL&review_state=draft,published,rejected&limit=1000"))["items"]!.AsArray().Count);
    }
    [Fact]
    public async Task The_queue_pages_one_at_a_time_through_drafts_of_every_kind_changed_at_one_moment()
    {
        // An extraction records its source and every draft in one transaction, so all have one updated_at: the kind
        // and the id order them, and a page of one draft resumes after it.
        var body = new JsonObject
        {
            ["text"] = "Poland and Latvia are sending Stingers to Ukraine.",
            ["source"] = new JsonObject { ["kind"] = "news", ["published_on"] = "2022-03-06", ["citation"] = "The queue's paging test" },
        };
        var extraction = await (await app.Drafter().PostAsync("/api/v1/extractions", Http.Json(body))).ReadObjectAsync();
        var expected = extraction["drafts"]!.AsArray().Select(d => ("donation", d!["id"]!.GetValue<long>())).Append(("source", extraction["id"]!.GetValue<long>())).ToList();
        Assert.Equal(3, expected.Count); // Poland's and Latvia's drafts, and the source

        var walked = new List<(string Kind, long Id, DateTime At)>();
        for (var url = "/api/v1/review?limit=1"; url is not null;)
        {
            var page = await app.Drafter().GetJsonAsync<JsonObject>(url);
            var item = Assert.Single(page["items"]!.AsArray())!;
            walked.Add((item["kind"]!.GetValue<string>(), item["id"]!.GetValue<long>(), item["changed_at"]!.GetValue<DateTime>()));
            url = page["next"]?.GetValue<string>();
        }

        Assert.Equal(walked.Count, walked.Select(w => (w.Kind, w.Id)).Distinct().Count());
        Assert.Subset(walked.Select(w => (w.Kind, w.Id)).ToHashSet(), expected.ToHashSet());
        Assert.Equal(walked.OrderBy(w => w.At).ThenBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Id), walked);
    }

    [Fact]
    public async Task A_source_no_live_record_cites_may_become_a_draft_but_the_public_history_citing_it_keeps_its_published_title()
    {
        var body = SourceCrudTests.Valid();
        body["title"] = "The reviewed title";
        var (source, sourceTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/sources", Http.Json(body)));
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.Reviewer(), "sources", source, sourceTag, "publish")).StatusCode);
        var (id, etag) = await CreatedAsync(await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donation(source))));
        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", null, etag)).StatusCode);

        body["title"] = "An unreviewed title";
        var current = (await app.Drafter().GetAsync($"/api/v1/sources/{source}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/sources/{source}", Http.Json(body), current)).StatusCode);

        await (await app.Anonymous().GetAsync($"/api/v1/sources/{source}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var history = await app.Anonymous().GetStringAsync($"/api/v1/donations/{id}/history");
        Assert.Contains("The reviewed title", history);
        Assert.DoesNotContain("An unreviewed title", history);
    }

    [Fact]
    public async Task A_release_reads_its_packages_as_they_stood_so_a_later_draft_title_stays_out_of_its_stats()
    {
        var (package, packageTag) = await CreatedAsync(await app.Drafter().PostAsync("/api/v1/packages", Http.Json(PackageTests.Valid("ISL", "Tranche as published"))));
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(app.Reviewer(), "packages", package, packageTag, "publish")).StatusCode);
        var (id, etag) = await CreatedAsync(await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donation(Donations.SeedSource, package))));
        var release = $"package-titles-{package}";
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = release, ["title"] = "Package titles" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", null, etag)).StatusCode);
        var current = (await app.Drafter().GetAsync($"/api/v1/packages/{package}")).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/packages/{package}", Http.Json(PackageTests.Valid("ISL", "A draft title")), current)).StatusCode);

        var stats = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/stats/totals?group_by=package&release={release}");

        var group = stats["items"]!.AsArray().Single(g => g!["package"]?.GetValue<long>() == package)!;
        Assert.Equal("Tranche as published", group["package_title"]!.GetValue<string>());
        Assert.Contains("Tranche as published", await app.Anonymous().GetStringAsync($"/api/v1/exports/packages.csv?release={release}"));
    }
}

/// <summary>Migration 0024 on a database of schema 0023: every source and package, and every version of them, made before is published.</summary>
public sealed class SourceReviewMigrationTests
{
    [Fact]
    public async Task Migration_0024_keeps_every_source_and_package_and_publishes_each_and_every_version_made_before()
    {
        await using var database = await EvidenceMigrationTests.OldDatabase.WithOldRowsBeforeAsync(24);
        var connection = database.Connection;
        await connection.ExecuteAsync("""
            INSERT INTO packages (donor, title, instrument, created_at, updated_at, version) VALUES ('POL', 'PDA 1', 'stockpile_drawdown', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', 1);
            INSERT INTO package_history (package_id, operation, changed_at, changed_by, donor, title, instrument, created_at, updated_at, version)
                SELECT id, 'create', created_at, 'old-editor', donor, title, instrument, created_at, updated_at, version FROM packages;
            """);
        const string Counts = "SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM source_history) + (SELECT count(*) FROM packages) + (SELECT count(*) FROM package_history)";
        var before = await connection.ExecuteScalarAsync<long>(Counts);
        var sources = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sources");

        await MigrationRunner.ApplyAsync(connection, database.Migrations, TimeProvider.System);

        Assert.True(sources > 0);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>(Counts));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            SELECT (SELECT count(*) FROM sources WHERE review_state <> 'published') + (SELECT count(*) FROM source_history WHERE review_state <> 'published')
                + (SELECT count(*) FROM packages WHERE review_state <> 'published') + (SELECT count(*) FROM package_history WHERE review_state <> 'published')
            """));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("UPDATE sources SET review_state = 'finished'"));
    }
}
