using AidTracker.Api.Dataset;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Cli;

/// <summary>
/// <c>copy --from ENGINE:WHERE --to ENGINE:WHERE</c>: copies a whole AidTracker database into an empty one, SQLite into
/// PostgreSQL or back (<see cref="DatabaseCopy"/>), and checks that the canonical CSV export has the same SHA-256 on
/// both sides. ENGINE:WHERE is <c>sqlite:FILE</c> or <c>postgres:CONNECTION STRING</c>.
/// </summary>
public static class CopyCommand
{
    public const string Usage = """
        copy --from sqlite:FILE|postgres:CONNECTION --to sqlite:FILE|postgres:CONNECTION
                                                  copies a whole database into an empty one and checks the CSV export's
                                                  SHA-256 on both sides; --from must exist; --to is a new or empty
                                                  SQLite file in a folder that exists, or an empty PostgreSQL database
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = CommandOptions.Parse(args);
        if (options.ContainsKey("?") || !options.TryGetValue("from", out var from) || !options.TryGetValue("to", out var to) || options.Count != 2)
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        var (source, problem) = await OpenAsync("--from", from, mustExist: true);
        var (target, targetProblem) = source is null ? (null, "") : await OpenAsync("--to", to, mustExist: false);
        if (source is null || target is null)
        {
            source?.Dispose();
            await error.WriteLineAsync($"copy: {(source is null ? problem : targetProblem)}");
            return 2;
        }
        using (source)
        using (target)
        {
            DatabaseCopy.Result result;
            try
            {
                result = await DatabaseCopy.CopyAsync(source, target, services.GetService<TimeProvider>() ?? TimeProvider.System);
            }
            catch (InvalidOperationException e)
            {
                await error.WriteLineAsync($"copy: {e.Message}");
                return 1;
            }
            await output.WriteLineAsync(
                $"Copied {result.Donations:N0} donations and {result.HistoryRows:N0} history rows from {source.Description} to {target.Description} " +
                $"in {result.Elapsed.TotalSeconds:N1} s.");
            if (!result.Matches)
            {
                await error.WriteLineAsync($"copy: the CSV exports differ: source {result.SourceSha256}, target {result.TargetSha256}.");
                return 1;
            }
            await output.WriteLineAsync($"CSV export SHA-256, the same on both sides: {result.SourceSha256}");
            return 0;
        }
    }

    /// <summary>The database ENGINE:WHERE names, or null and why not.</summary>
    private static async Task<(Database? Database, string Problem)> OpenAsync(string end, string spec, bool mustExist)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var (engine, where) = colon < 0 ? (spec, "") : (spec[..colon], spec[(colon + 1)..]);
        if (where.Length == 0 || !DatabaseEngines.Names.Contains(engine))
        {
            return (null, $"{end}: '{spec}' is neither sqlite:FILE nor postgres:CONNECTION STRING. Usage:\n{Usage}");
        }
        var (database, problem) = await DatabaseEngines.OpenAsync(engine, where, mustExist, CommandPaths.FullPath);
        return database is null ? (null, $"{end}: {problem}") : (database, "");
    }
}
