using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace AidTracker.Tests;

/// <summary>Small budgets: 2 anonymous requests a second (bursts of 4), 3 a second per key (bursts of 6), 1 export a minute.</summary>
public sealed class SmallBudgetsFixture : ApiFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:AnonymousPerSecond", "2");
        builder.UseSetting("RateLimits:KeyPerSecond", "3");
        builder.UseSetting("RateLimits:ExportsPerMinute", "1");
    }
}

public sealed class RateLimitTests(SmallBudgetsFixture app) : IClassFixture<SmallBudgetsFixture>
{
    private static async Task<List<HttpResponseMessage>> BurstAsync(HttpClient client, string url, int count)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++) responses.Add(await client.GetAsync(url));
        return responses;
    }

    [Fact]
    public async Task Past_the_anonymous_budget_an_address_gets_429_with_retry_after_and_health_is_never_limited()
    {
        var responses = await BurstAsync(app.Anonymous(), "/api/v1/countries/POL", 12);
        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);

        Assert.All(await BurstAsync(app.Anonymous(), "/health/live", 30), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Each_key_has_a_budget_of_its_own()
    {
        var editor = await BurstAsync(app.Editor(), "/api/v1/countries/POL", 15);
        Assert.Contains(editor, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        // The editor's budget is spent; the reader key's is not.
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(app.ReaderKey).GetAsync("/api/v1/countries/POL")).StatusCode);
    }

    [Fact]
    public async Task Exports_have_a_budget_apart_from_reads()
    {
        var admin = app.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/exports/donations.csv")).StatusCode);
        await (await admin.GetAsync("/api/v1/exports/donations.ndjson")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/donations?limit=1")).StatusCode);
    }
}
