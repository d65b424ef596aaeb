using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Api.Donations;

public static class DonationEndpoints
{
    public static IServiceCollection AddDonations(this IServiceCollection services) => services
        .AddJsonContext(DonationJsonContext.Default)
        .AddHttpContextAccessor()
        .AddSingleton<DonationRepository>()
        .AddSingleton<DonationQueryParser>()
        .AddSingleton<PageCursor>()
        .AddSingleton<IValidator<DonationRequest>, DonationRequestValidator>()
        .AddSingleton<IValidator<EvidenceRequest>, EvidenceRequestValidator>()
        .AddSingleton<IValidator<DeliveryRequest>, DeliveryRequestValidator>()
        .AddSingleton<IValidator<NewDeliveryRequest>, NewDeliveryRequestValidator>()
        .AddSingleton<IdempotencyStore>()
        .AddOptions<IdempotencyOptions>().BindConfiguration("Idempotency")
        .Validate(o => o.KeyLifetimeHours > 0, "Idempotency:KeyLifetimeHours must be positive.").ValidateOnStart().Services;

    public static RouteGroupBuilder MapDonations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/donations").WithTag("Donations", "The donations: who sent what to whom and when, in which instalments, with the evidence for each (sources, quotes, grades) and a full change history.").WithApiConventions();

        group.MapGet("/", ListDonations).WithName("ListDonations").CacheReads()
            .WithQueryValues([.. DonationFilters.QueryValues, DonationQueryParser.Limit, DonationSort.Parameter])
            .WithSummary("List donations")
            .WithDescription("Live donations, filtered and sorted (id order by default), one page at a time. Every filter takes a comma list or a repeated parameter; an unknown parameter or value is a 400. Follow 'next' (also sent as a Link header) for the next page; it is absent on the last.");
        group.MapGet("/{id}", GetDonation).WithName("GetDonation")
            .WithSummary("Get a donation")
            .WithDescription("One donation, with its ETag: the row's version and the reference data's, then the content coding (use it as is for If-Match). If-None-Match with the current ETag gets 304. A deleted donation is 410; its history stays readable. One that is not published (a draft, or rejected) is a 404 except to the keys of editors, reviewers and admins.")
            .CacheReads(output: false, ownValidator: true)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        group.MapGet("/{id}/history", GetDonationHistory).WithName("GetDonationHistory").CacheReads()
            .WithSummary("Get a donation's history")
            .WithDescription("Every version of a donation, oldest first, the deletion included: the whole record as it stood, who changed it (the key's name), when, in which request, and where it stood in review (publishing and rejecting are versions too, with the reviewer's comment). A donation that is not published is a 404 except to the keys of editors, reviewers and admins.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var editor = group.MapGroup("").RequireApiKey(Policies.Editor).WithValidation();
        editor.MapPost("/", CreateDonation).WithName("CreateDonation")
            .WithSummary("Record a donation")
            .WithDescription("Records a donation with its evidence (at least one citation of an existing source) and any deliveries. Needs an editor key; the donation is a draft for review (GET /api/v1/review) unless the key publishes at once (an admin's, or a trusted editor's), which may then cite only published sources and name only a published package (409 otherwise). Returns 201 with Location and ETag. Without quantity, quantity_qualifier is undisclosed; with a value and no value_basis, the basis is reported. With Idempotency-Key, a retry never records twice.")
            .WithQueryValues(IdempotencyStore.KeyValue)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithResponseHeader("ETag", "The new donation's ETag, for If-Match.", StatusCodes.Status201Created)
            .WithResponseHeader("Idempotent-Replayed", "true when this is the stored answer to an earlier request with the same Idempotency-Key.", StatusCodes.Status201Created);
        editor.MapPut("/{id}", ReplaceDonation).WithName("ReplaceDonation")
            .WithSummary("Replace a donation")
            .WithDescription("Replaces a donation with its evidence and deliveries: a delivery that carries its id keeps it, the others are new, and those left out are removed. It becomes a draft again unless the key publishes at once. Needs an editor key and If-Match with the ETag you read: 428 without it, 412 when someone changed the donation since. 409 when a key that publishes leaves it citing a source, or in a package, that is not published.")
            .ProducesPreconditionProblems()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithResponseHeader("ETag", "The donation's new ETag.", StatusCodes.Status200OK);
        editor.MapPost("/{id}/deliveries", AddDelivery).WithName("AddDonationDelivery")
            .WithSummary("Add a delivery to a donation")
            .WithDescription("Adds one instalment, with its evidence, to a donation, and returns the donation. An announced or committed donation becomes partially_delivered, unless the body's status says delivered. Exact delivered quantities may not add up to more than an exact promised quantity. Needs an editor key and If-Match with the donation's ETag. 409 when a key that publishes cites a source that is not published.")
            .ProducesPreconditionProblems()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithResponseHeader("ETag", "The donation's new ETag.", StatusCodes.Status201Created);
        editor.MapDelete("/{id}", DeleteDonation).WithName("DeleteDonation")
            .WithSummary("Delete a donation")
            .WithDescription("Tombstones a donation: it leaves every list, and its history keeps every version. Needs an editor key and If-Match.")
            .ProducesPreconditionProblems();
        return group;
    }

    /// <summary>
    /// The If-Match a write to an existing donation needs, and its problems: unknown, deleted, stale (with the current
    /// ETag), or without If-Match. The 412 and 428 are documented from the required header (<see cref="OpenApiStatuses"/>).
    /// </summary>
    private static RouteHandlerBuilder ProducesPreconditionProblems(this RouteHandlerBuilder endpoint) => endpoint
        .WithRequestHeader("If-Match", "The donation's ETag as you last read it (or *): 428 without it, 412 when it is no longer current.", required: true)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithResponseHeader("ETag", "The donation's current ETag: read it again to see the change.", StatusCodes.Status412PreconditionFailed);

    public static async Task<Results<DonationPageResult, ValidationProblem>> ListDonations(
        [AsParameters] DonationFilterQuery filter, [AsParameters] DonationPageQuery query, DonationQueryParser parser, DonationRepository donations, PageCursor cursors, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseAsync(filter, query, errors, cancellationToken) is not { } parsed)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var page = await donations.ListAsync(parsed, cancellationToken);
        string? next = null;
        if (page.NextAfter is { } after)
        {
            var cursor = await cursors.EncodeAsync(parsed.Sort.Spec, after, cancellationToken);
            next = Links.WithQueryValue(http.Request, "cursor", cursor);
        }
        return new DonationPageResult(page.Items, next);
    }

    public static async Task<Results<Ok<DonationResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetDonation(
        [Description("The donation id.")] long id, DonationRepository donations, HttpContext http, CancellationToken cancellationToken)
    {
        var row = await donations.FindAsync(id, cancellationToken);
        if (row is null || !Visible(row, http)) return Problems.NotFound($"No donation has the id {id}.");
        if (row.DeletedAt is not null) return Problems.Gone($"Donation {id} was deleted at {row.DeletedAt}. Its history is at /api/v1/donations/{id}/history.");

        var etag = ETags.WithCoding(http, row.ETag);
        http.Response.Headers.ETag = etag;
        if (ETags.IfNoneMatchHits(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(row.ToResponse());
    }

    /// <summary>
    /// Whether the caller may see this donation: the public sees published ones (and what was deleted once published:
    /// its 410 and history); the keys of editors, reviewers and admins see drafts and rejected ones too.
    /// </summary>
    private static bool Visible(DonationRow row, HttpContext http) => RecordVisibility.Sees(http, row.ReviewState);

    public static async Task<Results<Ok<DonationHistory>, ProblemHttpResult>> GetDonationHistory(
        [Description("The donation id.")] long id, DonationRepository donations, HttpContext http, CancellationToken cancellationToken)
    {
        var rows = await donations.HistoryAsync(id, cancellationToken);
        if (rows.Count == 0 || !Visible(rows[^1].Record, http)) return Problems.NotFound($"No donation has the id {id}.");
        return TypedResults.Ok(new DonationHistory(id, rows.Select(row => row.ToEntry()).ToList()));
    }

    public static async Task<Results<Created<DonationResponse>, StoredResponse, ProblemHttpResult, ValidationProblem>> CreateDonation(
        DonationRequest request,
        [FromHeader(Name = "Idempotency-Key"), Description(IdempotencyStore.HeaderDescription)]
        string? idempotencyKey,
        DonationRepository donations,
        IdempotencyStore idempotency,
        IOptions<JsonOptions> json,
        HttpContext http,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var change = ChangeContext.From(http, clock);
        if (request.Deliveries?.Select((delivery, i) => (delivery, i)).FirstOrDefault(d => d.delivery.Id is not null) is { delivery: not null } kept)
        {
            return Problems.Validation($"deliveries[{kept.i}].id", "A new donation has no deliveries yet: leave id out.");
        }
        idempotencyKey = IdempotencyStore.KeyOf(http.Request, idempotencyKey);
        if (idempotencyKey is null) return Created(await donations.CreateAsync(DonationWrite.From(request), change, cancellationToken));
        if (!IdempotencyStore.IsValidKey(idempotencyKey)) return IdempotencyStore.KeyRefusal();

        var answer = await idempotency.OnceAsync(change.ChangedBy, idempotencyKey, request, json.Value.SerializerOptions, async claim => Created(
            await donations.CreateAsync(DonationWrite.From(request), change, cancellationToken, (write, row) =>
                idempotency.RecordAsync(write, claim, new StoredResponse(StatusCodes.Status201Created, Location(row),
                    row.ETag, JsonSerializer.Serialize(row.ToResponse(), json.Value.SerializerOptions)), cancellationToken))),
            "donation", cancellationToken);
        return answer switch
        {
            Created<DonationResponse> created => created,
            StoredResponse stored => stored,
            _ => (ProblemHttpResult)answer,
        };

        Created<DonationResponse> Created(DonationRow row)
        {
            http.Response.Headers.ETag = row.ETag;
            return TypedResults.Created(Location(row), row.ToResponse());
        }
    }

    private static string Location(DonationRow row) => $"/api/v1/donations/{row.Id}";

    public static async Task<Results<Ok<DonationResponse>, ProblemHttpResult, ValidationProblem>> ReplaceDonation(
        [Description("The donation id.")] long id, DonationRequest request, DonationRepository donations, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted)) return IfMatchRequired(id);
        var outcome = await donations.UpdateAsync(id, accepted, DonationWrite.From(request), ChangeContext.From(http, clock), cancellationToken);
        if (outcome.Refusal is { } refusal) return Problems.Validation(refusal.Field, refusal.Message);
        if (outcome.Status != WriteStatus.Done) return Failed(id, outcome, http);
        http.Response.Headers.ETag = outcome.Row!.ETag;
        return TypedResults.Ok(outcome.Row.ToResponse());
    }

    public static async Task<Results<Created<DonationResponse>, ProblemHttpResult, ValidationProblem>> AddDelivery(
        [Description("The donation id.")] long id, NewDeliveryRequest request, DonationRepository donations, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted)) return IfMatchRequired(id);
        var delivery = DeliveryWrite.From(null, request.DeliveredOn, request.Quantity, request.QuantityQualifier, request.Notes, request.Evidence);
        var status = WireEnum<DonationStatus>.Name(request.Status ?? DonationStatus.PartiallyDelivered);
        var outcome = await donations.AddDeliveryAsync(id, accepted, delivery, status, donation => Refuse(donation, request), ChangeContext.From(http, clock), cancellationToken);
        if (outcome.Refusal is { } refusal) return Problems.Validation(refusal.Field, refusal.Message);
        if (outcome.Status != WriteStatus.Done) return Failed(id, outcome, http);
        http.Response.Headers.ETag = outcome.Row!.ETag;
        return TypedResults.Created(Location(outcome.Row), outcome.Row.ToResponse());
    }

    /// <summary>Why a new delivery does not fit the donation as it stands, or null.</summary>
    private static (string Field, string Message)? Refuse(DonationRow donation, NewDeliveryRequest request)
    {
        if (donation.Status == WireEnum<DonationStatus>.Name(DonationStatus.Cancelled))
        {
            return ("status", $"Donation {donation.Id} was cancelled: record no delivery on it, or change its status first (PUT).");
        }
        if (!Deliveries.NotBeforeAnnouncement(request.DeliveredOn, donation.Announced?.ToString()))
        {
            return ("delivered_on", "'delivered_on' must not be before the donation's 'announced_on'.");
        }
        if (donation.QuantityQualifier == WireEnum<QuantityQualifier>.Name(QuantityQualifier.Exact) && donation.Quantity is { } promised)
        {
            var delivered = Deliveries.ExactSum([
                .. donation.Deliveries.Select(x => (x.Quantity, (QuantityQualifier?)WireEnum<QuantityQualifier>.Parse(x.QuantityQualifier))),
                (request.Quantity, request.QuantityQualifier)]);
            if (delivered > promised) return ("quantity", $"The exact delivered quantities would add up to {delivered}, more than the {promised} promised.");
        }
        return null;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDonation(
        [Description("The donation id.")] long id, DonationRepository donations, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted)) return IfMatchRequired(id);
        var outcome = await donations.DeleteAsync(id, accepted, ChangeContext.From(http, clock), cancellationToken);
        return outcome.Status == WriteStatus.Done ? TypedResults.NoContent() : Failed(id, outcome, http);
    }

    private static ProblemHttpResult IfMatchRequired(long id) => Problems.Status(
        StatusCodes.Status428PreconditionRequired,
        $"Send If-Match with the ETag of donation {id} as you last read it (GET /api/v1/donations/{id}), so that no one else's change is overwritten.");

    private static ProblemHttpResult Failed(long id, WriteOutcome outcome, HttpContext http)
    {
        var current = outcome.CurrentVersion is { } version ? ETags.ForRow(version, outcome.ReferenceVersion) : null;
        if (current is not null) http.Response.Headers.ETag = current;
        return outcome.Status switch
        {
            WriteStatus.NotFound => Problems.NotFound($"No donation has the id {id}."),
            WriteStatus.Gone => Problems.Gone($"Donation {id} was deleted. Its history is at /api/v1/donations/{id}/history."),
            _ => Problems.Status(StatusCodes.Status412PreconditionFailed,
                $"Donation {id} has changed since you read it: it is now at ETag {current}. Read it again and reapply your change."),
        };
    }
}

/// <summary>
/// A <see cref="DonationPage"/> whose items the database has already written as JSON; documented as DonationPage. It sets
/// its own Link header, so that it can answer every request that shares one run of the query (ReadCaching).
/// </summary>
public sealed class DonationPageResult(IReadOnlyList<byte[]> items, string? next) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (next is not null) httpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return DonationJson.WritePageAsync(httpContext.Response.Body, items, next, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(DonationPage), ["application/json"]));
        builder.Metadata.Add(new ResponseHeader("Link", "The next page, as <url>; rel=\"next\" (the body's next); absent on the last page.", Microsoft.OpenApi.JsonSchemaType.String, [StatusCodes.Status200OK]));
    }
}
