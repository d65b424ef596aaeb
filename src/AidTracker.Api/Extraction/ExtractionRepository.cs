using System.Text.Json;
using AidTracker.Api.Donations;
using AidTracker.Api.Review;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Extraction;

/// <summary>
/// The extractions table (migration 0023): each text read by POST /extractions, keyed by the source it recorded, with
/// what was read from it (<see cref="Reading"/>), written once in the transaction that records the source and the drafts.
/// </summary>
public sealed class ExtractionRepository(Database connections, RecordRepository<SourceRow> sources)
{
    /// <summary>A draft as the extraction keeps it: the donation's id, the sentence it quotes, and its fields' words.</summary>
    public sealed record ReadDraft(long Id, int QuoteStart, int QuoteEnd, IReadOnlyList<FieldWords> Because);

    public sealed record ReadMention(int QuoteStart, int QuoteEnd, string Reason);

    /// <summary>What an extraction read, as the reading column keeps it (JSON, snake_case).</summary>
    public sealed record Reading(IReadOnlyList<ReadDraft> Drafts, IReadOnlyList<ReadMention> Unresolved);

    public sealed record Stored(long SourceId, string Text, Reading Reading, string CreatedAt, string CreatedBy);

    private static readonly JsonSerializerOptions ReadingJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Records the source, a draft donation for each of <paramref name="drafts"/> citing it (whatever the key's right to
    /// publish: an extraction is never published unread), and the extraction, in one transaction; returns the source's id.
    /// </summary>
    public async Task<long> CreateAsync(
        SourceWrite source, string text, IReadOnlyList<ExtractedRecord> drafts, IReadOnlyList<UnresolvedMention> unresolved, ChangeContext change,
        CancellationToken cancellationToken)
    {
        var asDrafts = change with { ReviewState = ReviewStates.Draft };
        var row = await sources.CreateAsync(source, new RecordChange(change.ChangedBy, change.RequestId, change.Clock), cancellationToken, async (write, source) =>
        {
            var read = new List<ReadDraft>(drafts.Count);
            foreach (var draft in drafts)
            {
                var id = await DonationRepository.CreateAsync(write, ExtractionDrafts.Write(draft, source.Id, text), asDrafts, cancellationToken);
                read.Add(new ReadDraft(id, draft.Quote.Start, draft.Quote.End, draft.Because));
            }
            var reading = new Reading(read, [.. unresolved.Select(u => new ReadMention(u.Quote.Start, u.Quote.End, u.Reason))]);
            await write.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO extractions (source_id, text, reading, created_at, created_by, request_id) VALUES (@SourceId, @Text, @Reading, @At, @ChangedBy, @RequestId)",
                new
                {
                    SourceId = source.Id, Text = text, Reading = JsonSerializer.Serialize(reading, ReadingJson),
                    At = await write.ChangedAtAsync(change.Clock, cancellationToken), change.ChangedBy, change.RequestId,
                },
                write.Transaction, cancellationToken: cancellationToken));
        });
        return row.Id;
    }

    /// <summary>The extraction that recorded source <paramref name="sourceId"/>, or null.</summary>
    public async Task<Stored?> FindAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ExtractionRow>(new CommandDefinition(
            "SELECT source_id AS SourceId, text AS Text, reading AS Reading, created_at AS CreatedAt, created_by AS CreatedBy FROM extractions WHERE source_id = @SourceId",
            new { SourceId = sourceId }, cancellationToken: cancellationToken));
        return row is null ? null : new Stored(row.SourceId, row.Text, JsonSerializer.Deserialize<Reading>(row.Reading, ReadingJson)!, row.CreatedAt, row.CreatedBy);
    }

    private sealed class ExtractionRow
    {
        public long SourceId { get; set; }
        public string Text { get; set; } = "";
        public string Reading { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string CreatedBy { get; set; } = "";
    }
}
