using System.ComponentModel;
using System.Text.Json;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Review;

/// <summary>
/// <c>GET /review</c>, the queue of drafts, oldest first, and <c>POST /review/donations/{id}</c>, a reviewer's decision
/// (DESIGN.md, "Review"). A record an editor makes is a draft unless the key publishes at once; a reviewer publishes
/// or rejects it, and may not be a key that made a draft version of it (four eyes).
/// </summary>
public static class ReviewEndpoints
{
    /// <summary>The sort a queue cursor is signed for.</summary>
    private const string QueueOrder = "review:updated_at,id";

    internal static readonly IntegerParameter Limit = new("limit", 50, 1, 200);

    public static IServiceCollection AddReview(this IServiceCollection services) => services
        .AddSingleton<IValidator<ReviewRequest>, ReviewRequestValidator>();

    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/review").WithTag("Review", "Drafts waiting for a reviewer, and the reviewer's decision: nothing an editor records is public until a second key has published it.").WithApiConventions();
        group.MapGroup("").RequireApiKey(Policies.Editor).MapGet("/", Queue).WithName("ListDrafts")
            .WithQueryValues([Limit])
            .WithSummary("List the drafts waiting for review")
            .WithDescription("Every draft donation, the one changed longest ago first, with the record as it stands, who last changed it, its ETag and the sources its evidence cites. Needs the key of an editor, reviewer or admin. Follow 'next' (also a Link header) for the next page.");
        group.MapGroup("").RequireApiKey(Policies.Reviewer).WithValidation().MapPost("/donations/{id}", Decide).WithName("ReviewDonation")
            .WithSummary("Publish or reject a draft donation")
            .WithDescription("Publishes a draft (it becomes public: lists, stats, exports, releases) or rejects it, with a comment (required to reject), as a new version in its history. Needs a reviewer's or admin's key that made no draft version of it (403 otherwise), and If-Match with the draft's ETag. 409 when the donation is not a draft.")
            .WithRequestHeader("If-Match", "The draft's ETag as you last read it (or *): 428 without it, 412 when it has changed since.", required: true)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithResponseHeader("ETag", "The donation's new ETag.", StatusCodes.Status200OK);
        return group;
    }

    public static async Task<Results<PageResult<ReviewQueue>, ValidationProblem>> Queue(
        [FromQuery(Name = "limit"), Description("Drafts per page.")] int? limit,
        [FromQuery(Name = "cursor"), Description("The opaque position from a previous page's 'next' link. Do not build or edit it.")] string? cursor,
        DonationRepository donations, RecordRepository<SourceRow> sources, PageCursor cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var take = Limit.Parse(limit, errors);
        object?[]? after = null;
        if (cursor is not null)
        {
            after = await cursors.DecodeAsync(cursor, cancellationToken) is { Sort: QueueOrder, Values: [{ ValueKind: JsonValueKind.String } at, { ValueKind: JsonValueKind.Number } id] }
                && id.TryGetInt64(out var afterId) ? [at.GetString(), afterId] : null;
            if (after is null) errors.Add("cursor", "The cursor is malformed or has been altered. Use the 'next' link of a previous page as it was given.");
        }
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var (ids, nextAfter) = await donations.DraftsAsync(after, take!.Value, cancellationToken);
        var items = new List<ReviewItem>(ids.Count);
        foreach (var id in ids)
        {
            // A draft published or deleted since the page's ids were read is left out.
            if (await donations.FindAsync(id, cancellationToken) is not { DeletedAt: null, ReviewState: ReviewStates.Draft } row) continue;
            items.Add(await ItemAsync(row, donations, sources, cancellationToken));
        }
        var next = nextAfter is null ? null : Links.WithQueryValue(http.Request, "cursor", await cursors.EncodeAsync(QueueOrder, nextAfter, cancellationToken));
        return new PageResult<ReviewQueue>(new ReviewQueue(items, next), next);
    }

    public static async Task<Results<Ok<ReviewItem>, ProblemHttpResult, ValidationProblem>> Decide(
        [Description("The donation id.")] long id, ReviewRequest request, DonationRepository donations, RecordRepository<SourceRow> sources,
        HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted))
        {
            return Problems.Status(StatusCodes.Status428PreconditionRequired,
                $"Send If-Match with the ETag of draft {id} as you last read it (GET /api/v1/review), so that you decide on the version you read.");
        }
        var row = await donations.FindAsync(id, cancellationToken);
        if (row is null) return Problems.NotFound($"No donation has the id {id}.");
        if (row.DeletedAt is not null) return Problems.Gone($"Donation {id} was deleted. Its history is at /api/v1/donations/{id}/history.");
        if (accepted is not null && !accepted.Contains(row.Version)) return Stale(id, row.ETag, http);
        if (row.ReviewState != ReviewStates.Draft)
        {
            return Problems.Conflict($"Donation {id} is {row.ReviewState}, not a draft: only a draft is published or rejected. An editor's change makes it a draft again.");
        }
        var reviewer = ChangeContext.From(http, clock);
        if (await donations.DraftedByAsync(id, reviewer.ChangedBy, cancellationToken))
        {
            return Problems.Status(StatusCodes.Status403Forbidden,
                $"The key '{reviewer.ChangedBy}' made a draft version of donation {id}: another reviewer must decide on it (four eyes).");
        }

        var state = request.Decision == ReviewDecision.Publish ? ReviewStates.Published : ReviewStates.Rejected;
        var outcome = await donations.ReviewAsync(id, row.Version, state, request.Comment, reviewer, cancellationToken);
        if (outcome.Status == WriteStatus.Stale) return Stale(id, ETags.ForRow(outcome.CurrentVersion!.Value, outcome.ReferenceVersion), http);
        if (outcome.Status != WriteStatus.Done) return Problems.Gone($"Donation {id} was deleted. Its history is at /api/v1/donations/{id}/history.");
        http.Response.Headers.ETag = outcome.Row!.ETag;
        return TypedResults.Ok(await ItemAsync(outcome.Row, donations, sources, cancellationToken));
    }

    private static ProblemHttpResult Stale(long id, string current, HttpContext http)
    {
        http.Response.Headers.ETag = current;
        return Problems.Status(StatusCodes.Status412PreconditionFailed,
            $"Donation {id} has changed since you read it: it is now at ETag {current}. Read it again (GET /api/v1/review) before deciding.");
    }

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
}
