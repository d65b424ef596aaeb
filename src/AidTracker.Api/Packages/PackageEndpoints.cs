using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Packages;

public static class PackageEndpoints
{
    public static IServiceCollection AddPackages(this IServiceCollection services) => services
        .AddSingleton(provider => new RecordRepository<PackageRow>(provider.GetRequiredService<Database>(), PackageFields.Table))
        .AddSingleton<PackageQueryParser>()
        .AddSingleton<IValidator<PackageRequest>, PackageRequestValidator>();

    public static RouteGroupBuilder MapPackages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(PackageRecords.Path).WithTag("Packages", "Tranches announced as one (a US drawdown package, an EU Peace Facility measure): donor, instrument, announcement date and reported value, each with its full change history.").WithApiConventions();

        group.MapGet("/", ListPackages).WithName("ListPackages").CacheReads()
            .WithQueryValues(PackageQueryParser.QueryValues)
            .WithSummary("List packages")
            .WithDescription("Live, published packages (drafts and rejected ones with review_state and the key of an editor, reviewer or admin), filtered and sorted (id order by default), one page at a time. Lists take a comma list or a repeated parameter; an unknown parameter or value is a 400. Follow 'next' (also sent as a Link header) for the next page; it is absent on the last.");
        group.MapGet("/{id}/history", GetPackageHistory).WithName("GetPackageHistory").CacheReads()
            .WithSummary("Get a package's history")
            .WithDescription("Every version of a package, oldest first, the deletion included: the whole record as it stood, who changed it (the key's name), when, and in which request. A record that is not published (a draft, a rejected one) is a 404 without the key of an editor, reviewer or admin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // GET /packages/{id} answers the package alone (PackageRecords.Response): when donations name their package, its
        // line items join the response there, and its ETag's data version already moves with them.
        RecordEndpoints<PackageRecords, PackageRow, PackageRequest, PackageResponse>.Map(
            group, group.MapGroup("").RequireApiKey(Policies.Editor).WithValidation(), "Package", "a package");
        return group;
    }

    public static async Task<Results<PageResult<PackagePage>, ValidationProblem>> ListPackages(
        [AsParameters] PackageListQuery query, [AsParameters] DonationPageQuery order, PackageQueryParser parser, RecordRepository<PackageRow> packages, PageCursor cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseAsync(query, order, KeyRights.SeesDrafts(http.User), errors, cancellationToken) is not { } parsed) return TypedResults.ValidationProblem(errors.ToDictionary());
        var page = await packages.ListAsync(parsed.Page, cancellationToken);
        var next = await RecordListing.NextAsync(parsed.Sort, page.NextAfter, cursors, http.Request, cancellationToken);
        return new PageResult<PackagePage>(new PackagePage([.. page.Items.Select(row => row.ToResponse())], next), next);
    }

    public static async Task<Results<Ok<PackageHistory>, ProblemHttpResult>> GetPackageHistory(
        [Description("The package id.")] long id, RecordRepository<PackageRow> packages, HttpContext http, CancellationToken cancellationToken)
    {
        var rows = await packages.HistoryAsync(id, cancellationToken);
        if (rows.Count == 0 || !RecordVisibility.Sees(http, rows[^1].Record)) return Problems.NotFound($"No package has the id {id}.");
        return TypedResults.Ok(new PackageHistory(id, [.. rows.Select(row => new PackageHistoryEntry(
            row.Record.Version, WireEnum<ChangeOperation>.Parse(row.Operation), Timestamps.Parse(row.ChangedAt), row.ChangedBy, row.RequestId,
            row.Record.ReviewState, row.Record.ReviewComment, row.Record.ToResponse()))]));
    }
}

/// <summary>Packages as <see cref="RecordEndpoints{TKind, TRow, TRequest, TResponse}"/> serve them.</summary>
public sealed class PackageRecords : IRecordKind<PackageRow, PackageRequest, PackageResponse>
{
    public static string Noun => "package";

    public static string Path => "/api/v1/packages";

    public static object Write(PackageRequest request) => PackageWrite.From(request);

    public static PackageResponse Response(PackageRow row) => row.ToResponse();

    /// <summary>
    /// The live rows that refer to a package: its line items, live donations naming it (one seek into the partial index
    /// donations_package). While one does, a delete is a 409. The package's own evidence belongs to it and is not counted.
    /// </summary>
    public static IReadOnlyList<RecordReference> ReferringRows { get; } =
    [
        new("a live donation (a line item)", "EXISTS (SELECT 1 FROM donations d WHERE d.package_id = @Id AND d.deleted_at IS NULL)"),
    ];

    /// <summary>The published, live donations in a package: while one is, a change that would make the package a draft is a 409.</summary>
    public static IReadOnlyList<RecordReference> PublishedReferringRows { get; } =
    [
        new("a published donation (a line item)", $"EXISTS (SELECT 1 FROM donations d WHERE d.package_id = @Id AND d.deleted_at IS NULL AND {ReviewStates.IsPublished})"),
    ];
}
