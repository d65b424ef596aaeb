using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace AidTracker.Tests;

/// <summary>
/// On a real Kestrel (loopback, a free port), with a 2 s request time limit and 8 s for an import's upload: room for a
/// 3 s trickle on a busy machine, where each 100 ms step of the trickle takes longer (at 5 s, one failed in CI).
/// </summary>
public sealed class SlowBodyFixture : ApiFixture
{
    public SlowBodyFixture() => UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Limits:RequestTimeoutMilliseconds", "2000");
        builder.UseSetting("Imports:UploadTimeoutSeconds", "8");
    }
}

/// <summary>A body that trickles in is cut off at its time limit with a 408 problem, over a real socket.</summary>
public sealed class SlowBodyTests(SlowBodyFixture app) : IClassFixture<SlowBodyFixture>
{
    private const string CsvHeader = "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,quote";

    [Fact]
    public async Task A_json_body_sent_at_300_bytes_a_second_is_cut_at_the_request_time_limit_with_a_408_problem()
    {
        var body = Encoding.UTF8.GetBytes(Donations.Valid().With("notes", new string('n', 3_000)).ToJsonString());

        var (status, type, problem, elapsed) = await TrickleAsync("/api/v1/donations", "application/json", body, bytesPerSecond: 300, app.EditorKey);

        Assert.Equal(408, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(408, problem["status"]!.GetValue<int>());
        Assert.StartsWith("https://", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("2,000 ms", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Limits:RequestTimeoutMilliseconds", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task An_upload_has_its_own_longer_limit_and_is_cut_at_it_with_a_408_problem()
    {
        var row = "POL,UKR,nlaw,10,exact,announced,2022-03-01,1,Trickled\n";
        // About 3 s at 300 B/s: past the request time limit (2 s), within the upload's (8 s).
        var slow = Encoding.UTF8.GetBytes($"{CsvHeader}\n{string.Concat(Enumerable.Repeat(row, 16))}");
        var (status, _, accepted, _) = await TrickleAsync("/api/v1/imports/donations", "text/csv", slow, bytesPerSecond: 300, app.EditorKey);
        Assert.True(status == 201, accepted.ToJsonString());

        var slower = Encoding.UTF8.GetBytes($"{CsvHeader}\n{string.Concat(Enumerable.Repeat(row, 60))}");
        var (cutStatus, type, problem, elapsed) = await TrickleAsync("/api/v1/imports/donations", "text/csv", slower, bytesPerSecond: 300, app.EditorKey);

        Assert.Equal(408, cutStatus);
        Assert.Equal("application/problem+json", type);
        Assert.Contains("Imports:UploadTimeoutSeconds", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// POSTs <paramref name="body"/> a tenth of <paramref name="bytesPerSecond"/> every 100 ms until the answer comes
    /// (Connection: close, so the answer ends with the connection); the status, media type, body and when it came.
    /// </summary>
    private async Task<(int Status, string? Type, JsonObject Body, TimeSpan Elapsed)> TrickleAsync(
        string path, string contentType, byte[] body, int bytesPerSecond, string? key = null)
    {
        var server = app.CreateClient().BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n" +
                   (key is null ? "" : $"Authorization: Bearer {key}\r\n") + "\r\n";
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var answer = ReadToEndAsync(stream);
        var chunk = Math.Max(1, bytesPerSecond / 10);
        for (var sent = 0; sent < body.Length && !answer.IsCompleted; sent += chunk)
        {
            try
            {
                await stream.WriteAsync(body.AsMemory(sent, Math.Min(chunk, body.Length - sent)));
            }
            catch (IOException)
            {
                break; // the server stopped reading
            }
            await Task.WhenAny(answer, Task.Delay(100));
        }
        var text = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed;

        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..split].Split("\r\n");
        var status = int.Parse(headers[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => headers.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h[1].Trim()).FirstOrDefault();
        var content = text[(split + 4)..];
        if (Header("Transfer-Encoding") == "chunked") content = Dechunk(content);
        return (status, Header("Content-Type")?.Split(';')[0], JsonNode.Parse(content)!.AsObject(), elapsed);
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received);
        }
        catch (IOException)
        {
            // a reset after the answer
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static string Dechunk(string chunked)
    {
        var content = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = int.Parse(chunked[at..end], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) return content.ToString();
            content.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
