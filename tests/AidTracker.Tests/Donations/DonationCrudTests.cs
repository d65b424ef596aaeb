using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class DonationCrudTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    /// <summary>A donation's ETag: the row version, a dot, the reference data's version.</summary>
    private static string RowETag(long version) => $"^\"{version}\\.[0-9]+\"$";

    private static JsonArray Delivery(string deliveredOn, long quantity) =>
        [new JsonObject { ["delivered_on"] = deliveredOn, ["quantity"] = quantity, ["quantity_qualifier"] = "exact", ["evidence"] = new JsonArray(Donations.Evidence(supports: "delivery")) }];

    private async Task<(long Id, string ETag)> CreateAsync(JsonObject body)
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadObjectAsync();
        return (created["id"]!.GetValue<long>(), response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Post_returns_201_with_location_etag_and_the_stored_record()
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("value_amount", 12.5m).With("value_currency", "USD").With("value_eur", 11.25m)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var id = body["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/donations/{id}", response.Headers.Location!.OriginalString);
        Assert.Matches(RowETag(1), response.Headers.ETag!.Tag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal("Poland", body["donor_name"]!.GetValue<string>());
        Assert.Equal("anti-tank", body["category"]!.GetValue<string>());
        Assert.Equal(12.5m, body["value_amount"]!.GetValue<decimal>());
        Assert.Equal(11.25m, body["value_eur"]!.GetValue<decimal>());
        Assert.EndsWith("Z", body["created_at"]!.GetValue<string>(), StringComparison.Ordinal);

        var fetched = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal(body.ToJsonString(), fetched!.ToJsonString());
    }

    [Fact]
    public async Task Post_without_quantity_stores_it_as_undisclosed_and_leaves_unknowns_null()
    {
        var response = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().Without("quantity").Without("quantity_qualifier")));

        var body = await response.ReadObjectAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Null(body["quantity"]);
        Assert.Equal("undisclosed", body["quantity_qualifier"]!.GetValue<string>());
        Assert.Null(body["funder"]);
        Assert.Null(body["committed_on"]);
        Assert.Null(body["quantity_delivered"]);
        Assert.Null(body["value_basis"]);
        Assert.Equal("2022-03-06", body["first_reported_on"]!.GetValue<string>());
    }

    [Fact]
    public async Task Amounts_are_kept_exactly_in_the_currency_minor_units()
    {
        var (id, _) = await CreateAsync(Donations.Valid().With("value_amount", 1234567.891m).With("value_currency", "KWD").With("value_eur", 0.01m));

        var body = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal(1234567.891m, body!["value_amount"]!.GetValue<decimal>());
        Assert.Equal(0.01m, body["value_eur"]!.GetValue<decimal>());
        await using var connection = await app.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT value_amount_minor, value_eur_cents FROM donations WHERE id = {id}";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1234567891L, Assert.IsType<long>(reader.GetValue(0)));
        Assert.Equal(1L, Assert.IsType<long>(reader.GetValue(1)));
    }

    [Fact]
    public async Task The_largest_amount_fits_in_a_four_decimal_currency_and_one_more_is_refused()
    {
        var (id, _) = await CreateAsync(Donations.Valid().With("value_amount", 99_999_999_999_999.9999m).With("value_currency", "CLF"));
        var over = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid().With("value_amount", 100_000_000_000_000.0001m).With("value_currency", "CLF")));

        var body = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal(99_999_999_999_999.9999m, body!["value_amount"]!.GetValue<decimal>());
        await over.AssertProblemNamingAsync("value_amount");
    }

    [Fact]
    public async Task Get_with_current_etag_in_if_none_match_returns_304()
    {
        var (id, etag) = await CreateAsync(Donations.Valid());
        var client = app.Anonymous();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/donations/{id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag!.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/donations/{id}");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"999\"");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task Put_without_if_match_returns_428()
    {
        var (id, _) = await CreateAsync(Donations.Valid());

        var response = await app.Editor().PutAsync($"/api/v1/donations/{id}", Http.Json(Donations.Valid().With("quantity", 5)));

        await response.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
    }

    [Fact]
    public async Task Put_with_stale_if_match_returns_412_and_changes_nothing()
    {
        var (id, etag) = await CreateAsync(Donations.Valid());
        var editor = app.Editor();
        Assert.Equal(HttpStatusCode.OK, (await editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid().With("quantity", 5)), etag)).StatusCode);

        var response = await editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid().With("quantity", 7)), etag);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Matches(RowETag(2), response.Headers.ETag!.Tag);
        var stored = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        Assert.Equal(5, stored!["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_with_current_if_match_replaces_the_record_and_bumps_the_version()
    {
        var (id, etag) = await CreateAsync(Donations.Valid());

        var response = await app.Editor().SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}",
            Http.Json(Donations.Valid().With("status", "delivered").With("deliveries", Delivery("2022-05", 100))), etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(RowETag(2), response.Headers.ETag!.Tag);
        var body = await response.ReadObjectAsync();
        Assert.Equal("delivered", body["status"]!.GetValue<string>());
        Assert.Equal("2022-05", body["deliveries"]![0]!["delivered_on"]!.GetValue<string>());
        Assert.Equal(100, body["quantity_delivered"]!.GetValue<long>());
        Assert.Equal(2, body["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_to_an_unknown_id_returns_404()
    {
        var response = await app.Editor().SendAsync(HttpMethod.Put, "/api/v1/donations/987654", Http.Json(Donations.Valid()), "\"1\"");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_needs_if_match_then_tombstones_the_donation()
    {
        var (id, etag) = await CreateAsync(Donations.Valid());
        var editor = app.Editor();

        await (await editor.DeleteAsync($"/api/v1/donations/{id}")).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: "\"42\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var deleted = await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: etag);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await app.Anonymous().GetAsync($"/api/v1/donations/{id}")).AssertProblemAsync(HttpStatusCode.Gone);
        await (await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: "*")).AssertProblemAsync(HttpStatusCode.Gone);
        await using var connection = await app.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM donations WHERE id = {id} AND deleted_at IS NOT NULL";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task History_lists_every_version_oldest_first_with_the_tombstone_and_the_key_name()
    {
        var (id, etag) = await CreateAsync(Donations.Valid());
        var editor = app.Editor();
        var updated = await editor.SendAsync(HttpMethod.Put, $"/api/v1/donations/{id}", Http.Json(Donations.Valid().With("quantity", 250)), etag);
        await editor.SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: updated.Headers.ETag!.Tag);

        var history = await app.Anonymous().GetFromJsonAsync<JsonObject>($"/api/v1/donations/{id}/history");

        var items = history!["items"]!.AsArray();
        Assert.Equal(["create", "update", "delete"], items.Select(i => i!["operation"]!.GetValue<string>()));
        Assert.Equal([1, 2, 3], items.Select(i => i!["version"]!.GetValue<int>()));
        Assert.All(items, i => Assert.Equal(ApiFixture.EditorName, i!["changed_by"]!.GetValue<string>()));
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i!["request_id"]?.GetValue<string>())));
        Assert.Equal(100, items[0]!["record"]!["quantity"]!.GetValue<int>());
        Assert.Equal(250, items[1]!["record"]!["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task History_of_an_unknown_id_returns_404()
    {
        await (await app.Anonymous().GetAsync("/api/v1/donations/555555/history")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_filters_by_every_dimension()
    {
        // Belgium → Moldova is used by no other test, so these are the only rows in the slice.
        var tank = await CreateAsync(Donations.Valid("BEL", "MDA", "leopard-1").With("announced_on", "2023-01-10"));
        var delivered = await CreateAsync(Donations.Valid("BEL", "MDA", "fim-92-stinger").With("announced_on", "2023-02-10").With("status", "delivered").With("deliveries", Delivery("2023-03-01", 100)));
        var late = await CreateAsync(Donations.Valid("BEL", "MDA", "fim-92-stinger").With("announced_on", "2024-06-01"));
        var client = app.Anonymous();

        async Task<long[]> Ids(string query) =>
            (await client.GetJsonAsync<JsonObject>($"/api/v1/donations?donor=BEL&recipient=MDA&{query}"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();

        Assert.Equal(new[] { tank.Id, delivered.Id, late.Id }, await Ids(""));
        Assert.Equal(new[] { tank.Id }, await Ids("category=tank"));
        Assert.Equal(new[] { delivered.Id, late.Id }, await Ids("weapon_system=fim-92-stinger"));
        Assert.Equal(new[] { delivered.Id }, await Ids("status=delivered"));
        Assert.Equal(new[] { tank.Id, late.Id }, await Ids("status=announced,cancelled"));
        Assert.Equal(new[] { delivered.Id }, await Ids("from=2023-02-01&to=2023-12-31"));
        Assert.Equal(new[] { tank.Id, delivered.Id, late.Id }, await Ids("category=tank&category=manpads"));
        Assert.Equal(new[] { tank.Id, delivered.Id, late.Id }, await Ids("donor=POL"));
        Assert.Empty(await Ids("weapon_system=nlaw"));
    }

    [Fact]
    public async Task List_pages_through_every_row_once_with_next_and_link_header()
    {
        var created = new List<long>();
        for (var i = 0; i < 7; i++) created.Add((await CreateAsync(Donations.Valid("AUT", "GEO", "machine-gun"))).Id);
        var client = app.Anonymous();

        var seen = new List<long>();
        var url = "/api/v1/donations?donor=AUT&recipient=GEO&limit=3";
        var pages = 0;
        while (url is not null)
        {
            var response = await client.GetAsync(url);
            var page = await response.ReadObjectAsync();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
            url = page["next"]?.GetValue<string>()!;
            if (url is not null) Assert.Equal($"<{url}>; rel=\"next\"", string.Join(",", response.Headers.GetValues("Link")));
            else Assert.False(response.Headers.Contains("Link"));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task List_leaves_out_deleted_donations()
    {
        var (id, etag) = await CreateAsync(Donations.Valid("CAN", "ARM", "pistol"));
        await app.Editor().SendAsync(HttpMethod.Delete, $"/api/v1/donations/{id}", ifMatch: etag);

        var page = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=CAN&recipient=ARM");

        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task Codes_in_bodies_and_filters_are_case_insensitive_and_stored_upper_case()
    {
        var (id, _) = await CreateAsync(Donations.Valid("dnk", "ukr", "M777"));

        var body = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        var page = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?donor=dnk&weapon_system=M777");

        Assert.Equal("DNK", body["donor"]!.GetValue<string>());
        Assert.Equal("m777", body["weapon_system"]!.GetValue<string>());
        Assert.Contains(page["items"]!.AsArray(), i => i!["id"]!.GetValue<long>() == id);
    }
}
