using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Donations;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Idempotency-Key on POST /donations: a retry never records twice.</summary>
public sealed class IdempotencyTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private static HttpRequestMessage Post(JsonObject body, string key) => new(HttpMethod.Post, "/api/v1/donations")
    {
        Content = Http.Json(body),
        Headers = { { "Idempotency-Key", key } },
    };

    private async Task<int> CountAsync(string source) =>
        (await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?donor=ISL&limit=100")).Count(d => d!["notes"]?.GetValue<string>() == source);

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_response_and_records_nothing()
    {
        var body = Donations.Valid(donor: "ISL").With("notes", "Retry test");
        var first = await app.Editor().SendAsync(Post(body, "retry-1"));
        var retry = await app.Editor().SendAsync(Post(body, "retry-1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync("Retry test"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_and_records_nothing()
    {
        var body = Donations.Valid(donor: "ISL").With("notes", "Other body test");
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().SendAsync(Post(body, "other-1"))).StatusCode);
        var problem = await (await app.Editor().SendAsync(Post(body.With("quantity", 7), "other-1"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("Idempotency-Key"));
        Assert.Equal(1, await CountAsync("Other body test"));
    }

    [Fact]
    public async Task Keys_belong_to_the_api_key_that_sent_them()
    {
        var body = Donations.Valid(donor: "ISL").With("notes", "Two holders test");
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().SendAsync(Post(body, "shared-1"))).StatusCode);
        var other = await app.WithKey(app.AdminKey).SendAsync(Post(body, "shared-1"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CountAsync("Two holders test"));
    }

    [Fact]
    public async Task While_a_request_with_a_key_runs_another_with_it_is_told_so()
    {
        var store = app.Services.GetRequiredService<IdempotencyStore>();
        var first = await store.StartAsync(ApiFixture.EditorName, "running-1", new string('a', 64), default);
        var claimed = Assert.IsType<IdempotencyStore.Claimed>(first);
        await (await app.Editor().SendAsync(Post(Donations.Valid(donor: "ISL"), "running-1"))).AssertProblemAsync(HttpStatusCode.Conflict);
        claimed.Claim.Dispose();
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().SendAsync(Post(Donations.Valid(donor: "ISL"), "running-1"))).StatusCode);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public async Task A_malformed_key_is_a_problem_naming_the_header(int length)
    {
        var key = length < 0 ? "tab\there" : new string('k', length);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/donations") { Content = Http.Json(Donations.Valid()) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        await (await app.Editor().SendAsync(request)).AssertProblemNamingAsync("Idempotency-Key");
    }

    [Fact]
    public void A_key_of_256_characters_is_refused()
    {
        Assert.True(IdempotencyStore.IsValidKey(new string('k', 255)));
        Assert.False(IdempotencyStore.IsValidKey(new string('k', 256)));
        Assert.False(IdempotencyStore.IsValidKey("é"));
    }
}
