using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Releases;

public static class ReleaseEndpoints
{
    public static IServiceCollection AddReleases(this IServiceCollection services) => services
        .AddSingleton<ReleaseRepository>()
        .AddSingleton<IReleaseLayouts, ReleaseLayouts>()
        .AddSingleton<IReleaseMoments>(services => services.GetRequiredService<ReleaseRepository>())
        .AddSingleton<IValidator<ReleaseRequest>, ReleaseRequestValidator>();

    public static RouteGroupBuilder MapReleases(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/releases").WithTag("Releases", "Frozen, citable moments of the dataset: any read or export can answer as of a release.").WithApiConventions();
        group.MapGet("/", ListReleases).WithName("ListReleases").CacheReads()
            .WithSummary("List releases")
            .WithDescription("Every release, oldest first. A release is a moment of the dataset that a paper can cite: release={id} on any read or export answers as of it, and its CSV export is the same bytes whenever it is asked for.");
        group.MapGet("/{id}", GetRelease).WithName("GetRelease").CacheReads()
            .WithSummary("Get a release")
            .WithDescription("One release: its moment, row count, the SHA-256 of its CSV export, and links to its exports.")
            .WithQueryValues(new TextParameter("id", IReleaseMoments.IdPattern))
            .ProducesProblem(StatusCodes.Status404NotFound);

        // Freezing digests the whole CSV (seconds at 1M rows): the request time limit does not apply.
        var admin = group.MapGroup("").RequireApiKey(Policies.Admin).WithValidation();
        admin.DisableRequestTimeout();
        admin.MapPost("/", CreateRelease).WithName("CreateRelease")
            .WithSummary("Freeze a release")
            .WithDescription("Freezes the dataset as it stands now under the given id, and stores the row count and SHA-256 of its CSV export. Needs an admin key. Writes wait while the digest is taken (about one CSV export's time). 409 when the id is taken; releases are never changed or removed.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Ok<ReleaseList>> ListReleases(ReleaseRepository releases, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ReleaseList((await releases.ListAsync(cancellationToken)).Select(r => r.ToResponse()).ToList()));

    public static async Task<Results<Ok<ReleaseResponse>, ProblemHttpResult>> GetRelease(
        [Description("The release id.")] string id, ReleaseRepository releases, CancellationToken cancellationToken) =>
        await releases.FindAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound($"No release has the id '{id}'.");

    public static async Task<Results<Created<ReleaseResponse>, ProblemHttpResult>> CreateRelease(
        ReleaseRequest request, ReleaseRepository releases, TableExport export, HttpContext http, CancellationToken cancellationToken)
    {
        var row = await releases.CreateAsync(
            request, http.User.Identity?.Name ?? "anonymous", asOf => export.DigestCsvAsync(ExportTables.Donations, DonationFilter.All with { AsOf = asOf }, cancellationToken),
            cancellationToken);
        return row is null
            ? Problems.Conflict($"The release id '{request.Id}' is taken. Releases are never replaced; choose a new id.")
            : TypedResults.Created($"/api/v1/releases/{Uri.EscapeDataString(row.Id)}", row.ToResponse());
    }
}

public sealed class ReleaseRequestValidator : RequestValidator<ReleaseRequest>
{
    public ReleaseRequestValidator()
    {
        RuleFor(x => x.Id).NotEmpty().Matches(IReleaseMoments.IdPattern)
            .WithMessage("'id' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Notes).MaximumLength(4000);
    }
}
