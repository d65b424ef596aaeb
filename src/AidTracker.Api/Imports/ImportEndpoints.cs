using System.ComponentModel;
using System.Security.Cryptography;
using AidTracker.Api.Auth;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Imports;

public static class ImportEndpoints
{
    public static IServiceCollection AddImports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection("Imports"))
            .Validate(o => o.MaxBytes > 0 && o.MaxRows > 0 && o.UploadTimeoutSeconds > 0, "Imports:MaxBytes, Imports:MaxRows and Imports:UploadTimeoutSeconds must be positive.")
            .ValidateOnStart();
        return services.AddSingleton<DonationImport>().AddProblemExtensions(RowErrors, ErrorCount);
    }

    /// <summary>The body's media type: any other is a 415.</summary>
    private const string CsvMediaType = "text/csv";

    public static RouteGroupBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/imports").WithTag("Imports", "Donations loaded from a CSV in one transaction, and the record of each import.").WithApiConventions();
        group.MapGet("/{id}", GetImport).WithName("GetImport").CacheReads()
            .WithSummary("Get an import")
            .WithDescription("One accepted import: who loaded which file (its SHA-256), and the ids of the donations it created. Their history entries carry its id.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // An upload has its own size (Imports:MaxBytes) and time (Imports:UploadTimeoutSeconds) limits, checked as it arrives.
        var editor = group.MapGroup("").RequireApiKey(Policies.Editor).WithOwnBodyLimit();
        editor.DisableRequestTimeout();
        editor.MapPost("/donations", ImportDonations).WithName("ImportDonations")
            .WithSummary("Import donations from CSV")
            .WithDescription("""
                Creates a donation for every row of a CSV (UTF-8, RFC 4180, header row) in the export's columns, sent as the body
                with Content-Type text/csv. One transaction: every row lands, or none does. Each row is checked as POST /donations
                checks a body, and a 422 lists every bad row with its line, column and reason (the first 1,000; error_count has the
                total). A reason quotes a cell up to 200 characters, then cuts it with an ellipsis and its length; a cell past
                10,000 characters is an error of its row. Needed columns: donor, recipient, weapon_system, status, announced_on, and
                source or evidence; the others of the export are optional, and those the database assigns or derives (id, names,
                category, quantity_delivered, first_reported_on, how value_eur was reached, created_at, updated_at, version) are left
                aside and listed in ignored_columns; a row's id is only its key in the file, and new ids are assigned. A row's evidence
                is either one citation in the columns source (an existing source's id), quote, locator, credibility (1 to 6) and
                supports (a comma list; announcement when empty), or the column evidence: a JSON array of citations as
                GET /donations/{id} writes them. Its instalments are the column deliveries, a JSON array of deliveries as
                GET /donations/{id} writes them, each with its evidence (ids and source titles there are left aside). The status
                rules hold per row: partially_delivered or delivered exactly when there are deliveries, and exact delivered
                quantities within an exact promised one. Text that an export neutralised against formulas (a leading ') is restored. Limits:
                Imports:MaxBytes (413 past it), Imports:MaxRows, and Imports:UploadTimeoutSeconds for the upload to arrive (408 past it). With an Idempotency-Key, a retried upload of the same file
                returns the first import (Idempotent-Replayed: true) instead of importing twice; the same key with another file is a 422 naming Idempotency-Key.
                """)
            .Accepts<Stream>(CsvMediaType)
            .WithQueryValues(IdempotencyStore.KeyValue)
            .WithResponseHeader("Idempotent-Replayed", "true when this is the import an earlier upload with the same Idempotency-Key made.", StatusCodes.Status201Created)
            // Its 413 and 422 list rows (TooLarge, ImportProblem); its 400 names fields, as every other endpoint's does.
            .ProducesProblem(RefusedImport, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> GetImport(
        [Description("The import id.")] long id, DonationImport imports, CancellationToken cancellationToken) =>
        await imports.FindAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound($"No import has the id {id}.");

    public static async Task<Results<Created<ImportResponse>, ProblemHttpResult, ValidationProblem>> ImportDonations(
        [FromHeader(Name = "Idempotency-Key"), Description("Any unique string up to 255 printable ASCII characters, such as a UUID: a retry with the same key and file never imports twice.")]
        string? idempotencyKey,
        HttpContext http,
        DonationImport import,
        ScratchFiles scratch,
        IOptions<ImportOptions> options,
        CancellationToken cancellationToken)
    {
        var request = http.Request;
        // Routing (Accepts) refuses another media type, but lets a body without Content-Type through: this refuses it.
        if (!string.Equals(request.GetTypedHeaders().ContentType?.MediaType.Value, CsvMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Send the CSV file as the body, with Content-Type: text/csv.");
        }
        idempotencyKey = IdempotencyStore.KeyOf(request, idempotencyKey);
        if (idempotencyKey is not null && !IdempotencyStore.IsValidKey(idempotencyKey))
        {
            return Problems.Validation("Idempotency-Key", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
        }
        var maxBytes = options.Value.MaxBytes;
        if (request.ContentLength > maxBytes) return TooLarge(maxBytes);
        // Kestrel's own limit (30 MB by default) would cut the upload with a bare 413 first.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes + 1;
        // A large file takes longer to arrive than Limits:RequestTimeoutMilliseconds allows a body, but not for ever.
        http.Features.Get<BodyDeadline>()?.Extend(TimeSpan.FromSeconds(options.Value.UploadTimeoutSeconds), "Imports:UploadTimeoutSeconds");

        // The upload is kept in a file first, so that a slow client never holds the write lock, and so that its
        // digest is known before anything is decided. A scratch file has no name once open: a kill leaves nothing.
        await using var file = scratch.Create("import");
        var sha256 = await SpoolAsync(request.Body, file, maxBytes, cancellationToken);
        if (sha256 is null) return TooLarge(maxBytes);
        var outcome = await import.RunAsync(file, sha256, http.User.Identity?.Name ?? "anonymous", KeyRights.Publishes(http.User), http.TraceIdentifier, idempotencyKey, cancellationToken);
        switch (outcome)
        {
            case DonationImport.Accepted accepted:
                if (accepted.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Created($"/api/v1/imports/{accepted.Import.Id}", accepted.Import.ToResponse());
            case DonationImport.KeyReused reused:
                var reason = $"This key was used for a different file, which became import {reused.Earlier.Id}. Use a new key for a new file.";
                return ImportProblem(StatusCodes.Status422UnprocessableEntity, reason, [new ImportError(null, "Idempotency-Key", reason)], 1);
            case DonationImport.Rejected rejected:
                return ImportProblem(StatusCodes.Status422UnprocessableEntity,
                    $"The import was refused and nothing was imported: {rejected.ErrorCount:N0} error(s). Fix every listed row and send the whole file again.",
                    rejected.Errors, rejected.ErrorCount);
            default:
                throw new InvalidOperationException($"Unknown import outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>Copies the body to <paramref name="file"/>; its SHA-256 (hex), or null once it passes <paramref name="maxBytes"/>.</summary>
    private static async Task<string?> SpoolAsync(Stream body, FileStream file, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if ((total += read) > maxBytes) return null;
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        await file.FlushAsync(cancellationToken);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ProblemHttpResult TooLarge(long maxBytes) => ImportProblem(StatusCodes.Status413PayloadTooLarge,
        $"The file is larger than {maxBytes:N0} bytes, the most one import takes. Split it into several files.",
        [new ImportError(null, "file", $"larger than {maxBytes:N0} bytes")], 1);

    /// <summary>A problem whose <c>errors</c> list each bad row: line, field and reason.</summary>
    private static ProblemHttpResult ImportProblem(int status, string detail, IReadOnlyList<ImportError> errors, long count) =>
        TypedResults.Problem(detail: detail, statusCode: status,
            extensions: new Dictionary<string, object?> { [RowErrors.Name] = errors, [ErrorCount.Name] = count });

    /// <summary>
    /// The problem of a refused import (<see cref="ImportProblem"/>): its rows under <c>errors</c>, where every other
    /// problem writes field errors, so a schema of its own.
    /// </summary>
    public static readonly ProblemSchema RefusedImport = new("ImportProblem",
        "An RFC 9457 problem (application/problem+json) of a refused import: nothing was imported, and errors lists the bad rows.");

    /// <summary>The rows a refused import lists in its problem, in place of the field errors of other problems.</summary>
    internal static readonly ProblemExtension RowErrors = new("errors", typeof(IReadOnlyList<ImportError>),
        FormattableString.Invariant($"Each bad row (its line, column and reason), the first {DonationImport.MaxListedErrors:N0}."),
        Problem: RefusedImport);

    /// <summary>How many errors a refused import had, listed or not.</summary>
    internal static readonly ProblemExtension ErrorCount = new("error_count", typeof(long),
        "How many errors the import had, including those past the listed ones.", Problem: RefusedImport);
}
