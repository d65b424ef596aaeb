using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// donation_rollup kept exact by triggers, and each donation's delivered totals by the writes, through every kind of
/// write; stats by category follow a weapon's new category.
/// </summary>
public sealed class StatsRollupTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_rollup_equals_the_donations_summed_again_after_creates_updates_and_deletes_and_follows_a_category_change()
    {
        var editor = app.Editor();
        var donors = new[] { "POL", "DEU", "EST", "USA" };
        var statuses = new[] { "announced", "committed", "delivered", "cancelled" };
        var ids = new List<(long Id, string ETag)>();
        for (var i = 0; i < 24; i++)
        {
            var body = Donations.Valid(donors[i % 4], "UKR", i % 3 == 0 ? "fgm-148-javelin" : "nlaw")
                .With("status", statuses[i % 4])
                .With("announced_on", $"2023-{1 + i % 5:00}-{1 + i:00}")
                .With("quantity", i % 5 == 0 ? null : 10 + i)
                .With("quantity_qualifier", i % 5 == 0 ? "undisclosed" : "exact")
                .With("value_eur", i % 2 == 0 ? 1000.5m + i : null);
            if (statuses[i % 4] == "delivered") body = body.With("deliveries", new JsonArray(Donations.NewDelivery("2024-01-01", 1)));
            var created = await editor.PostAsync("/api/v1/donations", Http.Json(body));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add(((await created.ReadObjectAsync())["id"]!.GetValue<long>(), created.Headers.ETag!.Tag));
            // A twin in the same group, so that the moves and deletions below subtract from groups that remain.
            Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/v1/donations", Http.Json(body))).StatusCode);
        }
        await app.AssertDerivedTablesAreExactAsync();
        // Moves between groups (donor, status, month), quantity to and from undisclosed, then deletions.
        for (var i = 0; i < 8; i++)
        {
            var changed = Donations.Valid(donors[(i + 1) % 4], "UKR", "nlaw").With("status", statuses[(i + 2) % 4])
                .With("announced_on", $"2024-0{1 + i % 3}-15").With("quantity", i % 2 == 0 ? null : 3)
                .With("quantity_qualifier", i % 2 == 0 ? "undisclosed" : "exact");
            if (statuses[(i + 2) % 4] == "delivered") changed = changed.With("deliveries", new JsonArray(Donations.NewDelivery("2024-05-01", 1)));
            var put = await editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{ids[i].Id}", Http.Json(changed), ids[i].ETag);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await app.AssertDerivedTablesAreExactAsync();
        for (var i = 8; i < 14; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{ids[i].Id}", null, ids[i].ETag)).StatusCode);
        }
        await app.AssertDerivedTablesAreExactAsync();
        // Instalments added one at a time, each a new version that keeps the donation's delivered totals.
        for (var i = 14; i < 18; i++)
        {
            var added = await editor.SendAsync(HttpMethod.Post, $"/api/v1/donations/{ids[i].Id}/deliveries", Http.Json(Donations.NewDelivery("2024-06", 1)), ids[i].ETag);
            Assert.True(added.IsSuccessStatusCode || statuses[i % 4] == "cancelled", $"{(int)added.StatusCode} for donation {ids[i].Id}");
        }
        await app.AssertDerivedTablesAreExactAsync();
        // An artillery donation in a group that Javelin rows join when Javelin becomes artillery.
        var howitzer = Donations.Valid("POL", "UKR", "m777").With("status", "announced").With("announced_on", "2023-01-20");
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/v1/donations", Http.Json(howitzer))).StatusCode);
        var javelin = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/weapon-systems/fgm-148-javelin");
        var moved = await app.Admin().PutAsync("/api/v1/weapon-systems/fgm-148-javelin", Http.Json(javelin.With("category", "artillery")));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        await app.AssertDerivedTablesAreExactAsync();

        // Stats by category, read from the rollup, follow the weapon's new category.
        var totals = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/stats/totals?group_by=donor,status&donor=POL,DEU,EST,USA&category=artillery"))["total"]!;
        var rows = await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?donor=POL,DEU,EST,USA&category=artillery&limit=100");
        Assert.Contains(rows, row => row!["weapon_system"]!.GetValue<string>() == "fgm-148-javelin");
        Assert.Equal(rows.Count, totals["count"]!.GetValue<long>());
        Assert.Equal(rows.Sum(r => r!["quantity"]?.GetValue<long>() ?? 0), totals["quantity_promised"]!.GetValue<long>());
        Assert.Equal(rows.Count(r => r!["quantity"] is null), totals["quantity_undisclosed"]!.GetValue<long>());
        Assert.Equal(rows.Sum(r => r!["value_eur"]?.GetValue<decimal>() ?? 0m), totals["value_eur"]!.GetValue<decimal>());
    }
}
