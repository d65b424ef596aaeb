using System.Net;
using AidTracker.Api.Cli;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Tests;

/// <summary>The backup verb copies the live database consistently while writes go on.</summary>
public sealed class BackupTests(SqliteFixture app) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task A_backup_taken_during_writes_is_consistent_and_passes_integrity_check()
    {
        using var stop = new CancellationTokenSource();
        var client = app.Editor();
        var acknowledged = 0;
        var writes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "NOR").With("notes", $"backup test {acknowledged}")));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Interlocked.Increment(ref acknowledged);
            }
        });
        while (Volatile.Read(ref acknowledged) < 20) await Task.Delay(10);
        var before = Volatile.Read(ref acknowledged);

        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(app.Folder, "backup")).FullName, "copy.db");
        var output = new StringWriter();
        var exit = await BackupCommand.RunAsync(app.Services, [path], output, new StringWriter());
        stop.Cancel();
        await writes;

        Assert.Equal(0, exit);
        Assert.Contains("integrity_check ok", output.ToString(), StringComparison.Ordinal);
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await copy.OpenAsync();
        Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Empty(await copy.QueryAsync("PRAGMA foreign_key_check"));
        // One snapshot: every donation in the copy has its history, and no history row lacks its donation.
        Assert.Equal(0, await copy.ExecuteScalarAsync<long>("""
            SELECT (SELECT count(*) FROM donations WHERE id NOT IN (SELECT donation_id FROM donation_history))
                 + (SELECT count(*) FROM donation_history WHERE donation_id NOT IN (SELECT id FROM donations))
            """));
        var copied = await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM donations WHERE notes LIKE 'backup test %'");
        // Everything acknowledged before the backup began is in it; what came later may be.
        Assert.InRange(copied, before, acknowledged + 1);
    }

    [Fact]
    public async Task A_backup_into_a_folder_that_does_not_exist_is_refused_and_makes_no_folder()
    {
        var folder = Path.Combine(app.Folder, "backpus");
        var error = new StringWriter();

        Assert.Equal(2, await BackupCommand.RunAsync(app.Services, [Path.Combine(folder, "copy.db")], new StringWriter(), error));

        Assert.Contains($"no folder {folder}", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_backup_counts_deleted_donations_apart_from_the_live_ones()
    {
        var client = app.Editor();
        var response = await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "ISL").With("notes", "deleted before the backup")));
        var created = await response.ReadObjectAsync();
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/donations/{created["id"]}");
        delete.Headers.IfMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(delete)).StatusCode);
        var path = Path.Combine(app.Folder, "counted.db");
        var output = new StringWriter();

        Assert.Equal(0, await BackupCommand.RunAsync(app.Services, [path], output, new StringWriter()));

        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        var (live, deleted) = await copy.QuerySingleAsync<(long, long)>(
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM donations");
        Assert.True(deleted >= 1);
        Assert.Contains($": {live:N0} donations and {deleted:N0} deleted ones kept with their history, ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file()
    {
        var path = Path.Combine(app.Folder, "exists.db");
        await File.WriteAllTextAsync(path, "keep me");
        var error = new StringWriter();
        Assert.Equal(2, await BackupCommand.RunAsync(app.Services, [path], new StringWriter(), error));
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
        Assert.Contains("exists", error.ToString(), StringComparison.Ordinal);
    }
}
