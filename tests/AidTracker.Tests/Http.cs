using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>Small helpers for requests and for asserting RFC 9457 problem responses.</summary>
public static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(JsonNode node) => Json(node.ToJsonString());

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts the status, the problem+json media type, and returns the problem body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        // RFC 9457: every problem names its type; here the section of the RFC that defines the status.
        Assert.True(problem["type"]?.GetValue<string>() is { Length: > 0 }, $"Expected a type in {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task<JsonObject> AssertProblemNamingAsync(this HttpResponseMessage response, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var problem = await response.AssertProblemAsync(status);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"Expected errors to name '{field}': {problem.ToJsonString()}");
        Assert.NotEmpty(errors![field]!.AsArray());
        return problem;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Options))!;
    }

    /// <summary>Follows a list's <c>next</c> links to the end and returns every item, in order.</summary>
    public static async Task<List<JsonNode>> ReadAllPagesAsync(this HttpClient client, string url)
    {
        var items = new List<JsonNode>();
        while (url is not null)
        {
            var page = await client.GetJsonAsync<JsonObject>(url);
            items.AddRange(page["items"]!.AsArray().Select(item => item!));
            url = page["next"]?.GetValue<string>()!;
        }
        return items;
    }

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

/// <summary>Donation bodies for tests: a valid one, and copies with one field changed or removed.</summary>
public static class Donations
{
    public static JsonObject Valid(string donor = "POL", string recipient = "UKR", string weaponSystem = "fgm-148-javelin") => new()
    {
        ["donor"] = donor,
        ["recipient"] = recipient,
        ["weapon_system"] = weaponSystem,
        ["quantity"] = 100,
        ["quantity_qualifier"] = "exact",
        ["status"] = "announced",
        ["announced_on"] = "2022-04-01",
        ["evidence"] = new JsonArray(Evidence()),
    };

    /// <summary>A body of POST /donations/{id}/deliveries: one exact instalment with its evidence.</summary>
    public static JsonObject NewDelivery(string deliveredOn = "2022-05-01", long quantity = 10) => new()
    {
        ["delivered_on"] = deliveredOn,
        ["quantity"] = quantity,
        ["quantity_qualifier"] = "exact",
        ["evidence"] = new JsonArray(Evidence(supports: "delivery")),
    };

    /// <summary>The bundled seed source: every seeded test database has it, with id 1.</summary>
    public const long SeedSource = 1;

    /// <summary>A citation of <paramref name="source"/> (the seed source by default) that supports <paramref name="supports"/>.</summary>
    public static JsonObject Evidence(long source = SeedSource, string quote = "Test quote", params string[] supports) => new()
    {
        ["source"] = source,
        ["quote"] = quote,
        ["supports"] = new JsonArray([.. (supports.Length == 0 ? ["announcement"] : supports).Select(s => JsonValue.Create(s))]),
    };

    /// <summary>A request as POST /donations takes it, for tests that write through the repository: the seed source as its evidence.</summary>
    public static AidTracker.Api.Donations.DonationRequest Request(
        string donor = "POL", string recipient = "UKR", string weaponSystem = "nlaw", long? quantity = 10,
        AidTracker.Api.Donations.QuantityQualifier? qualifier = AidTracker.Api.Donations.QuantityQualifier.Exact,
        AidTracker.Api.Donations.DonationStatus status = AidTracker.Api.Donations.DonationStatus.Announced, string? announcedOn = "2022-03-06",
        decimal? valueAmount = null, string? valueCurrency = null, decimal? valueEur = null, string? notes = null, string? quote = "Test quote") => new(
        donor, recipient, null, weaponSystem, null, quantity, qualifier, status, announcedOn, null, valueAmount, valueCurrency, null, valueEur, notes,
        [new AidTracker.Api.Donations.EvidenceRequest(SeedSource, quote, null, null, [AidTracker.Api.Donations.EvidenceSupport.Announcement])], null);

    public static JsonObject With(this JsonObject body, string field, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        copy[field] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject body, string field)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove(field);
        return copy;
    }
}

/// <summary>A clock that always says the same moment.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
