using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Review;

/// <summary>One draft in the queue: what kind of record it is, its id, and when it last changed (its place in the queue).</summary>
public sealed record QueuedDraft(string Kind, long Id, string UpdatedAt);

/// <summary>
/// The review queue: the live drafts of every kind that is reviewed (donations, sources, packages), the one changed
/// longest ago first, then by kind and id. Each kind's drafts are read from its partial index (migrations 0022 and
/// 0024), a page's worth at most after the position, and only those are merged and sorted.
/// </summary>
public sealed class DraftQueue(Database connections)
{
    /// <summary>The kinds reviewed, as the queue names them, and their tables.</summary>
    private static readonly IReadOnlyList<(string Kind, string Table)> Kinds = [("donation", "donations"), ("package", "packages"), ("source", "sources")];

    /// <summary>A page of drafts after <paramref name="after"/> (updated_at, kind, id of the previous page's last), and the position of its last one when more follow.</summary>
    public async Task<(IReadOnlyList<QueuedDraft> Drafts, object?[]? NextAfter)> PageAsync(QueuedDraft? after, int limit, CancellationToken cancellationToken)
    {
        var branches = Kinds.Select(k => $"""
            SELECT * FROM (
                SELECT '{k.Kind}' AS kind, id, updated_at FROM {k.Table}
                WHERE deleted_at IS NULL AND review_state = '{ReviewStates.Draft}'{After(k.Kind, after)}
                ORDER BY updated_at, id LIMIT @Take) {k.Table}_page
            """);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Kind, long Id, string UpdatedAt)>(new CommandDefinition(
            $"SELECT kind, id, updated_at FROM ({string.Join("\nUNION ALL\n", branches)}) queue ORDER BY updated_at, kind, id LIMIT @Take",
            new { At = after?.UpdatedAt, After = after?.Id, Take = limit + 1 }, cancellationToken: cancellationToken))).AsList();
        var page = rows.Take(limit).Select(row => new QueuedDraft(row.Kind, row.Id, row.UpdatedAt)).ToList();
        return (page, rows.Count > limit ? [page[^1].UpdatedAt, page[^1].Kind, page[^1].Id] : null);
    }

    /// <summary>The condition that a draft of <paramref name="kind"/> comes after the position: the kind decides ties of updated_at.</summary>
    private static string After(string kind, QueuedDraft? after) => after is null ? "" : string.CompareOrdinal(kind, after.Kind) switch
    {
        > 0 => " AND updated_at >= @At",
        0 => " AND (updated_at > @At OR (updated_at = @At AND id > @After))",
        _ => " AND updated_at > @At",
    };
}
