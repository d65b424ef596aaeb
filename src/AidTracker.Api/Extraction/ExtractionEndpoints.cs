using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidTracker.Api.Extraction;

/// <summary>
/// <c>POST /extractions</c>: a text read into draft records (DESIGN.md, "Extraction"), with the source it comes from;
/// <c>GET /extractions/{id}</c>: that reading again, its drafts as they stand now.
/// </summary>
public static class ExtractionEndpoints
{
    /// <summary>The most drafts one text makes: past it, the text is refused (split it).</summary>
    public const int MaxDrafts = 500;

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
                Records the text's source (as POST /api/v1/sources does) and a draft donation for each record the text states: donor and recipient from country names, aliases and demonyms, the weapon system from the catalogue's names and aliases (else its category's generic entry), the quantity with its qualifier, the status from the verbs and a date the text states, read against the source's published_on. Each draft cites the source, quoting its sentence (locator: its character offsets), and says which words gave each field. What the text does not say is null. The drafts wait for a reviewer (GET /api/v1/review) whatever the key's right to publish, and the key that asked may not publish them. Sentences that state aid but give no complete record come back as unresolved. Needs an editor key; returns 201 with Location. A text that states more than {MaxDrafts} records is refused: split it.
                """);
        group.MapGet("/{id}", GetExtraction).WithName("GetExtraction")
            .WithSummary("Get an extraction")
            .WithDescription("An extraction again: the text, its source, and its drafts as they stand now (corrected, published, rejected or deleted since), with the words each was read from. Needs the key of an editor, reviewer or admin.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Created<ExtractionResponse>, ValidationProblem>> Extract(
        ExtractionRequest request, ReferenceNames names, ExtractionRepository extractions, DonationRepository donations, RecordRepository<SourceRow> sources,
        HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var text = request.Text!;
        var publishedOn = PartialDate.TryParse(request.Source!.PublishedOn, out var published) && published.Precision == DatePrecision.Day ? published.Start : (DateOnly?)null;
        var result = new Extractor(await names.GazetteerAsync(cancellationToken)).Extract(text, publishedOn);
        var (drafts, unresolved) = ExtractionDrafts.Split(result, text, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (drafts.Count > MaxDrafts)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["text"] = [$"The text states {drafts.Count:N0} records, more than the {MaxDrafts} one extraction makes: split it and send each part."],
            });
        }
        var id = await extractions.CreateAsync(SourceWrite.From(request.Source), text, drafts, unresolved, ChangeContext.From(http, clock), cancellationToken);
        var response = await ResponseAsync((await extractions.FindAsync(id, cancellationToken))!, donations, sources, cancellationToken);
        return TypedResults.Created($"/api/v1/extractions/{id}", response);
    }

    public static async Task<Results<Ok<ExtractionResponse>, ProblemHttpResult>> GetExtraction(
        [Description("The extraction's id: that of the source it recorded.")] long id, ExtractionRepository extractions, DonationRepository donations, RecordRepository<SourceRow> sources,
        CancellationToken cancellationToken) =>
        await extractions.FindAsync(id, cancellationToken) is { } stored
            ? TypedResults.Ok(await ResponseAsync(stored, donations, sources, cancellationToken))
            : Problems.NotFound($"No extraction has the id {id}: an extraction's id is that of the source it recorded (POST /api/v1/extractions).");

    private static async Task<ExtractionResponse> ResponseAsync(
        ExtractionRepository.Stored stored, DonationRepository donations, RecordRepository<SourceRow> sources, CancellationToken cancellationToken)
    {
        var text = stored.Text;
        var drafts = new List<ExtractionDraft>(stored.Reading.Drafts.Count);
        foreach (var draft in stored.Reading.Drafts)
        {
            var row = (await donations.FindAsync(draft.Id, cancellationToken))!;
            drafts.Add(new ExtractionDraft(draft.Id, row.ReviewState, row.ETag, row.DeletedAt is null ? row.ToResponse() : null,
                Quote(text, draft.QuoteStart, draft.QuoteEnd), draft.Because));
        }
        var source = (await sources.FindAsync(stored.SourceId, cancellationToken))!;
        return new ExtractionResponse(stored.SourceId, source.ToResponse(), text, Timestamps.Parse(stored.CreatedAt), stored.CreatedBy, drafts,
            [.. stored.Reading.Unresolved.Select(u => new ExtractionMention(Quote(text, u.QuoteStart, u.QuoteEnd), u.Reason))]);
    }

    private static ExtractionQuote Quote(string text, int start, int end) => new(start, end, text[start..end]);
}
