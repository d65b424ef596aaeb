using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Cli;

/// <summary>
/// <c>init</c>: the service's database made ready without serving: created if missing, migrated, and loaded with the
/// bundled data when empty, as the service's first start does (the verb table says so; this prints what is there).
/// The other verbs that use the service's database refuse a missing one, so a first key is made after this.
/// </summary>
public static class InitCommand
{
    public const string Usage = """
        init                                      prepares the service's database as its first start does (schema and
                                                  bundled data): creates a missing SQLite file; on PostgreSQL, fills
                                                  the existing, empty database; the other verbs need one
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (CommandOptions.Parse(args).Count > 0)
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        var database = services.GetRequiredService<Database>();
        await using var connection = await database.OpenPrimaryAsync();
        var (donations, keys) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT count(*) FROM donations WHERE deleted_at IS NULL), (SELECT count(*) FROM api_keys)");
        await output.WriteLineAsync($"The database {database.Description} is ready: {donations:N0} donations, {keys:N0} API keys.");
        return 0;
    }
}
