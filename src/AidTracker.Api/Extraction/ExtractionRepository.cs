using System.Data;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Extraction;

/// <summary>
/// The extractions table (migration 0023): each text read by POST /extractions, keyed by the source it recorded, with
/// what was read from it (the reading column: the drafts' ids, quotes and fields' words, and the unresolved sentences,
/// as JSON), written once in the transaction that records the source and the drafts.
/// </summary>
public sealed class ExtractionRepository(Database connections, RecordRepository<SourceRow> sources, DonationRepository donations, ReferenceNames names)
{
    /// <summary>The most drafts one text makes: past it, the text is refused (split it).</summary>
    public const int MaxDrafts = 500;

    /// <summary>The new extraction's id, or why the text is refused (its field is <c>text</c>).</summary>
    public sealed record Outcome(long? Id, string? Refusal);

    /// <summary>A draft as the extraction keeps it: the donation's id, the sentence it quotes, and its fields' words.</summary>
    private sealed record ReadDraft(long Id, int QuoteStart, int QuoteEnd, IReadOnlyList<FieldWords> Because);

    private sealed record ReadMention(int QuoteStart, int QuoteEnd, string Reason);

    /// <summary>What an extraction read, as the reading column keeps it (JSON, snake_case).</summary>
    private sealed record Reading(IReadOnlyList<ReadDraft> Drafts, IReadOnlyList<ReadMention> Unresolved);

    private static readonly JsonSerializerOptions ReadingJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Reads a request's text against its source's date (to the day, for "on Saturday") and records the source, its
    /// drafts and the extraction (<see cref="CreateAsync"/>): what POST /extractions and the extract verb do.
    /// </summary>
    /// <remarks><paramref name="alsoRecord"/> gets the answer as it stands inside the transaction, to store it there (an Idempotency-Key's).</remarks>
    public async Task<Outcome> RecordAsync(
        ExtractionRequest request, ChangeContext change, CancellationToken cancellationToken, Func<WriteScope, ExtractionResponse, Task>? alsoRecord = null)
    {
        var text = request.Text!;
        var publishedOn = PartialDate.TryParse(request.Source!.PublishedOn, out var published) && published.Precision == DatePrecision.Day ? published.Start : (DateOnly?)null;
        var result = new Extractor(await names.GazetteerAsync(cancellationToken)).Extract(text, publishedOn);
        var (drafts, unresolved) = ExtractionDrafts.Split(result, text, DateOnly.FromDateTime(change.Clock.GetUtcNow().UtcDateTime));
        if (drafts.Count > MaxDrafts)
        {
            return new Outcome(null, $"The text states {drafts.Count:N0} records, more than the {MaxDrafts} one extraction makes: split it and send each part.");
        }
        return new Outcome(await CreateAsync(SourceWrite.From(request.Source), text, drafts, unresolved, change, alsoRecord, cancellationToken), null);
    }

    /// <summary>The extraction of source <paramref name="sourceId"/> as the API shows it, its drafts as they stand now; null when there is none.</summary>
    public async Task<ExtractionResponse?> ResponseAsync(long sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ResponseAsync(connection, null, sourceId, cancellationToken);
    }

    private async Task<ExtractionResponse?> ResponseAsync(IDbConnection connection, IDbTransaction? transaction, long sourceId, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<ExtractionRow>(new CommandDefinition(
            "SELECT source_id AS SourceId, text AS Text, reading AS Reading, created_at AS CreatedAt, created_by AS CreatedBy FROM extractions WHERE source_id = @SourceId",
            new { SourceId = sourceId }, transaction, cancellationToken: cancellationToken));
        if (stored is null) return null;
        var (text, reading) = (stored.Text, JsonSerializer.Deserialize<Reading>(stored.Reading, ReadingJson)!);
        var drafts = new List<ExtractionDraft>(reading.Drafts.Count);
        foreach (var draft in reading.Drafts)
        {
            var row = (await donations.FindAsync(connection, transaction, draft.Id, cancellationToken))!;
            drafts.Add(new ExtractionDraft(draft.Id, row.ReviewState, row.ETag, row.DeletedAt is null ? row.ToResponse() : null,
                Quote(text, draft.QuoteStart, draft.QuoteEnd), draft.Because));
        }
        var source = (await sources.FindAsync(connection, transaction, stored.SourceId, cancellationToken))!;
        return new ExtractionResponse(stored.SourceId, source.ToResponse(), text, Timestamps.Parse(stored.CreatedAt), stored.CreatedBy, drafts,
            [.. reading.Unresolved.Select(u => new ExtractionMention(Quote(text, u.QuoteStart, u.QuoteEnd), u.Reason))]);
    }

    private static ExtractionQuote Quote(string text, int start, int end) => new(start, end, text[start..end]);

    /// <summary>
    /// Records the source and a draft donation for each of <paramref name="drafts"/> citing it, the source a draft too
    /// (whatever the key's right to publish: an extraction is never published unread), and the extraction, in one
    /// transaction; returns the source's id.
    /// </summary>
    private async Task<long> CreateAsync(
        SourceWrite source, string text, IReadOnlyList<ExtractedRecord> drafts, IReadOnlyList<UnresolvedMention> unresolved, ChangeContext change,
        Func<WriteScope, ExtractionResponse, Task>? alsoRecord, CancellationToken cancellationToken)
    {
        var asDrafts = change with { ReviewState = ReviewStates.Draft };
        var row = await sources.CreateAsync(source, new RecordChange(change.ChangedBy, change.RequestId, change.Clock, Publishes: false), cancellationToken, async (write, source) =>
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
            if (alsoRecord is not null) await alsoRecord(write, (await ResponseAsync(write.Connection, write.Transaction, source.Id, cancellationToken))!);
        });
        return row.Id;
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
