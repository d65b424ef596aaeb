using AidTracker.Api.Infrastructure;
using Npgsql;

namespace AidTracker.Api.Data;

/// <summary>
/// <c>copy --from ENGINE:WHERE --to ENGINE:WHERE</c>: copies a whole AidTracker database into an empty one, SQLite into
/// PostgreSQL or back (<see cref="DatabaseCopy"/>), and checks that the canonical CSV export has the same SHA-256 on
/// both sides. ENGINE:WHERE is <c>sqlite:FILE</c> or <c>postgres:CONNECTION STRING</c>.
/// </summary>
public static class CopyCommand
{
    private const string Usage =
        "usage: copy --from sqlite:FILE|postgres:CONNECTION --to sqlite:FILE|postgres:CONNECTION   (the target must be empty)";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = CommandOptions.Parse(args);
        if (options.ContainsKey("?") || !options.TryGetValue("from", out var from) || !options.TryGetValue("to", out var to) || options.Count != 2)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        if (Open(from, mustExist: true, out var problem) is not { } source || Open(to, mustExist: false, out problem) is not { } target)
        {
            await error.WriteLineAsync($"copy: {problem}");
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

    private static Database? Open(string spec, bool mustExist, out string problem)
    {
        problem = "";
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var (engine, where) = colon < 0 ? (spec, "") : (spec[..colon], spec[(colon + 1)..]);
        switch (engine)
        {
            case "sqlite" when where.Length > 0:
                var path = CommandPaths.FullPath(where);
                if (mustExist && !File.Exists(path))
                {
                    problem = $"no SQLite file at {path}";
                    return null;
                }
                return new SqliteDatabase(path, 5000);
            case "postgres" when where.Length > 0:
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(where);
                }
                catch (ArgumentException e)
                {
                    problem = $"'{where}' is not an Npgsql connection string: {e.Message}";
                    return null;
                }
                return new PostgresDatabase(where, null);
            default:
                problem = $"'{spec}' is neither sqlite:FILE nor postgres:CONNECTION STRING. {Usage}";
                return null;
        }
    }
}
