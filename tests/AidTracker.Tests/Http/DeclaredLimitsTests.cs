using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;

namespace AidTracker.Tests;

/// <summary>The service with a 300-byte body limit and one export a minute.</summary>
public sealed class DeclaredLimitsFixture : ApiFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Limits:MaxBodyBytes", "300");
        builder.UseSetting("RateLimits:ExportsPerMinute", "1");
    }
}

/// <summary>
/// Limits that an endpoint declares (its own body limit, the export budget) hold for that endpoint, found by routing,
/// and not for a path that only looks like it.
/// </summary>
public sealed class DeclaredLimitsTests(DeclaredLimitsFixture app) : IClassFixture<DeclaredLimitsFixture>
{
    private static readonly string File =
        "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source\n"
        + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,A source that makes the file pass the body limit\n", 6));

    private static ByteArrayContent Csv(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    [Fact]
    public async Task An_import_past_the_body_limit_is_taken_by_its_own_limit_but_an_unknown_path_beside_it_is_413()
    {
        Assert.True(Encoding.UTF8.GetByteCount(File) > 300);

        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/imports/donations", Csv(File))).StatusCode);
        var problem = await (await app.Editor().PostAsync("/api/v1/imports/elsewhere", Csv(File))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Limits:MaxBodyBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_path_under_exports_spends_no_export_budget()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await app.Anonymous().GetAsync("/api/v1/exports/donations.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/api/v1/exports/donations.csv")).StatusCode);
        await (await app.Anonymous().GetAsync("/api/v1/exports/donations.ndjson")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
