using System.ComponentModel;
using System.Text.Json;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Packages;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Review;

/// <summary>
/// <c>GET /review</c>, the queue of drafts (donations, sources, packages), oldest first, and
/// <c>POST /review/{kind}s/{id}</c>, a reviewer's decision (DESIGN.md, "Review"). A record an editor makes is a draft
/// unless the key publishes at once; a reviewer publishes or rejects it, and may not be a key that made a draft version
/// of it (four eyes). A donation is published only once the sources it cites and its package are.
/// </summary>
public static class ReviewEndpoints
{
    /// <summary>The sort a queue cursor is signed for.</summary>
    private const string QueueOrder = "review:updated_at,kind,id";

    internal static readonly IntegerParameter Limit = new("limit", 50, 1, 200);

    public static IServiceCollection AddReview(this IServiceCollection services) => services
        .AddSingleton<DraftQueue>()
        .AddSingleton<IValidator<ReviewRequest>, ReviewRequestValidator>();

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/review").WithTag("Review", "Drafts waiting for a reviewer, and the reviewer's decision: nothing an editor records is public until a second key has published it.").WithApiConventions();
        group.MapGroup("").RequireApiKey(Policies.Editor).MapGet("/", Queue).WithName("ListDrafts")
            .WithQueryValues([Limit])
            .WithSummary("List the drafts waiting for review")
            .WithDescription("Every draft donation, source and package, the one changed longest ago first, with the record as it stands, who last changed it, its ETag and, for a donation, the sources its evidence cites. Needs the key of an editor, reviewer or admin. Follow 'next' (also a Link header) for the next page.");
        var reviewer = group.MapGroup("").RequireApiKey(Policies.Reviewer).WithValidation();
        Decision(reviewer.MapPost("/donations/{id}", DecideDonation).WithName("ReviewDonation"), "donation",
            " A donation is published only once the sources its evidence cites and its package are published (409 otherwise).");
        Decision(reviewer.MapPost("/sources/{id}", DecideSource).WithName("ReviewSource"), "source", "");
        Decision(reviewer.MapPost("/packages/{id}", DecidePackage).WithName("ReviewPackage"), "package", "");
        return group;
    }

    private static void Decision(RouteHandlerBuilder endpoint, string noun, string more) => endpoint
        .WithSummary($"Publish or reject a draft {noun}")
        .WithDescription($"Publishes a draft {noun} (it becomes public) or rejects it, with a comment (required to reject), as a new version in its history. Needs a reviewer's or admin's key that made no draft version of it (403 otherwise), and If-Match with the draft's ETag. 409 when the {noun} is not a draft.{more}")
        .WithRequestHeader("If-Match", "The draft's ETag as you last read it (or *): 428 without it, 412 when it has changed since.", required: true)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithResponseHeader("ETag", $"The {noun}'s new ETag.", StatusCodes.Status200OK);

    public static async Task<Results<PageResult<ReviewQueue>, ValidationProblem>> Queue(
        [FromQuery(Name = "limit"), Description("Drafts per page.")] int? limit,
        [FromQuery(Name = "cursor"), Description("The opaque position from a previous page's 'next' link. Do not build or edit it.")] string? cursor,
        DraftQueue queue, DonationRepository donations, RecordRepository<SourceRow> sources, RecordRepository<PackageRow> packages, PageCursor cursors,
        HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var take = Limit.Parse(limit, errors);
        QueuedDraft? after = null;
        if (cursor is not null)
        {
            after = await cursors.DecodeAsync(cursor, cancellationToken) is { Sort: QueueOrder, Values: [{ ValueKind: JsonValueKind.String } at, { ValueKind: JsonValueKind.String } kind, { ValueKind: JsonValueKind.Number } id] }
                && id.TryGetInt64(out var afterId) ? new QueuedDraft(kind.GetString()!, afterId, at.GetString()!) : null;
            if (after is null) errors.Add("cursor", "The cursor is malformed or has been altered. Use the 'next' link of a previous page as it was given.");
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (drafts, nextAfter) = await queue.PageAsync(after, take!.Value, cancellationToken);
        var items = new List<ReviewItem>(drafts.Count);
        foreach (var draft in drafts)
        {
            // A draft published or deleted since the page was read is left out.
            var item = draft.Kind switch
            {
                "donation" => await donations.FindAsync(draft.Id, cancellationToken) is { DeletedAt: null, ReviewState: ReviewStates.Draft } row ? await ItemAsync(row, donations, sources, cancellationToken) : null,
                "source" => await sources.FindAsync(draft.Id, cancellationToken) is { DeletedAt: null, ReviewState: ReviewStates.Draft } source ? await ItemAsync(source, sources, cancellationToken) : null,
                _ => await packages.FindAsync(draft.Id, cancellationToken) is { DeletedAt: null, ReviewState: ReviewStates.Draft } package ? await ItemAsync(package, packages, cancellationToken) : null,
            };
            if (item is not null) items.Add(item);
        }
        var next = nextAfter is null ? null : Links.WithQueryValue(http.Request, "cursor", await cursors.EncodeAsync(QueueOrder, nextAfter, cancellationToken));
        return new PageResult<ReviewQueue>(new ReviewQueue(items, next), next);
    }

    public static async Task<Results<Ok<ReviewItem>, ProblemHttpResult, ValidationProblem>> DecideDonation(
        [Description("The donation id.")] long id, ReviewRequest request, DonationRepository donations, RecordRepository<SourceRow> sources,
        HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reviewer = ChangeContext.From(http, clock);
        var row = await donations.FindAsync(id, cancellationToken);
        if (Refusal("donation", id, row, http) is { } refused) return refused;
        if (await donations.DraftedByAsync(id, reviewer.ChangedBy, cancellationToken)) return FourEyes("donation", id, reviewer.ChangedBy);

        var outcome = await donations.ReviewAsync(id, row!.Version, State(request), request.Comment, reviewer, cancellationToken);
        if (outcome.Status == WriteStatus.Stale) return Stale("donation", id, ETags.ForRow(outcome.CurrentVersion!.Value, outcome.ReferenceVersion), http);
        if (outcome.Status != WriteStatus.Done) return Deleted("donation", id);
        http.Response.Headers.ETag = outcome.Row!.ETag;
        return TypedResults.Ok(await ItemAsync(outcome.Row, donations, sources, cancellationToken));
    }

    public static Task<Results<Ok<ReviewItem>, ProblemHttpResult, ValidationProblem>> DecideSource(
        [Description("The source id.")] long id, ReviewRequest request, RecordRepository<SourceRow> sources, HttpContext http, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideRecordAsync("source", id, request, sources, row => ItemAsync(row, sources, cancellationToken), http, clock, cancellationToken);

    public static Task<Results<Ok<ReviewItem>, ProblemHttpResult, ValidationProblem>> DecidePackage(
        [Description("The package id.")] long id, ReviewRequest request, RecordRepository<PackageRow> packages, HttpContext http, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideRecordAsync("package", id, request, packages, row => ItemAsync(row, packages, cancellationToken), http, clock, cancellationToken);

    /// <summary>A decision on a draft source or package: the same checks, and the same kind of version, as a donation's.</summary>
    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult, ValidationProblem>> DecideRecordAsync<TRow>(
        string noun, long id, ReviewRequest request, RecordRepository<TRow> records, Func<TRow, Task<ReviewItem>> item,
        HttpContext http, TimeProvider clock, CancellationToken cancellationToken) where TRow : VersionedRow, new()
    {
        var reviewer = ChangeContext.From(http, clock);
        var row = await records.FindAsync(id, cancellationToken);
        if (Refusal(noun, id, row is null ? null : (row.DeletedAt, row.Version, row.ReviewState, ETags.ForRow(row.Version, row.DataVersion)), http) is { } refused) return refused;
        if (await records.DraftedByAsync(id, reviewer.ChangedBy, cancellationToken)) return FourEyes(noun, id, reviewer.ChangedBy);

        var decided = new RecordChange(reviewer.ChangedBy, reviewer.RequestId, clock) { ReviewState = State(request) };
        var outcome = await records.ReviewAsync(id, row!.Version, request.Comment, decided, cancellationToken);
        if (outcome.Status == RecordWriteStatus.Stale) return Stale(noun, id, ETags.ForRow(outcome.CurrentVersion!.Value, outcome.DataVersion), http);
        if (outcome.Status != RecordWriteStatus.Done) return Deleted(noun, id);
        http.Response.Headers.ETag = ETags.ForRow(outcome.Row!.Version, outcome.Row.DataVersion);
        return TypedResults.Ok(await item(outcome.Row));
    }

    private static string State(ReviewRequest request) => request.Decision == ReviewDecision.Publish ? ReviewStates.Published : ReviewStates.Rejected;

    /// <summary>Why no decision can be taken on this record as read: without If-Match, unknown, deleted, changed since, or not a draft; null when one can.</summary>
    private static ProblemHttpResult? Refusal(string noun, long id, DonationRow? row, HttpContext http) =>
        Refusal(noun, id, row is null ? null : (row.DeletedAt, row.Version, row.ReviewState, row.ETag), http);

    private static ProblemHttpResult? Refusal(string noun, long id, (string? DeletedAt, long Version, string ReviewState, string ETag)? row, HttpContext http)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted))
        {
            return Problems.Status(StatusCodes.Status428PreconditionRequired,
                $"Send If-Match with the ETag of draft {noun} {id} as you last read it (GET /api/v1/review), so that you decide on the version you read.");
        }
        if (row is not { } found) return Problems.NotFound($"No {noun} has the id {id}.");
        if (found.DeletedAt is not null) return Deleted(noun, id);
        if (accepted is not null && !accepted.Contains(found.Version)) return Stale(noun, id, found.ETag, http);
        if (found.ReviewState != ReviewStates.Draft)
        {
            return Problems.Conflict($"{Capitalised(noun)} {id} is {found.ReviewState}, not a draft: only a draft is published or rejected. An editor's change makes it a draft again.");
        }
        return null;
    }

    private static ProblemHttpResult FourEyes(string noun, long id, string key) => Problems.Status(StatusCodes.Status403Forbidden,
        $"The key '{key}' made a draft version of {noun} {id}: another reviewer must decide on it (four eyes).");

    private static ProblemHttpResult Deleted(string noun, long id) => Problems.Gone($"{Capitalised(noun)} {id} was deleted. Its history is at /api/v1/{noun}s/{id}/history.");

    private static ProblemHttpResult Stale(string noun, long id, string current, HttpContext http)
    {
        http.Response.Headers.ETag = current;
        return Problems.Status(StatusCodes.Status412PreconditionFailed,
            $"{Capitalised(noun)} {id} has changed since you read it: it is now at ETag {current}. Read it again (GET /api/v1/review) before deciding.");
    }

    private static string Capitalised(string noun) => char.ToUpperInvariant(noun[0]) + noun[1..];

    private static async Task<ReviewItem> ItemAsync(DonationRow row, DonationRepository donations, RecordRepository<SourceRow> sources, CancellationToken cancellationToken)
    {
        var (changedBy, changedAt) = await donations.LastChangeAsync(row.Id, row.Version, cancellationToken);
        var cited = new List<SourceResponse>();
        foreach (var sourceId in row.Evidence.Select(e => e.SourceId).Distinct().Order())
        {
            if (await sources.FindAsync(sourceId, cancellationToken) is { } source) cited.Add(source.ToResponse());
        }
        return new ReviewItem("donation", row.Id, row.ReviewState, row.ReviewComment, changedBy, Timestamps.Parse(changedAt), row.ETag, row.ToResponse(), cited);
    }

    private static async Task<ReviewItem> ItemAsync(SourceRow row, RecordRepository<SourceRow> sources, CancellationToken cancellationToken)
    {
        var (changedBy, changedAt) = await sources.LastChangeAsync(row.Id, row.Version, cancellationToken);
        return new ReviewItem("source", row.Id, row.ReviewState, row.ReviewComment, changedBy, Timestamps.Parse(changedAt), ETags.ForRow(row.Version, row.DataVersion), null, [], Source: row.ToResponse());
    }

    private static async Task<ReviewItem> ItemAsync(PackageRow row, RecordRepository<PackageRow> packages, CancellationToken cancellationToken)
    {
        var (changedBy, changedAt) = await packages.LastChangeAsync(row.Id, row.Version, cancellationToken);
        return new ReviewItem("package", row.Id, row.ReviewState, row.ReviewComment, changedBy, Timestamps.Parse(changedAt), ETags.ForRow(row.Version, row.DataVersion), null, [], Package: row.ToResponse());
    }
}
