using System.Net;
using Dapper;
using Microsoft.AspNetCore.Hosting;

namespace AidTracker.Tests;

/// <summary>
/// The service with tight limits (2,000-byte bodies, a 1 ms request time limit, one origin allowed to write) on 100,000
/// synthetic rows, so that a query as of a moment outlasts the limit by far (about 0.1 s against 1 ms).
/// </summary>
public sealed class TightLimitsFixture : ApiFixture
{
    public const string WriteOrigin = "https://editor.example";

    /// <summary>On a real Kestrel (loopback, a free port): its limits, headers and timeouts are the ones under test.</summary>
    public TightLimitsFixture() : base(Prepare()) => UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));

    private static string Prepare()
    {
        var folder = NewFolder();
        AidTracker.Api.Dataset.SyntheticDataset.WriteSqliteAsync(Path.Combine(folder, "tight.db"), 100_000, 7, TimeProvider.System).GetAwaiter().GetResult();
        return folder;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Limits:MaxBodyBytes", "2000");
        builder.UseSetting("Limits:RequestTimeoutMilliseconds", "1");
        builder.UseSetting("Cors:WriteOrigins:0", WriteOrigin);
    }
}

public sealed class HardeningTests(ApiFixture app, TightLimitsFixture tight) : IClassFixture<ApiFixture>, IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task Responses_carry_security_headers_and_html_gets_a_policy_for_its_own_scripts()
    {
        var json = await app.Anonymous().GetAsync("/api/v1/countries/POL");
        Assert.Equal("nosniff", json.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", json.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", json.Headers.GetValues("Content-Security-Policy").Single());

        var html = await app.Anonymous().GetAsync("/swagger/index.html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("default-src 'self';", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var problem = await app.Anonymous().GetAsync("/api/v1/countries/XXX");
        Assert.Equal("nosniff", problem.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Any_origin_reads_and_only_a_configured_origin_writes()
    {
        var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/countries/POL") { Headers = { { "Origin", "https://anyone.example" } } };
        var readResponse = await app.Anonymous().SendAsync(read);
        Assert.Equal("*", readResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());

        foreach (var (fixture, origin, allowed) in new[] { (app, TightLimitsFixture.WriteOrigin, false), (tight, "https://anyone.example", false), (tight, TightLimitsFixture.WriteOrigin, true) })
        {
            var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/donations")
            {
                Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization,content-type" } },
            };
            var response = await fixture.Anonymous().SendAsync(preflight);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
    }

    [Fact]
    public async Task A_body_past_the_limit_is_413_before_it_is_read()
    {
        var body = Donations.Valid().With("notes", new string('n', 3000));
        var response = await tight.Editor().PostAsync("/api/v1/donations", Http.Json(body));
        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Limits:MaxBodyBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runaway_query_is_interrupted_when_its_token_is_cancelled_and_its_connection_serves_again()
    {
        using var timeout = new CancellationTokenSource();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using (var connection = await app.Connections.OpenAsync(timeout.Token))
        {
            // The time runs from the query on: on a busy machine, opening alone has taken past 100 ms (CI).
            timeout.CancelAfter(TimeSpan.FromMilliseconds(100));
            // SQLite: the connection interrupts whatever runs on it (the command has no token). PostgreSQL: Npgsql
            // cancels the command whose token it is, as every repository passes it.
            const string endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
            var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteScalarAsync<long>(
                new CommandDefinition(endless, cancellationToken: app.OnPostgres ? timeout.Token : default)));
            Assert.True(app.Connections.Dialect.IsCancelled(error), error.ToString());
        }
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        await using var again = await app.Connections.OpenAsync();
        Assert.Equal(1, await again.ExecuteScalarAsync<long>("SELECT 1"));
    }

    [Fact]
    public async Task A_request_past_its_time_limit_is_503_and_the_database_serves_on()
    {
        // As of now, every one of the 100,000 rows is read through its history.
        var now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        var response = await tight.Anonymous().GetAsync($"/api/v1/stats/totals?group_by=weapon_system,donor&as_of={now}");
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Limits:RequestTimeoutMilliseconds", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.False(response.Headers.Contains("Server"));

        await using var connection = await tight.Connections.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donations") > 0);
        // Exports stream as long as the client reads: no time limit.
        Assert.Equal(HttpStatusCode.OK, (await tight.Anonymous().GetAsync("/api/v1/exports/donations.csv")).StatusCode);
    }
}
