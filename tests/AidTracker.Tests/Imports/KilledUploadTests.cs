using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AidTracker.Tests;

/// <summary>
/// The built service as its own process (<c>dotnet AidTracker.Api.dll</c>, with a system temp folder of its own), killed
/// with SIGKILL while an upload is half received: nothing of the upload may be left, in the temp folder or in scratch/.
/// </summary>
public sealed class KilledUploadTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private const string Header = "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source";

    [Fact]
    public async Task A_kill_during_an_upload_leaves_nothing_in_the_system_temp_folder_or_in_scratch()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/PID/fd shows when the upload is open
        _ = app.Services; // the database and the keys, made by the in-process service
        var temp = Directory.CreateDirectory(Path.Combine(app.Folder, "system-temp")).FullName;
        var scratch = Path.Combine(app.Folder, "scratch");

        using (var service = await StartAsync(temp))
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, service.Port);
            var part = Encoding.UTF8.GetBytes($"{Header}\n" + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,Half sent\n", 2_000)));
            var head = $"POST /api/v1/imports/donations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {app.EditorKey}\r\nContent-Type: text/csv\r\nContent-Length: {part.Length * 2}\r\n\r\n";
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head).Concat(part).ToArray());

            // The upload is being written somewhere when the service holds a file of ours open.
            var deadline = Stopwatch.StartNew();
            while (!service.OpenFiles().Any(f => f.StartsWith(temp, StringComparison.Ordinal) || f.StartsWith(scratch, StringComparison.Ordinal)))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The service never opened a file for the upload.");
                await Task.Delay(20);
            }
            service.Kill();
        }

        Assert.Empty(Leftovers(temp));
        Assert.Empty(Leftovers(scratch));
        using (var restarted = await StartAsync(temp)) Assert.Empty(Leftovers(scratch));
    }

    /// <summary>Regular files in <paramref name="folder"/>, apart from the runtime's own diagnostics pipes.</summary>
    private static List<string> Leftovers(string folder) => !Directory.Exists(folder) ? [] :
        Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith("dotnet-diagnostic-", StringComparison.Ordinal)
            && !Path.GetFileName(f).StartsWith("clr-debug-pipe-", StringComparison.Ordinal)).ToList();

    private async Task<ServiceProcess> StartAsync(string temp)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["TMPDIR"] = temp } };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AidTracker.Api.dll"));
        foreach (var argument in new[] { "--urls", $"http://127.0.0.1:{port}", $"--Database:Path={app.DatabasePath}", "--Logging:LogLevel:Default=Warning" }
                     .Concat(app.OnPostgres ? ["--Database:Provider=postgres", $"--Database:ConnectionString={app.PostgresConnectionString}"] : []))
        {
            start.ArgumentList.Add(argument);
        }
        var service = new ServiceProcess(Process.Start(start)!, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                service.Dispose();
                Assert.Fail("The service did not become ready within 60 s.");
            }
        }
    }

    private sealed class ServiceProcess(Process process, int port) : IDisposable
    {
        public int Port => port;

        /// <summary>The targets of /proc/PID/fd: what the service holds open.</summary>
        public List<string> OpenFiles()
        {
            try
            {
                return new DirectoryInfo($"/proc/{process.Id}/fd").EnumerateFileSystemInfos().Select(fd => fd.LinkTarget ?? "").ToList();
            }
            catch (IOException)
            {
                return []; // a descriptor closed while listed
            }
        }

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited) Kill();
            process.Dispose();
        }
    }
}
