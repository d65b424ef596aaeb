using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using AidTracker.Api.Auth;
using AidTracker.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>What requests do while another write holds the single write lock (an import, say).</summary>
public sealed class WriteLockTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_keyed_read_and_a_keyed_export_answer_at_once_while_a_write_holds_the_lock_and_the_key_use_is_written_after()
    {
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var recorder = app.Services.GetRequiredService<KeyUseRecorder>();
        var secret = (await keys.CreateAsync("reads-during-import", ApiKeyRole.Reader, default))!.Value.Secret;
        var client = app.WithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/api/v1/donations/1")).StatusCode);

        await using (await app.Connections.BeginWriteAsync())
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var watch = Stopwatch.StartNew();
            var read = await client.GetAsync("/api/v1/donations/1", limit.Token);
            var export = await client.GetAsync("/api/v1/exports/donations.csv?donor=POL", limit.Token);
            watch.Stop();

            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the keyed read and export took {watch.ElapsedMilliseconds} ms");
            // The flush finds the lock busy: it gives up at once, and the use waits for the next turn.
            Assert.False(await recorder.FlushAsync(default));
            Assert.Null((await keys.FindAsync(secret, default))!.LastUsedAt);
        }

        Assert.True(await recorder.FlushAsync(default));
        var lastUsed = (await keys.FindAsync(secret, default))!.LastUsedAt;
        Assert.NotNull(lastUsed);
        Assert.EndsWith(":00.0000000Z", lastUsed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_stopped_while_waiting_for_the_write_lock_says_the_database_was_busy()
    {
        await using var shortLimit = app.WithWebHostBuilder(builder => builder.UseSetting("Limits:RequestTimeoutMilliseconds", "2000"));
        var client = shortLimit.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.EditorKey);
        // Warm: the write below is to fail for the lock, not for a cold start under the short limit.
        var warm = await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));
        Assert.True(warm.StatusCode == HttpStatusCode.Created, await warm.Content.ReadAsStringAsync());

        HttpResponseMessage response;
        await using (await shortLimit.Services.GetRequiredService<Database>().BeginWriteAsync())
        {
            response = await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));
        }

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.True(detail.Contains("busy with another write", StringComparison.Ordinal), detail);
        Assert.DoesNotContain("Narrow the filters", detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);
    }
}
