using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Sources;

public static class SourceEndpoints
{
    public static IServiceCollection AddSources(this IServiceCollection services) => services
        .AddSingleton(provider => new RecordRepository<SourceRow>(provider.GetRequiredService<Database>(), SourceFields.Table))
        .AddSingleton<SourceQueryParser>()
        .AddSingleton<IValidator<SourceRequest>, SourceRequestValidator>();

    public static RouteGroupBuilder MapSources(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SourceRecords.Path).WithTag("Sources", "The documents that report aid: who published them, when, where to read them, and how reliable they are (Admiralty grades), each with its full change history.").WithApiConventions();

        group.MapGet("/", ListSources).WithName("ListSources").CacheReads()
            .WithQueryValues(SourceQueryParser.QueryValues)
            .WithSummary("List sources")
            .WithDescription("Live, published sources (drafts and rejected ones with review_state and the key of an editor, reviewer or admin), filtered and sorted (id order by default), one page at a time. Lists take a comma list or a repeated parameter; an unknown parameter or value is a 400. Follow 'next' (also sent as a Link header) for the next page; it is absent on the last.");
        group.MapGet("/{id}/history", GetSourceHistory).WithName("GetSourceHistory").CacheReads()
            .WithSummary("Get a source's history")
            .WithDescription("Every version of a source, oldest first, the deletion included: the whole record as it stood, who changed it (the key's name), when, and in which request. A record that is not published (a draft, a rejected one) is a 404 without the key of an editor, reviewer or admin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // GET /sources/{id} answers the source alone (SourceRecords.Response): when evidence arrives, the records it
        // supports join the response there, and its ETag's data version already moves with them.
        RecordEndpoints<SourceRecords, SourceRow, SourceRequest, SourceResponse>.Map(
            group, group.MapGroup("").RequireApiKey(Policies.Editor).WithValidation(), "Source", "a source");
        return group;
    }

    public static async Task<Results<PageResult<SourcePage>, ValidationProblem>> ListSources(
        [AsParameters] SourceListQuery query, [AsParameters] DonationPageQuery order, SourceQueryParser parser, RecordRepository<SourceRow> sources, PageCursor cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseAsync(query, order, KeyRights.SeesDrafts(http.User), errors, cancellationToken) is not { } parsed) return TypedResults.ValidationProblem(errors.ToDictionary());
        var page = await sources.ListAsync(parsed.Page, cancellationToken);
        var next = await RecordListing.NextAsync(parsed.Sort, page.NextAfter, cursors, http.Request, cancellationToken);
        return new PageResult<SourcePage>(new SourcePage([.. page.Items.Select(row => row.ToResponse())], next), next);
    }

    public static async Task<Results<Ok<SourceHistory>, ProblemHttpResult>> GetSourceHistory(
        [Description("The source id.")] long id, RecordRepository<SourceRow> sources, HttpContext http, CancellationToken cancellationToken)
    {
        var rows = await sources.HistoryAsync(id, cancellationToken);
        if (rows.Count == 0 || !RecordVisibility.Sees(http, rows[^1].Record)) return Problems.NotFound($"No source has the id {id}.");
        return TypedResults.Ok(new SourceHistory(id, [.. rows.Select(row => new SourceHistoryEntry(
            row.Record.Version, WireEnum<ChangeOperation>.Parse(row.Operation), Timestamps.Parse(row.ChangedAt), row.ChangedBy, row.RequestId,
            row.Record.ReviewState, row.Record.ReviewComment, row.Record.ToResponse()))]));
    }
}

/// <summary>Sources as <see cref="RecordEndpoints{TKind, TRow, TRequest, TResponse}"/> serve them.</summary>
public sealed class SourceRecords : IRecordKind<SourceRow, SourceRequest, SourceResponse>
{
    public static string Noun => "source";

    public static string Path => "/api/v1/sources";

    public static object Write(SourceRequest request) => SourceWrite.From(request);

    public static SourceResponse Response(SourceRow row) => row.ToResponse();

    /// <summary>
    /// The live rows that refer to a source: evidence of a live donation or of a live package citing it (one seek into
    /// evidence (source_id) each). While one does, a delete is a 409.
    /// </summary>
    public static IReadOnlyList<RecordReference> ReferringRows { get; } =
    [
        new("evidence of a live donation", "EXISTS (SELECT 1 FROM evidence e JOIN donations d ON d.id = e.donation_id WHERE e.source_id = @Id AND d.deleted_at IS NULL)"),
        new("evidence of a live package", "EXISTS (SELECT 1 FROM evidence e JOIN packages p ON p.id = e.package_id WHERE e.source_id = @Id AND p.deleted_at IS NULL)"),
    ];

    /// <summary>The published, live rows that cite a source: while one does, a change that would make it a draft is a 409.</summary>
    public static IReadOnlyList<RecordReference> PublishedReferringRows { get; } =
    [
        new("evidence of a published donation", $"EXISTS (SELECT 1 FROM evidence e JOIN donations d ON d.id = e.donation_id WHERE e.source_id = @Id AND d.deleted_at IS NULL AND {ReviewStates.IsPublished})"),
        new("evidence of a published package", $"EXISTS (SELECT 1 FROM evidence e JOIN packages p ON p.id = e.package_id WHERE e.source_id = @Id AND p.deleted_at IS NULL AND p.review_state = '{ReviewStates.Published}')"),
    ];

    /// <summary>
    /// A source's published_on feeds first_reported_on of the donations citing it, and its title their evidence's
    /// source_title: derived again on each replace or delete.
    /// </summary>
    public static Task AfterChangeAsync(WriteScope scope, long id, CancellationToken cancellationToken) =>
        DonationRepository.RefreshCitingAsync(scope, id, cancellationToken);
}
