using System.Collections.Concurrent;
using Dapper;

namespace AidTracker.Api.Storage;

/// <summary>
/// The keys of a reference table (countries, weapon systems) that a request has already found. Reference rows are
/// never deleted, so a key once found stays valid: only keys not yet seen go to the database. That holds with
/// several instances on one database, with nothing to invalidate, and keeps the lookup off every list request.
/// </summary>
public sealed class KnownKeys(string table, string column)
{
    private readonly ConcurrentDictionary<string, bool> _found = new(StringComparer.Ordinal);

    /// <summary>Those of <paramref name="keys"/> that exist.</summary>
    public async Task<IReadOnlySet<string>> ExistingAsync(
        Database connections, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var unseen = keys.Where(key => !_found.ContainsKey(key)).ToList();
        if (unseen.Count > 0)
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var found = await connection.QueryAsync<string>(new CommandDefinition($"SELECT {column} FROM {table} WHERE {connections.Dialect.In(column, "Keys")}", new { Keys = unseen }, cancellationToken: cancellationToken));
            foreach (var key in found) _found.TryAdd(key, true);
        }
        return keys.Where(_found.ContainsKey).ToHashSet(StringComparer.Ordinal);
    }
}
