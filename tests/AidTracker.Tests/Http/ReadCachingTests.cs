using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AidTracker.Api.Http;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>ETags, 304s, Cache-Control, the output cache and compression, on a database of its own.</summary>
public sealed class ReadCachingTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>Every public read that the caching covers, one URL each.</summary>
    public static readonly string[] Reads =
    [
        "/api/v1/countries", "/api/v1/countries/POL", "/api/v1/weapon-systems", "/api/v1/weapon-systems/fgm-148-javelin",
        "/api/v1/donations?donor=POL", "/api/v1/donations/1/history",
        "/api/v1/stats/totals?group_by=donor", "/api/v1/stats/timeseries?interval=year", "/api/v1/stats/pledged-vs-delivered",
        "/api/v1/codebook", "/api/v1/codebook.md", "/api/v1/codebook.csv", "/api/v1/releases",
        "/api/v1/exports/donations.csv?donor=POL", "/api/v1/exports/donations.ndjson?donor=POL",
    ];

    public static TheoryData<string> ReadUrls => new(Reads);

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/nowhere")]
    [InlineData("/api/v1/nowhere")]
    [InlineData("/API/V1/NOWHERE")]
    [InlineData("/api")]
    public async Task An_answer_of_the_api_that_is_not_a_cached_read_is_not_stored(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/nowhere")]
    [InlineData("/apiary")]
    [InlineData("/healthy/live")]
    public async Task An_answer_outside_the_api_gets_no_cache_control_of_its_own(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.CacheControl);
    }

    [Theory]
    [MemberData(nameof(ReadUrls))]
    public async Task A_public_read_has_a_strong_etag_public_cache_control_and_a_304_for_its_etag(string url)
    {
        var client = app.Anonymous();
        var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=5, stale-while-revalidate=30", first.Headers.CacheControl!.ToString());
        Assert.Contains("Accept-Encoding", first.Headers.Vary);

        var revalidated = await Conditional(client, url, etag.Tag);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(etag, revalidated.Headers.ETag);
        Assert.Equal("public, max-age=5, stale-while-revalidate=30", revalidated.Headers.CacheControl!.ToString());
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_etag_names_the_normalised_request_so_reordered_parameters_share_it_and_other_requests_do_not()
    {
        var client = app.Anonymous();
        var a = (await client.GetAsync("/api/v1/stats/totals?group_by=donor&status=announced&from=2022-01-01")).Headers.ETag!.Tag;
        var reordered = (await client.GetAsync("/api/v1/stats/totals?from=2022-01-01&group_by=donor&status=announced")).Headers.ETag!.Tag;
        var other = (await client.GetAsync("/api/v1/stats/totals?group_by=donor&status=delivered&from=2022-01-01")).Headers.ETag!.Tag;

        Assert.Equal(a, reordered);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public async Task A_write_changes_every_etag_and_no_cached_answer_survives_it()
    {
        var client = app.Anonymous();
        const string url = "/api/v1/stats/totals?group_by=donor&donor=LTU";
        var before = await client.GetAsync(url);
        var countBefore = (await before.ReadObjectAsync())["total"]!["count"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode); // now from the output cache

        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "LTU")))).StatusCode);

        var stale = await Conditional(client, url, before.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.NotEqual(before.Headers.ETag, stale.Headers.ETag);
        Assert.Equal(countBefore + 1, (await stale.ReadObjectAsync())["total"]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Under_concurrent_reads_every_read_that_starts_after_a_write_has_answered_sees_the_write()
    {
        var client = app.Anonymous();
        const string list = "/api/v1/donations?donor=EST&limit=1000";
        const string totals = "/api/v1/stats/totals?group_by=donor&donor=EST";
        var baseline = (await client.GetJsonAsync<JsonObject>(totals))["total"]!["count"]!.GetValue<long>();
        using var stop = new CancellationTokenSource();
        // Readers keep both answers hot in the output cache, at every version, while the writes go on.
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await client.GetAsync(list);
                await client.GetAsync(totals);
            }
        })).ToList();

        var editor = app.Editor();
        for (var written = 1; written <= 20; written++)
        {
            var created = await editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "EST")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();

            Assert.Equal(baseline + written, (await client.GetJsonAsync<JsonObject>(totals))["total"]!["count"]!.GetValue<long>());
            var items = (await client.GetJsonAsync<JsonObject>(list))["items"]!.AsArray();
            Assert.Contains(items, item => item!["id"]!.GetValue<long>() == id);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }

    [Fact]
    public async Task Five_hundred_identical_cold_requests_run_the_query_once()
    {
        using var misses = new MissCounter(app.Services);
        var client = app.Anonymous();
        const string url = "/api/v1/stats/totals?group_by=donor,category&sort=-count,donor";

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => client.GetAsync(url)));

        var statuses = string.Join(", ", responses.GroupBy(r => r.StatusCode).Select(g => $"{(int)g.Key} x{g.Count()}"));
        Assert.True(responses.All(response => response.StatusCode == HttpStatusCode.OK), $"statuses: {statuses}");
        var bodies = await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync()));
        Assert.True(bodies.Distinct().Count() == 1, $"{bodies.Distinct().Count()} distinct bodies");
        Assert.True(misses.Of("GetTotals") == 1, $"the query ran {misses.Of("GetTotals")} times for 500 requests");
    }

    [Fact]
    public async Task Five_hundred_identical_cold_list_requests_run_the_query_once_and_all_get_the_next_link()
    {
        using var misses = new MissCounter(app.Services);
        var client = app.Anonymous();

        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => client.GetAsync("/api/v1/donations?limit=2&sort=-id")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(responses.Select(response => string.Join(",", response.Headers.GetValues("Link"))).Distinct());
        Assert.True(misses.Of("ListDonations") == 1, $"the query ran {misses.Of("ListDonations")} times for 500 requests");
    }

    [Fact]
    public async Task A_read_with_a_readers_key_shares_the_anonymous_cache_entry_etag_and_public_cache_control()
    {
        using var misses = new MissCounter(app.Services);
        const string url = "/api/v1/stats/totals?group_by=recipient&status=committed";

        var keyed = await app.WithKey(app.ReaderKey).GetAsync(url);
        var anonymous = await app.Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal(keyed.Headers.ETag, anonymous.Headers.ETag);
        Assert.Equal("public, max-age=5, stale-while-revalidate=30", keyed.Headers.CacheControl!.ToString());
        Assert.Equal(await keyed.Content.ReadAsStringAsync(), await anonymous.Content.ReadAsStringAsync());
        Assert.Equal(1, misses.Of("GetTotals"));
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(app.WithKey(app.ReaderKey), url, keyed.Headers.ETag!.Tag)).StatusCode);
    }

    [Fact]
    public async Task A_read_by_a_key_that_sees_drafts_is_private_with_an_etag_of_its_own_and_never_from_or_into_the_output_cache()
    {
        using var misses = new MissCounter(app.Services);
        const string url = "/api/v1/stats/totals?group_by=recipient&status=announced";

        var editor = await app.Editor().GetAsync(url);
        var again = await app.Editor().GetAsync(url);
        var anonymous = await app.Anonymous().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, editor.StatusCode);
        Assert.True(editor.Headers.CacheControl is { Private: true, NoCache: true, Public: false }, editor.Headers.CacheControl?.ToString());
        Assert.NotEqual(editor.Headers.ETag, anonymous.Headers.ETag);
        Assert.Equal(editor.Headers.ETag, again.Headers.ETag);
        Assert.Equal(3, misses.Of("GetTotals"));
        Assert.Equal(HttpStatusCode.OK, (await Conditional(app.Anonymous(), url, editor.Headers.ETag!.Tag)).StatusCode);
    }

    [Fact]
    public async Task A_read_with_a_bad_authorization_header_runs_no_query_and_is_answered_401()
    {
        using var misses = new MissCounter(app.Services);
        var client = app.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "x");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetAsync("/api/v1/donations?donor=EST&limit=3")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode));
        Assert.Equal(0, misses.Of("ListDonations"));
    }

    [Fact]
    public async Task Errors_and_writes_are_never_cached()
    {
        var client = app.Anonymous();
        var bad = await client.GetAsync("/api/v1/stats/totals?group_by=planet");
        var missing = await client.GetAsync("/api/v1/countries/QQQ");
        var write = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));

        foreach (var response in new[] { bad, missing, write })
        {
            Assert.True(response.Headers.CacheControl!.NoStore, $"{response.RequestMessage!.RequestUri}: {response.Headers.CacheControl}");
        }
        Assert.Null(bad.Headers.ETag);
        Assert.Null(missing.Headers.ETag);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Json_csv_and_ndjson_are_compressed_to_the_same_bytes_and_the_coding_is_part_of_the_etag(string coding)
    {
        foreach (var url in new[] { "/api/v1/donations?limit=20", "/api/v1/exports/donations.csv", "/api/v1/exports/donations.ndjson" })
        {
            var plain = await app.Anonymous().GetAsync(url);
            var client = app.Anonymous();
            client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));

            var first = await client.GetAsync(url);
            var second = await client.GetAsync(url);

            Assert.Equal(coding, Assert.Single(first.Content.Headers.ContentEncoding));
            Assert.EndsWith($"-{coding}\"", first.Headers.ETag!.Tag);
            Assert.NotEqual(plain.Headers.ETag, first.Headers.ETag);
            Assert.Equal(first.Headers.ETag, second.Headers.ETag);
            var expected = await plain.Content.ReadAsByteArrayAsync();
            Assert.Equal(expected, await Decompress(first, coding));
            Assert.Equal(expected, await Decompress(second, coding));
            Assert.Equal(HttpStatusCode.NotModified, (await Conditional(client, url, first.Headers.ETag.Tag)).StatusCode);
        }
    }

    [Fact]
    public async Task Renaming_a_country_changes_the_etag_of_its_donations_but_if_match_still_guards_only_the_row()
    {
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "MLT")));
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();
        var client = app.Anonymous();
        client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var before = await client.GetAsync($"/api/v1/donations/{id}");
        Assert.EndsWith("-gzip\"", before.Headers.ETag!.Tag);
        Assert.Equal("public, max-age=5, stale-while-revalidate=30", before.Headers.CacheControl!.ToString());
        var malta = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/countries/MLT");

        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PutAsync("/api/v1/countries/MLT", Http.Json(malta.With("name", "Republic of Malta")))).StatusCode);

        var after = await Conditional(client, $"/api/v1/donations/{id}", before.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var renamed = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal("Republic of Malta", renamed["donor_name"]!.GetValue<string>());
        var put = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid(donor: "MLT").With("quantity", 1)), before.Headers.ETag.Tag);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task A_change_made_outside_the_service_reaches_the_next_read()
    {
        var client = app.Anonymous();
        var before = await client.GetAsync("/api/v1/countries");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/countries")).StatusCode);

        // As the sqlite3 CLI, psql or a second process would: a plain connection, not the service's.
        await using (var connection = app.OutsideConnection())
        {
            await connection.ExecuteAsync("INSERT INTO countries (code, name, kind, eu_member, nato_member) VALUES ('ZZA', 'Outside Change', 'organisation', 0, 0)");
        }

        var after = await Conditional(client, "/api/v1/countries", before.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("Outside Change", await after.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> Conditional(HttpClient client, string url, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }

    private static async Task<byte[]> Decompress(HttpResponseMessage response, string coding)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        await using Stream decoded = coding == "br" ? new BrotliStream(body, CompressionMode.Decompress) : new GZipStream(body, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        await decoded.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Counts <c>aidtracker.output_cache.misses</c> of this test host only, per endpoint, from now on.</summary>
    internal sealed class MissCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public MissCounter(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ReadCaching.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key != "endpoint") continue;
                    lock (_counts) _counts[(string)tag.Value!] = _counts.GetValueOrDefault((string)tag.Value!) + value;
                }
            });
            _listener.Start();
        }

        public long Of(string endpoint)
        {
            lock (_counts) return _counts.GetValueOrDefault(endpoint);
        }

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>The service with <c>Cache:Output=false</c>, as the bench runs it to measure the queries themselves.</summary>
public sealed class OutputCacheOffFixture : ApiFixture
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cache:Output", "false");
    }
}

public sealed class OutputCacheOffTests(OutputCacheOffFixture app) : IClassFixture<OutputCacheOffFixture>
{
    [Fact]
    public async Task With_the_output_cache_off_every_read_runs_its_query_and_etags_and_304s_stay()
    {
        using var misses = new ReadCachingTests.MissCounter(app.Services);
        var client = app.Anonymous();
        const string url = "/api/v1/stats/totals?group_by=category";

        var first = await client.GetAsync(url);
        var second = await client.GetAsync(url);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var revalidated = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(2, misses.Of("GetTotals"));
    }
}
