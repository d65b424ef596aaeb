using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Dapper;

namespace AidTracker.Tests;

/// <summary>
/// Two API processes on one database: PostgreSQL in the PostgreSQL leg, one SQLite file (WAL, shared by processes)
/// otherwise. The in-process fixture prepares the database and the keys; the two instances are the built service,
/// started with <c>dotnet AidTracker.Api.dll</c> on loopback ports, as a load balancer would see them.
/// </summary>
public sealed class TwoInstancesFixture : ApiFixture
{
    private readonly List<Process> _processes = [];
    private readonly List<string> _output = [];

    public HttpClient[] Instances { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var urls = new[] { FreeLoopbackUrl(), FreeLoopbackUrl() };
        foreach (var url in urls) _processes.Add(Start(url));
        Instances = urls.Select(url => new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) }).ToArray();
        foreach (var instance in Instances) await WaitUntilReadyAsync(instance);
    }

    public HttpClient Editor(int instance)
    {
        var client = new HttpClient { BaseAddress = Instances[instance].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EditorKey);
        return client;
    }

    private Process Start(string url)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "AidTracker.Api.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            dll, "--urls", url, $"--Database:Path={DatabasePath}", "--Logging:LogLevel:Default=Warning",
            "--RateLimits:AnonymousPerSecond=0", "--RateLimits:KeyPerSecond=0", "--RateLimits:ExportsPerMinute=0",
        }.Concat(OnPostgres ? ["--Database:Provider=postgres", $"--Database:ConnectionString={PostgresConnectionString}"] : []))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { lock (_output) _output.Add(line.Data ?? ""); };
        process.ErrorDataReceived += (_, line) => { lock (_output) _output.Add(line.Data ?? ""); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(HttpClient instance)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await instance.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        lock (_output) throw new TimeoutException($"{instance.BaseAddress} did not become ready:\n{string.Join('\n', _output.TakeLast(40))}");
    }

    private static string FreeLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        foreach (var instance in Instances) instance.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class ScaleOutTests(TwoInstancesFixture app) : IClassFixture<TwoInstancesFixture>
{
    [Fact]
    public async Task A_write_through_one_instance_is_read_with_a_new_etag_through_the_other()
    {
        var before = await app.Instances[1].GetAsync("/api/v1/donations?donor=LUX&limit=1000");
        var etag = before.Headers.ETag!.Tag;

        var created = await app.Editor(0).PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "LUX").With("notes", "written on instance 0")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<long>();

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/donations?donor=LUX&limit=1000");
        request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        var after = await app.Instances[1].SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag!.Tag);
        var items = (await after.ReadObjectAsync())["items"]!.AsArray();
        Assert.Contains(items, item => item!["id"]!.GetValue<long>() == id);
        Assert.Equal(HttpStatusCode.OK, (await app.Instances[1].GetAsync($"/api/v1/donations/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_idempotency_key_used_on_one_instance_is_honoured_by_the_other()
    {
        var body = Donations.Valid(donor: "LUX").With("notes", "idempotent across instances");
        var first = await app.Editor(0).SendAsync(Post(body, "across-1"));
        var retry = await app.Editor(1).SendAsync(Post(body, "across-1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, await CountAsync("idempotent across instances"));
        await (await app.Editor(1).SendAsync(Post(body.With("quantity", 3), "across-1"))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_to_both_instances_at_once_records_one_donation()
    {
        for (var round = 0; round < 10; round++)
        {
            var body = Donations.Valid(donor: "LUX").With("notes", $"raced key {round}");
            var responses = await Task.WhenAll(
                app.Editor(0).SendAsync(Post(body, $"race-{round}")),
                app.Editor(1).SendAsync(Post(body, $"race-{round}")));

            // Each is the donation's 201 or, while the other still ran on the same instance, a 409; never two rows.
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
            Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Headers.Location!.OriginalString).Distinct());
            Assert.Equal(1, await CountAsync($"raced key {round}"));
        }
    }

    [Fact]
    public async Task Concurrent_puts_with_if_match_through_both_instances_lose_no_update()
    {
        var created = await app.Editor(0).PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "LUX").With("quantity", 1)));
        var location = created.Headers.Location!.OriginalString;
        const int writers = 4, increments = 10;

        // Each writer adds one to the quantity, ten times, through alternating instances: read, then PUT with If-Match,
        // and on 412 (someone else wrote in between) read again.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            for (var done = 0; done < increments;)
            {
                var client = app.Editor((writer + done) % 2);
                var current = await client.GetAsync(location);
                var quantity = (await current.ReadObjectAsync())["quantity"]!.GetValue<long>();
                var put = await client.SendAsync(HttpMethod.Put, location, Http.Json(Donations.Valid(donor: "LUX").With("quantity", quantity + 1)), current.Headers.ETag!.Tag);
                if (put.StatusCode == HttpStatusCode.OK) done++;
                else Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
            }
        }));

        var final = await app.Instances[1].GetJsonAsync<JsonObject>(location);
        Assert.Equal(1 + writers * increments, final["quantity"]!.GetValue<long>());
        Assert.Equal(1 + writers * increments, final["version"]!.GetValue<long>());
        var history = await app.Instances[0].GetJsonAsync<JsonObject>($"{location}/history");
        Assert.Equal(Enumerable.Range(1, 1 + writers * increments).Select(q => (long)q),
            history["items"]!.AsArray().Select(entry => entry!["record"]!["quantity"]!.GetValue<long>()));
    }

    private static HttpRequestMessage Post(JsonObject body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/donations") { Content = Http.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<long> CountAsync(string source)
    {
        await using var connection = await app.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM donations WHERE notes = @source", new { source });
    }
}
