using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

public sealed class SourceCrudTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    public static JsonObject Valid() => new()
    {
        ["kind"] = "news",
        ["published_on"] = "2022-03-06",
        ["citation"] = "News report, 2022-03-06, beginning 'Amid the ongoing war in Ukraine, media reports indicate…'",
    };

    private async Task<(long Id, string ETag)> CreateAsync(JsonObject body)
    {
        var response = await app.Editor().PostAsync("/api/v1/sources", Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadObjectAsync();
        return (created["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Post_returns_201_with_location_etag_and_the_record_with_nulls_where_nothing_is_known()
    {
        var response = await app.Editor().PostAsync("/api/v1/sources", Http.Json(Valid().With("reliability", "b").With("language", "DE-ch")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var id = body["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/sources/{id}", response.Headers.Location!.OriginalString);
        Assert.Matches("^\"1\\.[0-9]+\"$", response.Headers.ETag!.Tag);
        Assert.Equal("B", body["reliability"]!.GetValue<string>());
        Assert.Equal("de-CH", body["language"]!.GetValue<string>());
        Assert.Equal("2022-03-06", body["published_on"]!.GetValue<string>());
        Assert.Null(body["title"]);
        Assert.Null(body["url"]);
        Assert.Null(body["publisher"]);
        Assert.True(body.ContainsKey("archived_url"));

        var fetched = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/sources/{id}");
        Assert.Equal(body.ToJsonString(), fetched!.ToJsonString());
    }

    [Fact]
    public async Task A_date_known_to_the_month_stays_a_month_and_is_stored_as_its_first_and_last_day()
    {
        var (id, _) = await CreateAsync(Valid().With("published_on", "2024-02"));

        var body = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/sources/{id}");
        Assert.Equal("2024-02", body!["published_on"]!.GetValue<string>());
        await using var connection = await app.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT published_on, published_on_precision, published_on_end FROM sources WHERE id = {id}";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("2024-02-01", "month", "2024-02-29"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
    }

    [Fact]
    public async Task A_source_without_title_url_or_citation_is_refused_naming_all_three()
    {
        var response = await app.Editor().PostAsync("/api/v1/sources", Http.Json(Valid().Without("citation")));

        var problem = await response.AssertProblemNamingAsync("title");
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("url"));
        Assert.True(errors.ContainsKey("citation"));
    }

    [Theory]
    [InlineData("published_on", "2022-13")]
    [InlineData("published_on", "06.03.2022")]
    [InlineData("published_on", "2999")]
    [InlineData("url", "ftp://example.org/x")]
    [InlineData("url", "/relative")]
    [InlineData("archived_url", "web.archive.org/x")]
    [InlineData("language", "english language")]
    [InlineData("reliability", "G")]
    [InlineData("reliability", "AB")]
    [InlineData("kind", "blog")]
    [InlineData("accessed_on", "2999-01-01")]
    public async Task A_bad_field_is_a_problem_naming_it(string field, string value)
    {
        var response = await app.Editor().PostAsync("/api/v1/sources", Http.Json(Valid().With(field, value)));

        await response.AssertProblemNamingAsync(field);
    }

    [Fact]
    public async Task Writes_need_an_editor_key_and_reads_refuse_a_bad_key()
    {
        var anonymous = await app.Anonymous().PostAsync("/api/v1/sources", Http.Json(Valid()));
        var reader = await app.WithKey(app.ReaderKey).PostAsync("/api/v1/sources", Http.Json(Valid()));
        var badKey = await app.WithKey("not-a-key").GetAsync("/api/v1/sources");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
    }

    [Fact]
    public async Task Get_answers_304_to_its_etag_and_head_without_a_body()
    {
        var (id, etag) = await CreateAsync(Valid());
        var client = app.Anonymous();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sources/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var notModified = await client.SendAsync(request);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/sources/{id}"));

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(etag, head.Headers.ETag!.Tag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_needs_if_match_refuses_a_stale_etag_and_moves_the_version()
    {
        var (id, etag) = await CreateAsync(Valid());
        var editor = app.Editor();

        var without = await editor.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Http.Json(Valid().With("title", "T")));
        var updated = await editor.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Http.Json(Valid().With("title", "T")), etag);
        var stale = await editor.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Http.Json(Valid().With("title", "U")), etag);

        await without.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await updated.ReadObjectAsync())["version"]!.GetValue<long>());
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(updated.Headers.ETag!.Tag, stale.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Delete_tombstones_the_source_which_is_then_gone_while_its_history_keeps_every_version()
    {
        var (id, etag) = await CreateAsync(Valid());
        var editor = app.Editor();
        var updated = await editor.SendAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Http.Json(Valid().With("publisher", "Reuters")), etag);

        var deleted = await editor.SendAsync(HttpMethod.Delete, $"/api/v1/sources/{id}", ifMatch: updated.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await app.Anonymous().GetAsync($"/api/v1/sources/{id}")).AssertProblemAsync(HttpStatusCode.Gone);
        await (await editor.SendAsync(HttpMethod.Delete, $"/api/v1/sources/{id}", ifMatch: "*")).AssertProblemAsync(HttpStatusCode.Gone);
        var list = await app.Anonymous().ReadAllPagesAsync("/api/v1/sources?limit=1000");
        Assert.DoesNotContain(list, item => item["id"]!.GetValue<long>() == id);
        var history = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/sources/{id}/history");
        var items = history!["items"]!.AsArray();
        Assert.Equal(["create", "update", "delete"], items.Select(i => i!["operation"]!.GetValue<string>()));
        Assert.Equal([1L, 2L, 3L], items.Select(i => i!["version"]!.GetValue<long>()));
        Assert.All(items, i => Assert.Equal(ApiFixture.EditorName, i!["changed_by"]!.GetValue<string>()));
        Assert.Equal("Reuters", items[2]!["record"]!["publisher"]!.GetValue<string>());
        Assert.Equal(id, history["source_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_unknown_id_is_404_on_every_route()
    {
        await (await app.Anonymous().GetAsync("/api/v1/sources/999999")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Anonymous().GetAsync("/api/v1/sources/999999/history")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Editor().SendAsync(HttpMethod.Put, "/api/v1/sources/999999", Http.Json(Valid()), "*")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Editor().SendAsync(HttpMethod.Delete, "/api/v1/sources/999999", ifMatch: "*")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_delete_that_a_live_row_refers_to_is_refused_and_writes_nothing()
    {
        var (id, _) = await CreateAsync(Valid());
        var sources = app.Services.GetRequiredService<RecordRepository<SourceRow>>();
        // A stand-in for evidence: this source counts as cited while it is itself live.
        RecordReference[] cited = [new("a citing record", "EXISTS (SELECT 1 FROM sources s WHERE s.id = @Id AND s.deleted_at IS NULL)")];

        var outcome = await sources.DeleteAsync(id, null, new RecordChange("test", null, TimeProvider.System), cited, default);

        Assert.Equal(RecordWriteStatus.Referenced, outcome.Status);
        Assert.Equal("a citing record", outcome.Reference!.What);
        Assert.Null((await sources.FindAsync(id, default))!.DeletedAt);
        Assert.Single(await sources.HistoryAsync(id, default));
    }
}
