using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>A service with 300 generated donations, for order and pagination tests.</summary>
public sealed class SortFixture : ApiFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var donations = Services.GetRequiredService<DonationRepository>();
        var change = new ChangeContext("sort-fixture", null, TimeProvider.System);
        foreach (var row in SyntheticDataset.Generate(300, 11, BundledData.WeaponSystemCategories(), citing: Donations.SeedSource, partialDates: false))
        {
            await donations.CreateAsync(row, change, default);
        }
    }
}

public sealed class DonationSortTests(SortFixture app) : IClassFixture<SortFixture>
{
    public static TheoryData<string> Sorts() =>
    [
        "id", "-id", "announced_on", "-announced_on", "first_reported_on", "-first_reported_on", "quantity", "-quantity",
        "value_eur", "-value_eur", "donor,-announced_on", "-status,quantity", "category,weapon_system,-value_eur",
        "recipient,-first_reported_on,donor", "-created_at", "updated_at,-id",
    ];

    [Theory]
    [MemberData(nameof(Sorts))]
    public async Task A_walk_visits_every_row_once_in_the_order_linq_computes(string sort)
    {
        var all = await AllRowsAsync();
        var expected = LinqOrder(all, sort).Select(Id).ToList();

        var walked = await WalkAsync($"/api/v1/donations?sort={sort}&limit=17");

        Assert.Equal(expected, walked);
    }

    [Theory]
    [InlineData("-announced_on")]
    [InlineData("quantity,-id")]
    [InlineData("first_reported_on,donor")]
    public async Task A_walk_with_inserts_and_deletes_between_pages_visits_each_surviving_row_exactly_once(string sort)
    {
        var editor = app.Editor();
        var before = (await AllRowsAsync()).Select(Id).ToHashSet();
        var deleted = new HashSet<long>();
        var seen = new List<long>();
        var url = $"/api/v1/donations?sort={sort}&limit=25";
        var round = 0;
        while (url is not null)
        {
            var page = await app.Anonymous().GetJsonAsync<JsonObject>(url);
            seen.AddRange(page["items"]!.AsArray().Select(item => Id(item!)));
            url = page["next"]?.GetValue<string>()!;

            // Between pages: add a row, and delete one not yet seen.
            round++;
            var created = await editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("announced_on", $"2023-0{1 + round % 9}-1{round % 10}")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var victim = before.Except(seen).Except(deleted).OrderBy(id => id).Skip(round).FirstOrDefault();
            if (victim > 0)
            {
                var current = await app.Anonymous().GetAsync($"/api/v1/donations/{victim}");
                await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{victim}", ifMatch: current.Headers.ETag!.Tag);
                deleted.Add(victim);
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(before.Except(deleted).Except(seen));
        Assert.Empty(seen.Intersect(deleted));
    }

    [Fact]
    public async Task An_edited_cursor_is_refused()
    {
        var first = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?sort=-announced_on&limit=5");
        var next = first["next"]!.GetValue<string>();
        var cursor = Uri.UnescapeDataString(next[(next.IndexOf("cursor=", StringComparison.Ordinal) + 7)..]);
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor.AsSpan(0, dot)));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"20", "\"19", StringComparison.Ordinal))) + cursor[dot..];

        var response = await app.Anonymous().GetAsync($"/api/v1/donations?sort=-announced_on&limit=5&cursor={forged}");

        Assert.NotEqual(payload, payload.Replace("\"20", "\"19", StringComparison.Ordinal));
        await response.AssertProblemNamingAsync("cursor");
    }

    [Fact]
    public async Task A_cursor_used_with_another_sort_is_refused()
    {
        var first = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?sort=-announced_on&limit=5");
        var next = first["next"]!.GetValue<string>();

        var response = await app.Anonymous().GetAsync(next.Replace("sort=-announced_on", "sort=donor", StringComparison.Ordinal));

        await response.AssertProblemNamingAsync("cursor");
    }

    [Theory]
    [InlineData("colour")]
    [InlineData("donor,donor")]
    [InlineData("id,donor")]
    [InlineData("-")]
    [InlineData("donor,,status")]
    public async Task A_bad_sort_is_refused_naming_sort(string sort)
    {
        await (await app.Anonymous().GetAsync($"/api/v1/donations?sort={sort}")).AssertProblemNamingAsync("sort");
    }

    private async Task<List<JsonNode>> AllRowsAsync() =>
        (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?limit=1000"))["items"]!.AsArray().Select(item => item!).ToList();

    private async Task<List<long>> WalkAsync(string url) => (await app.Anonymous().ReadAllPagesAsync(url)).Select(Id).ToList();

    private static long Id(JsonNode item) => item["id"]!.GetValue<long>();

    /// <summary>The order, computed in LINQ from the JSON: nulls last either way, then id the way the last key runs.</summary>
    private static IEnumerable<JsonNode> LinqOrder(List<JsonNode> rows, string sort)
    {
        var keys = sort.Split(',').Select(k => (Name: k.TrimStart('-'), Descending: k.StartsWith('-'))).ToList();
        if (keys[^1].Name != "id") keys.Add(("id", keys[^1].Descending));
        IOrderedEnumerable<JsonNode>? ordered = null;
        foreach (var (name, descending) in keys)
        {
            Func<JsonNode, bool> isNull = row => row[name] is null;
            Func<JsonNode, IComparable> value = name switch
            {
                "id" or "quantity" => row => row[name]?.GetValue<long>() ?? 0L,
                "value_eur" => row => row[name]?.GetValue<decimal>() ?? 0m,
                "created_at" or "updated_at" => row => row[name]!.GetValue<DateTime>(),
                _ => row => row[name]?.GetValue<string>() ?? "",
            };
            ordered = ordered is null ? rows.OrderBy(isNull) : ordered.ThenBy(isNull);
            ordered = descending ? ordered.ThenByDescending(value, Comparer<IComparable>.Default) : ordered.ThenBy(value, Comparer<IComparable>.Default);
        }
        return ordered!;
    }
}
