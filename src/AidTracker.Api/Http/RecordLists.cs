using System.ComponentModel;
using System.Reflection;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace AidTracker.Api.Http;

/// <summary>What the lists of versioned records (sources, packages) share on the HTTP side: their list parameters and their page.</summary>
public static class RecordLists
{
    /// <summary>The most values one list parameter takes.</summary>
    public const int MaxListLength = 100;

    /// <summary>
    /// The values of a list parameter, given repeated, comma-separated or both, each once, trimmed; an empty value or
    /// too many values is an error naming <paramref name="key"/>.
    /// </summary>
    public static List<string> Split(string key, IEnumerable<string>? given, FieldErrors errors)
    {
        var items = new List<string>();
        foreach (var item in (given ?? []).SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)))
        {
            if (item.Length == 0) errors.Add(key, $"{key} has an empty value.");
            else if (!items.Contains(item, StringComparer.OrdinalIgnoreCase)) items.Add(item);
        }
        if (items.Count > MaxListLength) errors.Add(key, $"{key} lists {items.Count} values; at most {MaxListLength} are allowed.");
        return items;
    }

    /// <summary><paramref name="q"/> as a LIKE pattern that finds it anywhere, its wildcards (<c>%</c>, <c>_</c>) and escape (<c>\</c>) taken literally.</summary>
    public static string ContainsPattern(string q) =>
        "%" + q.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}

/// <summary>
/// A page of a list (<typeparamref name="TPage"/>, whose <c>next</c> is absent on the last page) with its Link header,
/// set by the result itself so that it answers every request that shares one run of the query (ReadCaching).
/// </summary>
public sealed class PageResult<TPage>(TPage page, string? next) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (next is not null) httpContext.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        return TypedResults.Ok(page).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TPage), ["application/json"]));
        builder.Metadata.Add(new ResponseHeader("Link", "The next page, as <url>; rel=\"next\" (the body's next); absent on the last page.", Microsoft.OpenApi.JsonSchemaType.String, [StatusCodes.Status200OK]));
    }
}

/// <summary>Who sees a record under review: the public sees published ones; the keys of editors, reviewers and admins see drafts and rejected ones too.</summary>
public static class RecordVisibility
{
    public static bool Sees(HttpContext http, string reviewState) => reviewState == ReviewStates.Published || KeyRights.SeesDrafts(http.User);

    public static bool Sees(HttpContext http, VersionedRow row) => Sees(http, row.ReviewState);
}

/// <summary>What the OpenAPI document says of a write to an existing versioned record.</summary>
public static class RecordPreconditions
{
    /// <summary>The If-Match a write to an existing record needs, and its problems: unknown, deleted, stale (with the current ETag), or without If-Match.</summary>
    public static RouteHandlerBuilder WithRecordPreconditions(this RouteHandlerBuilder endpoint, string noun) => endpoint
        .WithRequestHeader("If-Match", $"The {noun}'s ETag as you last read it (or *): 428 without it, 412 when it is no longer current.", required: true)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithResponseHeader("ETag", $"The {noun}'s current ETag: read it again to see the change.", StatusCodes.Status412PreconditionFailed);
}

/// <summary>
/// One kind of versioned record as its endpoints see it: what it is called, how a checked request is written, how a
/// row is answered, and which live rows a delete must not orphan.
/// </summary>
public interface IRecordKind<TRow, TRequest, TResponse> where TRow : VersionedRow, new()
{
    /// <summary>The record, as a sentence says it: <c>source</c>.</summary>
    static abstract string Noun { get; }

    /// <summary>Its collection's path: <c>/api/v1/sources</c>.</summary>
    static abstract string Path { get; }

    /// <summary>The write record (storage form) of a request the validator has accepted.</summary>
    static abstract object Write(TRequest request);

    static abstract TResponse Response(TRow row);

    /// <summary>The live rows that refer to a record, each an EXISTS over <c>@Id</c>: while one does, a delete is a 409.</summary>
    static abstract IReadOnlyList<RecordReference> ReferringRows { get; }

    /// <summary>
    /// The live, published rows that refer to a record, each an EXISTS over <c>@Id</c>: while one does, a change that
    /// would make it a draft (by a key that does not publish) is a 409, so that nothing public cites what is not.
    /// </summary>
    static abstract IReadOnlyList<RecordReference> PublishedReferringRows { get; }

    /// <summary>What a replace or delete of record <c>id</c> changes elsewhere, in its transaction (none by default).</summary>
    static virtual Task AfterChangeAsync(WriteScope scope, long id, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// The endpoints every versioned record has, as donations have them: get one (ETag, 304, 410 once deleted), create
/// (editor, 201 with Location and ETag), replace and delete (editor, If-Match: 428 without, 412 when stale; a delete is
/// a tombstone, refused with 409 while a live row refers to the record). The list and the history, whose shapes are
/// the record's own, are the feature's.
/// </summary>
public static class RecordEndpoints<TKind, TRow, TRequest, TResponse>
    where TKind : IRecordKind<TRow, TRequest, TResponse>
    where TRow : VersionedRow, new()
{
    /// <summary>Maps GET /{id} on <paramref name="group"/>, and POST, PUT /{id} and DELETE /{id} on <paramref name="editor"/>; the names are the operations' ids, such as GetSource.</summary>
    // The handlers go in as Delegate fields: ASP.NET's route handler analyzer throws on a method group of a generic class.
    private static readonly Delegate GetHandler = Get, CreateHandler = Create, ReplaceHandler = Replace, DeleteHandler = Delete;

    public static void Map(RouteGroupBuilder group, RouteGroupBuilder editor, string name, string summaryNoun)
    {
        var noun = TKind.Noun;
        group.MapGet("/{id}", GetHandler).WithName($"Get{name}")
            .WithSummary($"Get {summaryNoun}")
            .WithDescription($"One {noun}, with its ETag: the row's version, then the data version (use it as is for If-Match). If-None-Match with the current ETag gets 304. A deleted {noun} is 410; its history stays readable. A {noun} that is not published (a draft, a rejected one) is a 404 without the key of an editor, reviewer or admin.")
            .CacheReads(output: false, ownValidator: true)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        editor.MapPost("/", CreateHandler).WithName($"Create{name}")
            .WithSummary($"Record {summaryNoun}")
            .WithDescription($"Records {summaryNoun}. Needs an editor key. Returns 201 with Location and ETag. What is not known stays null. It is a draft for review unless the key publishes (an admin's, a trusted editor's).")
            .WithResponseHeader("ETag", $"The new {noun}'s ETag, for If-Match.", StatusCodes.Status201Created);
        editor.MapPut("/{id}", ReplaceHandler).WithName($"Replace{name}")
            .WithSummary($"Replace {summaryNoun}")
            .WithDescription($"Replaces {summaryNoun}. Needs an editor key and If-Match with the ETag you read: 428 without it, 412 when someone changed the {noun} since. A key whose changes are drafts makes it a draft again; 409 when a published record cites it.")
            .WithRecordPreconditions(noun)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithResponseHeader("ETag", $"The {noun}'s new ETag.", StatusCodes.Status200OK);
        editor.MapDelete("/{id}", DeleteHandler).WithName($"Delete{name}")
            .WithSummary($"Delete {summaryNoun}")
            .WithDescription($"Tombstones {summaryNoun}: it leaves every list, and its history keeps every version. Needs an editor key and If-Match. 409 while a live record refers to it.")
            .WithRecordPreconditions(noun)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static async Task<Results<Ok<TResponse>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        [Description("The record's id.")] long id, RecordRepository<TRow> records, HttpContext http, CancellationToken cancellationToken)
    {
        var row = await records.FindAsync(id, cancellationToken);
        if (row is null || !RecordVisibility.Sees(http, row)) return Problems.NotFound($"No {TKind.Noun} has the id {id}.");
        if (row.DeletedAt is not null) return Problems.Gone($"{Capitalised} {id} was deleted at {row.DeletedAt}. Its history is at {TKind.Path}/{id}/history.");
        var etag = ETags.WithCoding(http, ETagOf(row));
        http.Response.Headers.ETag = etag;
        if (ETags.IfNoneMatchHits(http.Request.Headers.IfNoneMatch, etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(TKind.Response(row));
    }

    /// <summary>
    /// The body, which the framework lets through as null (a JSON <c>null</c>) for a generic parameter, whose
    /// nullability it cannot see: refused as the pipeline refuses a missing body, a 400 naming <c>body</c>.
    /// </summary>
    private static TRequest Present(TRequest? request) =>
        request ?? throw new BadHttpRequestException("The request body is missing or null.", StatusCodes.Status400BadRequest);

    public static async Task<Created<TResponse>> Create(
        TRequest request, RecordRepository<TRow> records, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await records.CreateAsync(TKind.Write(Present(request)), Change(http, clock), cancellationToken);
        http.Response.Headers.ETag = ETagOf(row);
        return TypedResults.Created($"{TKind.Path}/{row.Id}", TKind.Response(row));
    }

    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> Replace(
        [Description("The record's id.")] long id, TRequest request, RecordRepository<TRow> records, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted)) return IfMatchRequired(id);
        var outcome = await records.UpdateAsync(id, accepted, TKind.Write(Present(request)), Change(http, clock), TKind.PublishedReferringRows, cancellationToken,
            scope => TKind.AfterChangeAsync(scope, id, cancellationToken));
        if (outcome.Status == RecordWriteStatus.Referenced)
        {
            return Problems.Conflict($"{Capitalised} {id} cannot be changed by a key whose changes are drafts while {outcome.Reference!.What} cites it: the change would take it out of public view under a published record. A key whose writes are published (an admin's, a trusted editor's) may change it.");
        }
        if (outcome.Status != RecordWriteStatus.Done) return Failed(id, outcome, http);
        var row = outcome.Row!;
        http.Response.Headers.ETag = ETagOf(row);
        return TypedResults.Ok(TKind.Response(row));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        [Description("The record's id.")] long id, RecordRepository<TRow> records, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!ETags.TryReadIfMatch(http.Request.Headers.IfMatch, out var accepted)) return IfMatchRequired(id);
        var outcome = await records.DeleteAsync(id, accepted, Change(http, clock), TKind.ReferringRows, cancellationToken,
            scope => TKind.AfterChangeAsync(scope, id, cancellationToken));
        return outcome.Status == RecordWriteStatus.Done ? TypedResults.NoContent() : Failed(id, outcome, http);
    }

    /// <summary>The row version, then the data version: If-Match reads only the first.</summary>
    private static string ETagOf(TRow row) => ETags.ForRow(row.Version, row.DataVersion);

    private static string Capitalised => char.ToUpperInvariant(TKind.Noun[0]) + TKind.Noun[1..];

    /// <summary>Who makes a change (the key's name) and in which request (its trace id), the clock, and whether it is published at once.</summary>
    private static RecordChange Change(HttpContext http, TimeProvider clock) =>
        new(http.User.Identity?.Name ?? "anonymous", http.TraceIdentifier, clock, KeyRights.Publishes(http.User));

    private static ProblemHttpResult IfMatchRequired(long id) => Problems.Status(
        StatusCodes.Status428PreconditionRequired,
        $"Send If-Match with the ETag of {TKind.Noun} {id} as you last read it (GET {TKind.Path}/{id}), so that no one else's change is overwritten.");

    /// <summary>The problem of a write that did not happen, with the current ETag where the record exists.</summary>
    private static ProblemHttpResult Failed(long id, RecordWriteOutcome<TRow> outcome, HttpContext http)
    {
        var current = outcome.CurrentVersion is { } version ? ETags.ForRow(version, outcome.DataVersion) : null;
        if (current is not null) http.Response.Headers.ETag = current;
        return outcome.Status switch
        {
            RecordWriteStatus.NotFound => Problems.NotFound($"No {TKind.Noun} has the id {id}."),
            RecordWriteStatus.Gone => Problems.Gone($"{Capitalised} {id} was deleted. Its history is at {TKind.Path}/{id}/history."),
            RecordWriteStatus.Referenced => Problems.Conflict($"{Capitalised} {id} cannot be deleted while {outcome.Reference!.What} refers to it. Delete or change that first."),
            _ => Problems.Status(StatusCodes.Status412PreconditionFailed,
                $"{Capitalised} {id} has changed since you read it: it is now at ETag {current}. Read it again and reapply your change."),
        };
    }
}
