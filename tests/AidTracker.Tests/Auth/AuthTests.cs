using System.Net;
using AidTracker.Api.Auth;
using AidTracker.Api.Cli;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

public sealed class AuthTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Write_without_a_key_returns_401_problem_with_bearer_challenge()
    {
        var response = await app.Anonymous().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("atk_not-a-real-key")]
    [InlineData("")]
    public async Task Write_with_an_unknown_key_returns_401(string key)
    {
        var response = await app.WithKey(key).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Write_with_a_non_bearer_scheme_returns_401()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Basic {app.EditorKey}");

        await (await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Write_with_a_revoked_key_returns_401()
    {
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var (_, secret) = (await keys.CreateAsync("soon-revoked", ApiKeyRole.Editor, default))!.Value;
        Assert.Equal(HttpStatusCode.Created, (await app.WithKey(secret).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);

        Assert.NotEmpty(await keys.RevokeAsync("soon-revoked", default));

        await (await app.WithKey(secret).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Reader_key_cannot_write_donations_and_gets_403()
    {
        await (await app.WithKey(app.ReaderKey).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Editor_key_cannot_write_reference_data_and_gets_403()
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["code"] = "ZZZ", ["name"] = "Z", ["kind"] = "state" };

        await (await app.Editor().PostAsync("/api/v1/countries", Http.Json(body))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await app.Editor().PutAsync("/api/v1/weapon-systems/nlaw", Http.Json("{}"))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admin_key_may_write_donations()
    {
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);
    }

    [Fact]
    public async Task Reads_need_no_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/api/v1/donations")).StatusCode);
    }

    /// <summary>Every kind of route: reads (cached and not), exports, health, the dashboard page and the OpenAPI document.</summary>
    public static TheoryData<string> EveryKindOfRoute => new(ReadCachingTests.Reads.Concat(
        ["/api/v1/donations/1", "/api/v1/exports/donations.parquet?donor=POL", "/health/live", "/health/ready", "/", "/app.js", "/swagger/v1/swagger.json"]));

    [Theory]
    [MemberData(nameof(EveryKindOfRoute))]
    public async Task A_bad_key_sent_on_any_route_is_a_401_saying_why_even_when_the_answer_is_cached(string url)
    {
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(url)).StatusCode);
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var revoked = (await keys.CreateAsync($"revoked-{Guid.NewGuid():N}", ApiKeyRole.Reader, default))!.Value;
        await keys.RevokeAsync(revoked.Key.Id, default);
        var expired = (await keys.CreateAsync($"expired-{Guid.NewGuid():N}", ApiKeyRole.Reader, default, DateTimeOffset.UtcNow.AddMinutes(-1)))!.Value;
        var malformed = app.Anonymous();
        malformed.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "x");

        foreach (var (client, reason) in new[]
        {
            (app.WithKey("atk_not-a-real-key"), "unknown"), (app.WithKey(revoked.Secret), "revoked"),
            (app.WithKey(expired.Secret), "expired"), (malformed, "malformed"),
        })
        {
            var response = await client.GetAsync(url);

            var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.True(response.Headers.CacheControl!.NoStore);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(app.ReaderKey).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task A_bad_key_gets_401_not_304_for_a_current_etag()
    {
        var first = await app.Anonymous().GetAsync("/api/v1/countries");
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/countries");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "atk_not-a-real-key");

        await (await app.Anonymous().SendAsync(request)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer   ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_malformed_authorization_header_on_a_read_is_a_401_saying_so(string header)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        var problem = await (await client.GetAsync("/api/v1/countries")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("malformed", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_create_command_prints_a_prefixed_secret_once_and_stores_only_its_hash()
    {
        var output = new StringWriter();
        var exit = await KeysCommand.RunAsync(app.Services, ["create", "--name", "alice", "--role", "editor"], output, new StringWriter());

        Assert.Equal(0, exit);
        var secret = output.ToString().Trim().Split('\n')[^1].Trim();
        Assert.StartsWith(ApiKeyRepository.SecretPrefix, secret, StringComparison.Ordinal);
        await using var connection = await app.Connections.OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT name || role || secret_hash || created_at FROM api_keys")).ToList();
        Assert.DoesNotContain(stored, row => row.Contains(secret, StringComparison.Ordinal));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM api_keys WHERE secret_hash = @Hash", new { Hash = ApiKeyRepository.Hash(secret) }));
        Assert.Equal(HttpStatusCode.Created, (await app.WithKey(secret).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);
    }

    [Fact]
    public async Task Keys_commands_list_and_revoke_and_refuse_bad_arguments()
    {
        var error = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["create", "--name", "bob", "--role", "admin"], new StringWriter(), error));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["create", "--name", "bob", "--role", "admin"], new StringWriter(), error));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["create", "--name", "carol", "--role", "king"], new StringWriter(), error));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["frobnicate"], new StringWriter(), error));
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["create", "--Database:Path=elsewhere.db", "--name", "dave", "--role", "reader"], new StringWriter(), error));

        var list = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["list"], list, error));
        Assert.Contains("\tbob\tadmin\t", list.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["revoke", "--name", "bob"], new StringWriter(), error));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--name", "bob"], new StringWriter(), error));
    }

    [Fact]
    public async Task History_records_the_name_of_the_key_that_wrote()
    {
        var created = await (await app.Admin().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).ReadObjectAsync();

        var history = await app.Anonymous().GetJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/donations/{created["id"]}/history");

        Assert.Equal("test-admin", history["items"]![0]!["changed_by"]!.GetValue<string>());
    }

    private async Task<string> SecretOfAsync(params string[] args)
    {
        var output = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, args, output, new StringWriter()));
        return output.ToString().Trim().Split('\n')[^1].Trim();
    }

    private Task<HttpResponseMessage> WriteWithAsync(string secret) => app.WithKey(secret).PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));

    [Fact]
    public async Task An_expired_key_is_refused_and_says_so()
    {
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var expired = (await keys.CreateAsync("expired-key", ApiKeyRole.Editor, default, DateTimeOffset.UtcNow.AddMinutes(-1)))!.Value.Secret;
        var problem = await (await WriteWithAsync(expired)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var lasting = await SecretOfAsync("create", "--name", "lasting-key", "--role", "editor", "--expires-in", "90d");
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(lasting)).StatusCode);
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["create", "--name", "x", "--role", "editor", "--expires-in", "soon"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["create", "--name", "x", "--role", "editor", "--expires-in", "0d"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task Rotation_gives_a_new_secret_and_the_old_one_works_until_the_overlap_ends()
    {
        var first = await SecretOfAsync("create", "--name", "rotating", "--role", "editor");
        var second = await SecretOfAsync("rotate", "--name", "rotating", "--overlap", "1h");
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(second)).StatusCode);

        var third = await SecretOfAsync("rotate", "--name", "rotating", "--overlap", "0s");
        await (await WriteWithAsync(second)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(third)).StatusCode);
        // The first key's own overlap still runs: rotating its successor does not cut it short.
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(first)).StatusCode);
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["rotate", "--name", "nobody"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task Revoking_a_name_revokes_every_secret_it_has_at_once_the_one_in_its_rotation_overlap_too()
    {
        var old = await SecretOfAsync("create", "--name", "alice", "--role", "editor");
        var current = await SecretOfAsync("rotate", "--name", "alice", "--overlap", "24h");
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(old)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(current)).StatusCode);

        var output = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["revoke", "--name", "alice"], output, new StringWriter()));

        await (await WriteWithAsync(old)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await WriteWithAsync(current)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("keys ", output.ToString(), StringComparison.Ordinal);
        var error = new StringWriter();
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--name", "alice"], new StringWriter(), error));
        Assert.Contains("nothing to revoke", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_list_shows_each_secrets_id_and_revoke_by_id_revokes_that_secret_only()
    {
        var old = await SecretOfAsync("create", "--name", "erin", "--role", "editor");
        var current = await SecretOfAsync("rotate", "--name", "erin", "--overlap", "24h");
        var list = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["list"], list, new StringWriter()));
        var ids = list.ToString().Split('\n').Select(line => line.Split('\t')).Where(cells => cells.Length > 1 && cells[1] == "erin").Select(cells => cells[0]).ToList();
        Assert.Equal(2, ids.Count);
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var oldId = (await keys.FindAsync(old, default))!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(oldId, ids);

        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["revoke", "--id", oldId], new StringWriter(), new StringWriter()));

        await (await WriteWithAsync(old)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(current)).StatusCode);
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--id", oldId], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--id", "999999"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--id", "first"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await KeysCommand.RunAsync(app.Services, ["revoke", "--id", oldId, "--name", "erin"], new StringWriter(), new StringWriter()));
        Assert.Equal(HttpStatusCode.Created, (await WriteWithAsync(current)).StatusCode);
    }

    [Fact]
    public async Task A_key_records_when_it_was_last_used_to_the_minute()
    {
        var secret = await SecretOfAsync("create", "--name", "used-key", "--role", "reader");
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        Assert.Null((await keys.FindAsync(secret, default))!.LastUsedAt);
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(secret).GetAsync("/api/v1/countries/POL")).StatusCode);

        await app.Services.GetRequiredService<KeyUseRecorder>().FlushAsync(default);

        var lastUsed = (await keys.FindAsync(secret, default))!.LastUsedAt;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.0000000Z$", lastUsed);
        var list = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(app.Services, ["list"], list, new StringWriter()));
        var line = list.ToString().Split('\n').Single(l => l.Contains("\tused-key\t", StringComparison.Ordinal));
        Assert.EndsWith("\t" + lastUsed![..16] + "Z", line.TrimEnd(), StringComparison.Ordinal);
    }
}
