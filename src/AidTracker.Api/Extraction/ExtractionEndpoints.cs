using System.ComponentModel;
using System.Text.Json;
using AidTracker.Api.Auth;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Api.Extraction;

/// <summary>
/// <c>POST /extractions</c>: a text read into draft records (DESIGN.md, "Extraction"), with the source it comes from;
/// <c>GET /extractions/{id}</c>: that reading again, its drafts as they stand now.
/// </summary>
public static class ExtractionEndpoints
{
    public static IServiceCollection AddExtraction(this IServiceCollection services) => services
        .AddSingleton<ReferenceNames>()
        .AddSingleton<ExtractionRepository>()
        .AddSingleton<IValidator<ExtractionRequest>, ExtractionRequestValidator>();

    public static RouteGroupBuilder MapExtractions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/extractions").WithTag("Extractions", "Texts read into draft records: who gave what to whom, how many, how far it got and when, each quoting its sentence, for a reviewer to publish.")
            .WithApiConventions().RequireApiKey(Policies.Editor);
        group.MapGroup("").WithValidation().MapPost("/", Extract).WithName("CreateExtraction")
            .WithQueryValues(IdempotencyStore.KeyValue)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithResponseHeader("Idempotent-Replayed", "true when this is the stored answer to an earlier request with the same Idempotency-Key.", StatusCodes.Status201Created)
            .WithSummary("Read a text into draft records")
            .WithDescription($"""
                Records the text's source (as POST /api/v1/sources does, as a draft) and a draft donation for each record the text states: donor and recipient from country names, aliases and demonyms, the weapon system from the catalogue's names and aliases (else its category's generic entry), the quantity with its qualifier, the status from the verbs and a date the text states, read against the source's published_on. Each draft cites the source, quoting its sentence (locator: its character offsets), and says which words gave each field. What the text does not say is null. The source and the drafts wait for a reviewer (GET /api/v1/review) whatever the key's right to publish (the source is published first), and the key that asked may not publish them. Sentences that state aid but give no complete record come back as unresolved. Needs an editor key; returns 201 with Location. With Idempotency-Key, a retry never records twice. A text that states more than {ExtractionRepository.MaxDrafts} records is refused: split it.
                """);
        group.MapGet("/{id}", GetExtraction).WithName("GetExtraction")
            .WithSummary("Get an extraction")
            .WithDescription("An extraction again: the text, its source, and its drafts as they stand now (corrected, published, rejected or deleted since), with the words each was read from. Needs the key of an editor, reviewer or admin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Created<ExtractionResponse>, StoredResponse, ProblemHttpResult, ValidationProblem>> Extract(
        ExtractionRequest request,
        [FromHeader(Name = "Idempotency-Key"), Description(IdempotencyStore.HeaderDescription)]
        string? idempotencyKey,
        ExtractionRepository extractions, IdempotencyStore idempotency, IOptions<JsonOptions> json, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var change = ChangeContext.From(http, clock);
        idempotencyKey = IdempotencyStore.KeyOf(http.Request, idempotencyKey);
        if (idempotencyKey is not null && !IdempotencyStore.IsValidKey(idempotencyKey)) return IdempotencyStore.KeyRefusal();
        var answer = idempotencyKey is null
            ? await RecordAsync(null)
            : await idempotency.OnceAsync(change.ChangedBy, idempotencyKey, request, json.Value.SerializerOptions, claim => RecordAsync(claim), "extraction", cancellationToken);
        return answer switch
        {
            Created<ExtractionResponse> created => created,
            StoredResponse stored => stored,
            ValidationProblem refused => refused,
            _ => (ProblemHttpResult)answer,
        };

        // The answer is stored with the key in the extraction's own transaction, so that a retry finds both or neither.
        async Task<IResult> RecordAsync(IdempotencyStore.Claim? claim)
        {
            var outcome = await extractions.RecordAsync(request, change, cancellationToken, claim is null ? null : (write, extraction) =>
                idempotency.RecordAsync(write, claim, new StoredResponse(StatusCodes.Status201Created, Location(extraction.Id), null,
                    JsonSerializer.Serialize(extraction, json.Value.SerializerOptions)), cancellationToken));
            if (outcome.Refusal is { } refusal) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [refusal] });
            return TypedResults.Created(Location(outcome.Id!.Value), (await extractions.ResponseAsync(outcome.Id!.Value, cancellationToken))!);
        }
    }

    private static string Location(long id) => $"/api/v1/extractions/{id}";

    public static async Task<Results<Ok<ExtractionResponse>, ProblemHttpResult>> GetExtraction(
        [Description("The extraction's id: that of the source it recorded.")] long id, ExtractionRepository extractions, CancellationToken cancellationToken) =>
        await extractions.ResponseAsync(id, cancellationToken) is { } extraction
            ? TypedResults.Ok(extraction)
            : Problems.NotFound($"No extraction has the id {id}: an extraction's id is that of the source it recorded (POST /api/v1/extractions).");
}
