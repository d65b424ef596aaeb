using System.Net;
using System.Text;

namespace AidTracker.Tests;

/// <summary>
/// Limits that an endpoint declares (its own body limit, the export budget) hold for that endpoint, found by routing,
/// and not for a path that only looks like it.
/// </summary>
public sealed class DeclaredLimitsTests(ApiFixture app, SmallBudgetsFixture budgets) : IClassFixture<ApiFixture>, IClassFixture<SmallBudgetsFixture>
{
    /// <summary>A file past Limits:MaxBodyBytes (1 MiB by default) and within Imports:MaxBytes (100 MiB).</summary>
    private static readonly string File =
        "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,quote\n"
        + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,1,A quote that makes the file pass the body limit\n", 12_000));

    private static ByteArrayContent Csv(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    [Fact]
    public async Task An_import_past_the_body_limit_is_taken_by_its_own_limit_but_an_unknown_path_beside_it_is_413()
    {
        Assert.True(Encoding.UTF8.GetByteCount(File) > 1024 * 1024);

        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/imports/donations", Csv(File))).StatusCode);
        var problem = await (await app.Editor().PostAsync("/api/v1/imports/elsewhere", Csv(File))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Limits:MaxBodyBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_path_under_exports_spends_no_export_budget()
    {
        // One export a minute.
        Assert.Equal(HttpStatusCode.NotFound, (await budgets.Anonymous().GetAsync("/api/v1/exports/donations.xlsx")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await budgets.Anonymous().GetAsync("/api/v1/exports/donations.csv")).StatusCode);
        await (await budgets.Anonymous().GetAsync("/api/v1/exports/donations.ndjson")).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
