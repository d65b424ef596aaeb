using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Extraction;

namespace AidTracker.Tests;

/// <summary>
/// POST /extractions end to end: an article read into drafts that cite its new source, out of public view until a
/// second key publishes them; GET /extractions/{id} shows them as they stand; bad bodies are problems naming the field.
/// </summary>
public sealed class ExtractionEndpointTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static readonly string SeedArticle = EmbeddedResources.ReadText(typeof(Extractor).Assembly, "Dataset/Seed/article.txt");

    private static JsonObject Body(string text, string publishedOn = "2022-03-06") => new()
    {
        ["text"] = text,
        ["source"] = new JsonObject { ["kind"] = "news", ["published_on"] = publishedOn, ["citation"] = "News report, 2022-03-06" },
    };

    private async Task<JsonObject> ExtractAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostAsync("/api/v1/extractions", Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var extraction = await response.ReadObjectAsync();
        Assert.Equal($"/api/v1/extractions/{extraction["id"]}", response.Headers.Location!.OriginalString);
        return extraction;
    }

    private async Task<long[]> PublicIdsAsync(long source) =>
        [.. (await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations?source={source}&limit=1000"))["items"]!.AsArray().Select(item => item!["id"]!.GetValue<long>())];

    [Fact]
    public async Task The_seed_article_becomes_the_bundled_records_as_drafts_that_an_editor_corrects_and_a_second_key_publishes()
    {
        var bundled = CsvReader.ReadAll(new StringReader(EmbeddedResources.ReadText(typeof(Extractor).Assembly, "Dataset/Seed/donations.csv")));

        // A key that publishes at once still gets drafts: an extraction is never published unread.
        var extraction = await ExtractAsync(app.Editor(), Body(SeedArticle));

        var source = extraction["id"]!.GetValue<long>();
        Assert.Equal(source, extraction["source"]!["id"]!.GetValue<long>());
        Assert.Equal(SeedArticle, extraction["text"]!.GetValue<string>());
        var drafts = extraction["drafts"]!.AsArray().Select(d => d!.AsObject()).ToList();
        Assert.Equal(
            bundled.Select(row => (row["donor"], row["recipient"], row["weapon_system"], row["status"], row["quote"])),
            drafts.Select(d => (d["record"]!["donor"]!.GetValue<string>(), d["record"]!["recipient"]!.GetValue<string>(), d["record"]!["weapon_system"]!.GetValue<string>(),
                d["record"]!["status"]!.GetValue<string>(), d["record"]!["evidence"]![0]!["quote"]!.GetValue<string>())));
        Assert.All(drafts, d =>
        {
            Assert.Equal("draft", d["review_state"]!.GetValue<string>());
            var quote = d["quote"]!;
            Assert.Equal(quote["text"]!.GetValue<string>(), SeedArticle[quote["start"]!.GetValue<int>()..quote["end"]!.GetValue<int>()]);
            var evidence = d["record"]!["evidence"]![0]!;
            Assert.Equal((source, $"characters {quote["start"]}-{quote["end"]} of the extracted text"), (evidence["source"]!.GetValue<long>(), evidence["locator"]!.GetValue<string>()));
            Assert.Equal(["commitment"], evidence["supports"]!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Null(d["record"]!["quantity"]);
            Assert.All(d["because"]!.AsArray(), f => Assert.Equal(f!["words"]!.GetValue<string>(), SeedArticle[f["start"]!.GetValue<int>()..f["end"]!.GetValue<int>()]));
        });
        // Nothing is public, not even the source: to the public, its id is none.
        await (await app.Anonymous().GetAsync($"/api/v1/donations?source={source}")).AssertProblemNamingAsync("source");
        // The source is a draft too, in the queue beside them.
        var queued = (await app.Reviewer().GetJsonAsync<JsonObject>("/api/v1/review?limit=200"))["items"]!.AsArray()
            .Select(i => (i!["kind"]!.GetValue<string>(), i["id"]!.GetValue<long>()));
        Assert.Equivalent(drafts.Select(d => ("donation", d["id"]!.GetValue<long>())).Append(("source", source)), queued);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync($"/api/v1/sources/{source}")).StatusCode);

        // An editor who does not publish at once corrects one; it stays a draft.
        var latvia = drafts.Single(d => d["record"]!["donor"]!.GetValue<string>() == "LVA");
        var correctedBody = new JsonObject
        {
            ["donor"] = "LVA", ["recipient"] = "UKR", ["weapon_system"] = "fim-92-stinger", ["status"] = "committed",
            ["evidence"] = new JsonArray(new JsonObject { ["source"] = source, ["quote"] = latvia["quote"]!["text"]!.GetValue<string>(), ["supports"] = new JsonArray("commitment") }),
            ["notes"] = "Checked: Latvia's Stingers, per the ministry.",
        };
        var corrected = await app.Drafter().SendAsync(HttpMethod.Put, $"/api/v1/donations/{latvia["id"]}", Http.Json(correctedBody), latvia["etag"]!.GetValue<string>());
        Assert.True(corrected.StatusCode == HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());

        // The key that asked for the extraction made the drafts: another reviewer decides.
        var now = await app.Editor().GetJsonAsync<JsonObject>($"/api/v1/extractions/{source}");
        var latviaNow = now["drafts"]!.AsArray().Single(d => d!["id"]!.GetValue<long>() == latvia["id"]!.GetValue<long>())!;
        Assert.Equal(("draft", "Checked: Latvia's Stingers, per the ministry."), (latviaNow["review_state"]!.GetValue<string>(), latviaNow["record"]!["notes"]!.GetValue<string>()));
        var publish = () => app.Reviewer().SendAsync(HttpMethod.Post, $"/api/v1/review/donations/{latvia["id"]}",
            Http.Json(new JsonObject { ["decision"] = "publish" }), latviaNow["etag"]!.GetValue<string>());
        // Not while the source it cites is a draft: the reviewer publishes the source first.
        await (await publish()).AssertProblemNamingAsync("evidence", HttpStatusCode.Conflict);
        await PublishSourceAsync(source);
        var decision = await publish();
        Assert.True(decision.StatusCode == HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());

        Assert.Equal([latvia["id"]!.GetValue<long>()], await PublicIdsAsync(source));
        Assert.Equal("published", (await app.Editor().GetJsonAsync<JsonObject>($"/api/v1/extractions/{source}"))["drafts"]!.AsArray()
            .Single(d => d!["id"]!.GetValue<long>() == latvia["id"]!.GetValue<long>())!["review_state"]!.GetValue<string>());
        await app.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task A_quantity_a_date_and_a_delivery_are_recorded_where_their_status_puts_them_and_unresolved_sentences_come_back()
    {
        const string Text = "More weapons are being sent from the West. Germany delivered 500 Strela-2 missiles to Ukraine on Saturday. Canada will send 8 howitzers.";

        var extraction = await ExtractAsync(app.Editor(), Body(Text, "2022-03-07"));

        var drafts = extraction["drafts"]!.AsArray().Select(d => d!["record"]!).ToList();
        var germany = drafts.Single(d => d["donor"]!.GetValue<string>() == "DEU");
        Assert.Equal(("delivered", 500L, "exact"), (germany["status"]!.GetValue<string>(), germany["quantity"]!.GetValue<long>(), germany["quantity_qualifier"]!.GetValue<string>()));
        Assert.Equal(("2022-03-05", 500L), (germany["deliveries"]![0]!["delivered_on"]!.GetValue<string>(), germany["deliveries"]![0]!["quantity"]!.GetValue<long>()));
        Assert.Equal(["delivery", "quantity"], germany["evidence"]![0]!["supports"]!.AsArray().Select(s => s!.GetValue<string>()));
        var canada = drafts.Single(d => d["donor"]!.GetValue<string>() == "CAN");
        Assert.Equal(("announced", 8L), (canada["status"]!.GetValue<string>(), canada["quantity"]!.GetValue<long>()));
        Assert.Null(canada["announced_on"]);
        var unresolved = Assert.Single(extraction["unresolved"]!.AsArray())!;
        Assert.Equal("More weapons are being sent from the West.", unresolved["quote"]!["text"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(unresolved["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_verb_with_a_kind_records_the_source_and_drafts_that_a_reviewer_publishes()
    {
        var path = Path.Combine(app.Folder, "ministry-statement.txt");
        await File.WriteAllTextAsync(path, "Norway will send 2,000 M72 anti-tank weapons to Ukraine, the ministry said on Sunday.");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await AidTracker.Api.Cli.Commands.RunAsync(app.Services,
            ["extract", path, "--kind", "official", "--published-on", "2022-02-28", "--citation", "Norwegian Ministry of Defence, statement"], output, error);

        Assert.True(exit == 0, error.ToString());
        var printed = JsonNode.Parse(output.ToString())!.AsObject();
        var draft = Assert.Single(printed["drafts"]!.AsArray())!;
        Assert.Equal(("NOR", 2000, "announced", "draft"), (draft["record"]!["donor"]!.GetValue<string>(), draft["record"]!["quantity"]!.GetValue<int>(),
            draft["record"]!["status"]!.GetValue<string>(), draft["review_state"]!.GetValue<string>()));
        Assert.Equal("official", printed["source"]!["kind"]!.GetValue<string>());
        var read = await app.Editor().GetJsonAsync<JsonObject>($"/api/v1/extractions/{printed["id"]}");
        Assert.Equal(draft["id"]!.GetValue<long>(), read["drafts"]![0]!["id"]!.GetValue<long>());
        await PublishSourceAsync(printed["id"]!.GetValue<long>());
        var decision = await app.Reviewer().SendAsync(HttpMethod.Post, $"/api/v1/review/donations/{draft["id"]}",
            Http.Json(new JsonObject { ["decision"] = "publish" }), draft["etag"]!.GetValue<string>());
        Assert.True(decision.StatusCode == HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());

        Assert.Equal(2, await AidTracker.Api.Cli.Commands.RunAsync(app.Services, ["extract", path, "--kind", "rumour", "--published-on", "2022"], new StringWriter(), new StringWriter()));
        var missingDate = new StringWriter();
        Assert.Equal(2, await AidTracker.Api.Cli.Commands.RunAsync(app.Services, ["extract", path, "--kind", "news", "--citation", "x"], new StringWriter(), missingDate));
        Assert.Contains("published_on", missingDate.ToString());
        Assert.Equal(2, await AidTracker.Api.Cli.Commands.RunAsync(app.Services, ["extract", path, "--citation", "x"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task A_retry_with_the_same_Idempotency_Key_records_nothing_and_gets_the_first_answer_and_another_body_a_422()
    {
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> SendAsync(JsonObject body) => app.Drafter().SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/v1/extractions") { Content = Http.Json(body), Headers = { { "Idempotency-Key", key } } });
        async Task<int> QueuedAsync() => (await app.Reviewer().GetJsonAsync<JsonObject>("/api/v1/review?limit=200"))["items"]!.AsArray().Count;

        var first = await SendAsync(Body("Poland is sending 100 Stinger missiles to Ukraine."));
        var queued = await QueuedAsync();
        var retry = await SendAsync(Body("Poland is sending 100 Stinger missiles to Ukraine."));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal((await first.ReadObjectAsync())["drafts"]![0]!["id"]!.GetValue<long>(), (await retry.ReadObjectAsync())["drafts"]![0]!["id"]!.GetValue<long>());
        Assert.Equal(queued, await QueuedAsync());
        await (await SendAsync(Body("Latvia is sending 10 Stinger missiles to Ukraine."))).AssertProblemNamingAsync("Idempotency-Key", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_bad_body_is_a_problem_naming_the_field_and_only_editors_extract()
    {
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(new JsonObject { ["source"] = Body("x")["source"]!.DeepClone() })))
            .AssertProblemNamingAsync("text");
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(Body("   \n ")))).AssertProblemNamingAsync("text");
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(Body("Germany sends\0 Javelin.")))).AssertProblemNamingAsync("text");
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(new JsonObject { ["text"] = "Germany sends Javelin." }))).AssertProblemNamingAsync("source");
        var noKind = Body("Germany sends Javelin.");
        noKind["source"]!.AsObject().Remove("kind");
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(noKind))).AssertProblemNamingAsync("source.kind");
        await (await app.Editor().PostAsync("/api/v1/extractions", Http.Json(Body("Germany sends Javelin.", "March 2022")))).AssertProblemNamingAsync("source.published_on");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync("/api/v1/extractions", Http.Json(Body(SeedArticle)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.WithKey(app.ReaderKey).PostAsync("/api/v1/extractions", Http.Json(Body(SeedArticle)))).StatusCode);
        await (await app.Editor().GetAsync("/api/v1/extractions/999999")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hostile_text_up_to_the_body_limit_gets_drafts_or_a_problem_within_the_request_time_and_past_it_a_413()
    {
        var aliases = string.Join(" and ", ["Germany", "the Dutch", "Poland", "Latvia", "the Czechs", "Sweden", "Finland", "Estonians", "Canada", "France"]);
        var weapons = string.Join(", ", ["Javelin", "Stingers", "FIM-92", "AT4", "howitzers", "ammo", "rocket launchers", "helmets"]);
        var hostile = new[]
        {
            string.Concat(Enumerable.Repeat($"{aliases} are sending {weapons} to Ukraine. ", 2_000)),
            string.Concat(Enumerable.Repeat("<p>Germany</p><b>Javelin 5,000</b>", 10_000)),
            string.Concat(Enumerable.Repeat("Deutschland liefert der Ukraine Panzerabwehrwaffen und Flugabwehrraketen. ", 12_000)),
            new string('a', 900_000),
            // One sentence of 800 KB: longer than a quote holds, it is left unresolved unread.
            string.Concat(Enumerable.Repeat("Germany and Poland will send Javelins and ", 20_000)),
        };
        foreach (var text in hostile)
        {
            // Past Limits:RequestTimeoutMilliseconds the answer would be a 503: a 201 or a 400 is an answer in time.
            var response = await app.Editor().PostAsync("/api/v1/extractions", Http.Json(Body(text)));
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var tooLarge = await app.Editor().PostAsync("/api/v1/extractions", Http.Json(Body(new string('a', 1_100_000))));
        await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>A reviewer publishes the draft source an extraction recorded, at the ETag the queue gives it.</summary>
    private async Task PublishSourceAsync(long source)
    {
        var queue = await app.Reviewer().GetJsonAsync<JsonObject>("/api/v1/review?limit=200");
        var item = queue["items"]!.AsArray().Single(i => i!["kind"]!.GetValue<string>() == "source" && i["id"]!.GetValue<long>() == source)!;
        Assert.Equal(source, item["source"]!["id"]!.GetValue<long>());
        var published = await app.Reviewer().SendAsync(HttpMethod.Post, $"/api/v1/review/sources/{source}",
            Http.Json(new JsonObject { ["decision"] = "publish" }), item["etag"]!.GetValue<string>());
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
    }
}
