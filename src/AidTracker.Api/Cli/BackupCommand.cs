using System.Diagnostics;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Cli;

/// <summary>
/// <c>backup FILE</c>: a consistent copy of the service's database, safe while the service runs, then checked
/// (<see cref="Database.BackupAsync"/>: SQLite's online backup API and <c>PRAGMA integrity_check</c>; PostgreSQL
/// refuses, pointing to pg_dump). The verb checks the arguments and reports. docs/operations.md says how to restore it.
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

        var database = services.GetRequiredService<Database>();
        var stopwatch = Stopwatch.StartNew();
        BackupResult backup;
        try
        {
            backup = await database.BackupAsync(target);
        }
        catch (NotSupportedException e)
        {
            await error.WriteLineAsync($"backup: {e.Message}");
            return 2;
        }
        if (!backup.IsSound)
        {
            await error.WriteLineAsync($"backup: the copy at {target} fails PRAGMA integrity_check: {string.Join("; ", backup.IntegrityCheck.Take(10))}");
            return 1;
        }
        await output.WriteLineAsync(
            $"Backed up {database.Description} to {target}: {backup.Donations:N0} donations" +
            (backup.DeletedDonations > 0 ? $" and {backup.DeletedDonations:N0} deleted ones kept with their history" : "") + $", {backup.Bytes / 1e6:N1} MB, " +
            $"{stopwatch.Elapsed.TotalSeconds:N1} s; integrity_check ok.");
        return 0;
    }
}
