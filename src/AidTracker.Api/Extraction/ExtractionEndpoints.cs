using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .WithSummary("Read a text into draft records")
            .WithDescription($"""
                Records the text's source (as POST /api/v1/sources does) and a draft donation for each record the text states: donor and recipient from country names, aliases and demonyms, the weapon system from the catalogue's names and aliases (else its category's generic entry), the quantity with its qualifier, the status from the verbs and a date the text states, read against the source's published_on. Each draft cites the source, quoting its sentence (locator: its character offsets), and says which words gave each field. What the text does not say is null. The drafts wait for a reviewer (GET /api/v1/review) whatever the key's right to publish, and the key that asked may not publish them. Sentences that state aid but give no complete record come back as unresolved. Needs an editor key; returns 201 with Location. A text that states more than {ExtractionRepository.MaxDrafts} records is refused: split it.
                """);
        group.MapGet("/{id}", GetExtraction).WithName("GetExtraction")
            .WithSummary("Get an extraction")
            .WithDescription("An extraction again: the text, its source, and its drafts as they stand now (corrected, published, rejected or deleted since), with the words each was read from. Needs the key of an editor, reviewer or admin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Created<ExtractionResponse>, ValidationProblem>> Extract(
        ExtractionRequest request, ExtractionRepository extractions, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var outcome = await extractions.RecordAsync(request, ChangeContext.From(http, clock), cancellationToken);
        if (outcome.Refusal is { } refusal) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [refusal] });
        return TypedResults.Created($"/api/v1/extractions/{outcome.Id}", (await extractions.ResponseAsync(outcome.Id!.Value, cancellationToken))!);
    }

    public static async Task<Results<Ok<ExtractionResponse>, ProblemHttpResult>> GetExtraction(
        [Description("The extraction's id: that of the source it recorded.")] long id, ExtractionRepository extractions, CancellationToken cancellationToken) =>
        await extractions.ResponseAsync(id, cancellationToken) is { } extraction
            ? TypedResults.Ok(extraction)
            : Problems.NotFound($"No extraction has the id {id}: an extraction's id is that of the source it recorded (POST /api/v1/extractions).");
}
