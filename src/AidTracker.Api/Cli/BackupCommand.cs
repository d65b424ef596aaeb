using System.Diagnostics;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Cli;

/// <summary>
/// <c>backup FILE</c>: a consistent copy of the service's database through SQLite's online backup API, safe while the
/// service runs (in WAL mode the copy reads one snapshot and writers carry on), then checked with
/// <c>PRAGMA integrity_check</c>. docs/operations.md says how to restore it.
/// </summary>
public static class BackupCommand
{
    public const string Usage = """
        backup FILE                               copies the SQLite database to FILE, a new file in a folder that
                                                  exists (never overwritten, never a folder made), while it serves
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (paths.Count != 1)
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        var target = CommandPaths.FullPath(paths[0]);
        if (File.Exists(target))
        {
            await error.WriteLineAsync($"backup: {target} exists; give a new file name.");
            return 2;
        }
        // A folder that is not there is more likely a typo than a wish: it is not made.
        if (Path.GetDirectoryName(target) is { } folder && !Directory.Exists(folder))
        {
            await error.WriteLineAsync($"backup: no folder {folder}; create it first, or correct the path.");
            return 2;
        }

        if (services.GetRequiredService<Database>() is not SqliteDatabase connections)
        {
            await error.WriteLineAsync("backup: the database is PostgreSQL; back it up with pg_dump (see docs/operations.md), not this verb.");
            return 2;
        }
        var stopwatch = Stopwatch.StartNew();
        await using (var source = await connections.OpenSqliteAsync())
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await copy.OpenAsync();
            source.BackupDatabase(copy);
            var check = (await copy.QueryAsync<string>("PRAGMA integrity_check")).ToList();
            // A deleted donation stays, as a tombstone with its history; it is counted apart from the live ones.
            var (donations, deleted) = await copy.QuerySingleAsync<(long, long)>(
                "SELECT count(*) FILTER (WHERE deleted_at IS NULL), count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM donations");
            if (check is not ["ok"])
            {
                await error.WriteLineAsync($"backup: the copy at {target} fails PRAGMA integrity_check: {string.Join("; ", check.Take(10))}");
                return 1;
            }
            await output.WriteLineAsync(
                $"Backed up {connections.DatabasePath} to {target}: {donations:N0} donations" +
                (deleted > 0 ? $" and {deleted:N0} deleted ones kept with their history" : "") + $", {new FileInfo(target).Length / 1e6:N1} MB, " +
                $"{stopwatch.Elapsed.TotalSeconds:N1} s; integrity_check ok.");
        }
        return 0;
    }
}
