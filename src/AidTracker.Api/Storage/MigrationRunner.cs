using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using AidTracker.Api.Common;
using Dapper;

namespace AidTracker.Api.Storage;

public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies numbered, forward-only SQL migrations and records each in <c>schema_migrations</c>. Refuses a database
/// whose recorded version is newer than the newest migration this build knows. Each engine supplies its own files
/// (<see cref="Database.Migrations"/>: Storage/Sqlite/Migrations, Storage/Postgres/Migrations) on one numbering:
/// PostgreSQL's schema begins at the version SQLite's had reached when it arrived, in one file, and later changes come
/// as a pair of the same number.
/// </summary>
public static partial class MigrationRunner
{
    /// <summary>The migrations embedded in this assembly under <paramref name="prefix"/> (an engine's Migrations folder), in version order.</summary>
    public static IReadOnlyList<Migration> LoadEmbedded(string prefix)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Parse(name[prefix.Length..], EmbeddedResources.ReadText(assembly, name)))
            .OrderBy(migration => migration.Version)
            .ToList();
    }

    public static Migration Parse(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Migration '{fileName}' is not named NNNN_name.sql.");
        }
        return new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, sql);
    }

    /// <summary>Applies every migration newer than the database, each in its own transaction. Returns the versions applied.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        DbConnection connection, IReadOnlyList<Migration> migrations, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """, cancellationToken: cancellationToken));

        var current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(version) FROM schema_migrations", cancellationToken: cancellationToken)) ?? 0;
        var newestKnown = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > newestKnown)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this build's {newestKnown}. " +
                "Run a newer build of AidTracker, or restore a backup taken before the upgrade.");
        }

        var applied = new List<int>();
        foreach (var migration in migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = Timestamps.Format(clock.GetUtcNow()) },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration.Version);
        }
        return applied;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
