using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace AidTracker.Tests;

/// <summary>A release, an import, a source, a package and an extraction to read, besides the bundled data: every GET route has something to answer.</summary>
public sealed class HeadFixture : ApiFixture
{
    public const string Release = "head-test";

    public long ImportId { get; private set; }

    public long ExtractionId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var release = await Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = Release, ["title"] = "HEAD" }));
        Assert.Equal(HttpStatusCode.Created, release.StatusCode);
        var csv = new ByteArrayContent(Encoding.UTF8.GetBytes("donor,recipient,weapon_system,status,announced_on,source,quote\r\nPOL,UKR,fim-92-stinger,announced,2022-03-01,1,HEAD import\r\n"));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var import = await Editor().PostAsync("/api/v1/imports/donations", csv);
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        ImportId = (await import.ReadObjectAsync())["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Created, (await Editor().PostAsync("/api/v1/sources", Http.Json(SourceCrudTests.Valid()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Editor().PostAsync("/api/v1/packages", Http.Json(PackageTests.Valid()))).StatusCode);
        var extraction = await Editor().PostAsync("/api/v1/extractions", Http.Json(new JsonObject { ["text"] = "Poland is sending Stingers to Ukraine.", ["source"] = SourceCrudTests.Valid() }));
        Assert.Equal(HttpStatusCode.Created, extraction.StatusCode);
        ExtractionId = (await extraction.ReadObjectAsync())["id"]!.GetValue<long>();
    }
}

/// <summary>HEAD answers wherever GET does (RFC 9110, 9.3.2): the same status and headers, no body.</summary>
public sealed class HeadTests(HeadFixture app) : IClassFixture<HeadFixture>
{
    /// <summary>Every GET endpoint of the service, from its EndpointDataSource, as a URL that reads something.</summary>
    public static TheoryData<string> GetRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var endpoint in Routes.Endpoints.Where(endpoint => endpoint.Methods().Contains("GET")))
        {
            data.Add(Sample(endpoint));
        }
        return data;
    }

    /// <summary>A route's path with values that exist, and the query that a route needs to answer 200.</summary>
    private static string Sample(RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText!;
        var id = pattern switch
        {
            _ when pattern.StartsWith("/api/v1/releases", StringComparison.Ordinal) => HeadFixture.Release,
            _ when pattern.StartsWith("/api/v1/imports", StringComparison.Ordinal) => "{import}",
            _ when pattern.StartsWith("/api/v1/extractions", StringComparison.Ordinal) => "{extraction}",
            _ when pattern.StartsWith("/api/v1/weapon-systems", StringComparison.Ordinal) => "fim-92-stinger",
            _ => "1",
        };
        var path = endpoint.Path(new Dictionary<string, string> { ["id"] = id, ["code"] = "POL" });
        return path == "/api/v1/stats/totals" ? path + "?group_by=donor" : path;
    }

    /// <summary>What is not an endpoint: the dashboard's files and the OpenAPI document.</summary>
    public static TheoryData<string> Files => new("/", "/index.html", "/app.js", "/app.css", "/favicon.svg", "/review.html", "/review.js", "/swagger/v1/swagger.json", "/swagger/index.html");

    [Theory]
    [MemberData(nameof(GetRoutes))]
    [MemberData(nameof(Files))]
    public async Task Head_answers_the_status_and_headers_of_get_without_a_body(string url)
    {
        url = url.Replace("{import}", app.ImportId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{extraction}", app.ExtractionId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The review queue and extractions are the reads that need a key (an editor's: they hold drafts, never cached).
        var client = url.StartsWith("/api/v1/review", StringComparison.Ordinal) || url.StartsWith("/api/v1/extractions", StringComparison.Ordinal) ? app.Editor() : app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode); // a public read is in the output cache now, for both

        var (head, get) = await HeadThenGetAsync(client, url);

        Assert.Equal(get.StatusCode, head.StatusCode);
        // An export's length and digest are known only once its file is written, which a HEAD does not do.
        var writtenOnly = url.Contains("/exports/", StringComparison.Ordinal) && !url.Contains("datapackage", StringComparison.Ordinal) ? new[] { "Content-Length", "Repr-Digest" } : [];
        Assert.Equal(Headers(get).Where(h => !writtenOnly.Any(name => h.StartsWith(name + ":", StringComparison.Ordinal))), Headers(head));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        // An NDJSON export of no rows (the fixture has no packages or deliveries) is an empty file: it has no header.
        var empty = get.Headers.TryGetValues("AidTracker-Row-Count", out var rows) && rows.Single() == "0" && url.EndsWith(".ndjson", StringComparison.Ordinal);
        Assert.Equal(empty, (await get.Content.ReadAsByteArrayAsync()).Length == 0);
    }

    [Fact]
    public void The_get_routes_cover_every_kind_of_read()
    {
        var urls = ((IEnumerable<object[]>)GetRoutes()).Select(row => (string)row[0]).ToList();

        foreach (var expected in new[] { "/api/v1/donations", "/api/v1/donations/1", "/api/v1/donations/1/history", "/api/v1/stats/timeseries", "/api/v1/codebook.csv",
            "/api/v1/countries/POL", "/api/v1/weapon-systems", $"/api/v1/releases/{HeadFixture.Release}", "/api/v1/imports/{import}", "/api/v1/exports/donations.parquet", "/health/ready" })
        {
            Assert.Contains(expected, urls);
        }
    }

    [Theory]
    [InlineData("/api/v1/donations?donor=EST&limit=7")]
    [InlineData("/api/v1/stats/totals?group_by=category&donor=EST")]
    [InlineData("/api/v1/countries/EST")]
    public async Task A_head_first_leaves_the_get_after_it_its_whole_body(string url)
    {
        var client = app.Anonymous();

        var (head, get) = await HeadThenGetAsync(client, url);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(head.Headers.ETag, get.Headers.ETag);
        var body = await get.Content.ReadAsStringAsync();
        Assert.NotEmpty(JsonNode.Parse(body)!.AsObject());
        Assert.Equal(body, await client.GetStringAsync(url));
    }

    [Theory]
    [InlineData("/api/v1/stats/timeseries?interval=year")]
    [InlineData("/api/v1/donations/1")]
    [InlineData("/api/v1/exports/donations.csv?donor=POL")]
    public async Task Head_with_the_current_etag_in_if_none_match_gets_304(string url)
    {
        var client = app.Anonymous();
        var etag = (await client.GetAsync(url)).Headers.ETag!.Tag;
        var request = new HttpRequestMessage(HttpMethod.Head, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Head_of_an_export_says_its_row_count_and_moment_as_get_does()
    {
        const string url = "/api/v1/exports/donations.ndjson?donor=POL";
        var client = app.Anonymous();

        var (head, get) = await HeadThenGetAsync(client, url);

        var lines = (await get.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers.GetValues("AidTracker-Row-Count").Single());
        Assert.Equal(get.Headers.GetValues("AidTracker-As-Of"), head.Headers.GetValues("AidTracker-As-Of"));
        Assert.Equal(get.Content.Headers.ContentDisposition, head.Content.Headers.ContentDisposition);
    }

    [Theory]
    [InlineData("/api/v1/donations/999999")]
    [InlineData("/api/v1/donations?limit=0")]
    [InlineData("/api/v1/imports/donations")]
    [InlineData("/nowhere")]
    public async Task Head_of_an_error_has_the_status_and_headers_of_the_get(string url)
    {
        var client = app.Anonymous();

        var (head, get) = await HeadThenGetAsync(client, url);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(Headers(get), Headers(head));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private static async Task<(HttpResponseMessage Head, HttpResponseMessage Get)> HeadThenGetAsync(HttpClient client, string url) =>
        (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)), await client.GetAsync(url));

    /// <summary>Every header but Date and Age (the output cache's, in seconds: it may tick between two requests).</summary>
    private static List<string> Headers(HttpResponseMessage response) => response.Headers.Concat(response.Content.Headers)
        .Where(header => header.Key is not ("Date" or "Age"))
        .Select(header => $"{header.Key}: {string.Join(", ", header.Value)}")
        .Order(StringComparer.Ordinal)
        .ToList();
}

/// <summary>A HEAD of an export reads no row, so it spends the read budget, not the export budget (1 a minute here).</summary>
public sealed class HeadRateLimitTests(SmallBudgetsFixture app) : IClassFixture<SmallBudgetsFixture>
{
    [Fact]
    public async Task Head_of_an_export_does_not_spend_the_export_budget()
    {
        var admin = app.Admin();

        var heads = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++) heads.Add(await admin.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/exports/donations.csv")));
        var get = await admin.GetAsync("/api/v1/exports/donations.csv");

        Assert.All(heads, head => Assert.Equal(HttpStatusCode.OK, head.StatusCode));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await (await admin.GetAsync("/api/v1/exports/donations.csv")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
