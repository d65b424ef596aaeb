using System.Buffers;
using System.Globalization;
using System.Text;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;

namespace AidTracker.Api.Exports;

public static class ExportEndpoints
{
    /// <summary>What the Exports tag groups; the file exports and the codebook are two route groups under it.</summary>
    private const string ExportsTag = "The whole dataset as files (CSV, NDJSON, Parquet) and its codebook.";

    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section)
            .Validate(o => o.MaxConcurrent > 0, "Exports:MaxConcurrent must be positive.")
            .ValidateOnStart();
        return services.AddSingleton<DonationExport>().AddSingleton<ExportSlots>();
    }

    /// <summary>The media types of the files, as sent and as documented (files: binary bodies).</summary>
    private const string CsvType = "text/csv; charset=utf-8", NdjsonType = "application/x-ndjson; charset=utf-8",
        ParquetType = "application/vnd.apache.parquet", MarkdownType = "text/markdown; charset=utf-8";

    private const string RowCountHeader = "AidTracker-Row-Count", AsOfHeader = "AidTracker-As-Of", ReleaseHeader = "AidTracker-Release";

    /// <summary>What a refused export is told to wait, in seconds: about one export of a million rows.</summary>
    public const int RetryAfterSeconds = 10;

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        // An export lasts as long as its client reads: the request time limit does not apply, but the number of exports
        // at once does (ExportSlots: 503 with Retry-After).
        var exports = app.MapGroup("/api/v1/exports").WithTag("Exports", ExportsTag).WithApiConventions().WithExportBudget();
        exports.DisableRequestTimeout();
        exports.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        exports.CacheReads(output: false).WithQueryValues([.. DonationFilters.QueryValues]);
        // The headers SetHeaders and ExportAsync send with a file.
        exports.WithResponseHeader(HeaderNames.ContentDisposition, "attachment, with a file name that says the release, whether filtered, and the as-of time.", StatusCodes.Status200OK)
            .WithResponseHeader("Repr-Digest", "RFC 9530: sha-256 of the file as sent, base64 between colons. Absent on a compressed answer and on HEAD.", StatusCodes.Status200OK)
            .WithIntegerResponseHeader(RowCountHeader, "How many donations the file holds.", StatusCodes.Status200OK)
            .WithResponseHeader(AsOfHeader, "The last change the file holds (UTC timestamp): as_of set to it gives the same rows.", StatusCodes.Status200OK)
            .WithResponseHeader(ReleaseHeader, "The release the file holds; only with release.", StatusCodes.Status200OK);
        exports.MapGet("/donations.csv", ExportCsv).WithName("ExportDonationsCsv")
            .WithSummary("Export donations as CSV")
            .WithDescription("Every donation the filters select, in id order: RFC 4180, UTF-8, a header row, the columns of GET /api/v1/codebook. Text that a spreadsheet would run as a formula (= + - @ or their fullwidth forms, after any blanks or invisible characters; a leading tab or carriage return) starts with a single quote. The file is written whole before it is sent, so Content-Length gives its size, and an uncompressed answer carries Repr-Digest (RFC 9530, SHA-256 of the file); AidTracker-Row-Count and AidTracker-As-Of (the last change the file holds: as_of set to it gives the same rows) say what it holds; with release, AidTracker-Release. Past Exports:MaxConcurrent exports at once: 503 with Retry-After.")
            .Produces<Stream>(StatusCodes.Status200OK, CsvType);
        exports.MapGet("/donations.ndjson", ExportNdjson).WithName("ExportDonationsNdjson")
            .WithSummary("Export donations as NDJSON")
            .WithDescription("As the CSV export, one JSON object per line: the objects of GET /api/v1/donations.")
            .Produces<Stream>(StatusCodes.Status200OK, NdjsonType);
        exports.MapGet("/donations.parquet", ExportParquet).WithName("ExportDonationsParquet")
            .WithSummary("Export donations as Parquet")
            .WithDescription(string.Create(CultureInfo.InvariantCulture, $"As the CSV export, as a typed Parquet file: dates as DATE, integers as INT64, value_amount as DECIMAL(22,4) and value_eur as DECIMAL(20,2), timestamps as UTC timestamps, written in row groups of {DonationExport.ParquetRowGroup:N0} rows."))
            .Produces<Stream>(StatusCodes.Status200OK, ParquetType);

        var codebook = app.MapGroup("/api/v1").WithTag("Exports", ExportsTag).WithApiConventions();
        codebook.CacheReads(output: false);
        codebook.MapGet("/codebook", () => TypedResults.Ok(new Codebook(ExportColumns.All.Select(CodebookColumn.From).ToList())))
            .WithName("GetCodebook").WithSummary("Describe every exported column")
            .WithDescription("Each column of the exports, in order: its meaning, type, allowed values and unit. Also as Markdown (/codebook.md) and CSV (/codebook.csv), for a paper's appendix.");
        codebook.MapGet("/codebook.md", () => TypedResults.Text(CodebookMarkdown(), MarkdownType))
            .WithName("GetCodebookMarkdown").WithSummary("The codebook as a Markdown table")
            .WithDescription("The codebook as one Markdown table: column, type, meaning, allowed values, unit.")
            .Produces<Stream>(StatusCodes.Status200OK, MarkdownType);
        codebook.MapGet("/codebook.csv", () => TypedResults.Text(CodebookCsv(), CsvType))
            .WithName("GetCodebookCsv").WithSummary("The codebook as CSV")
            .WithDescription("The codebook as CSV with a header row: column, type, meaning, allowed_values, unit.")
            .Produces<Stream>(StatusCodes.Status200OK, CsvType);
        return app;
    }

    public static Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportCsv(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ExportSlots slots, ScratchFiles scratch, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, slots, scratch, http, "csv", CsvType,
            (parsed, spool) => export.WriteCsvAsync(parsed, spool, cancellationToken), cancellationToken);

    public static Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportNdjson(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ExportSlots slots, ScratchFiles scratch, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, slots, scratch, http, "ndjson", NdjsonType,
            (parsed, spool) => export.WriteNdjsonAsync(parsed, spool, cancellationToken), cancellationToken);

    public static Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportParquet(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ExportSlots slots, ScratchFiles scratch, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, slots, scratch, http, "parquet", ParquetType,
            (parsed, spool) => export.WriteParquetAsync(parsed, spool, cancellationToken), cancellationToken);

    /// <summary>
    /// Takes a place among the exports running at once, writes the whole export into a scratch file at full speed (so
    /// that its read snapshot ends then, whatever the client's speed, and any failure is still a problem response),
    /// then sends the file with its length and digest.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        DonationFilterQuery query,
        DonationQueryParser parser,
        DonationExport export,
        ExportSlots slots,
        ScratchFiles scratch,
        HttpContext http,
        string extension,
        string contentType,
        Func<DonationFilter, Stream, Task<DonationExport.Snapshot>> write,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseFilterAsync(query, errors, cancellationToken) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var response = http.Response;
        // A HEAD gets the headers of the GET, counted in the same snapshot, and no row is read: so not the length or
        // digest, which only writing the file tells (RFC 9110 9.3.2 lets a HEAD leave those out).
        if (HeadRequests.IsHead(http))
        {
            SetHeaders(await export.CountAsync(filter, cancellationToken));
            return TypedResults.Empty;
        }
        using var slot = slots.TryTake();
        if (slot is null)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable,
                $"{slots.Max} exports are running, the most this instance runs at once (Exports:MaxConcurrent). Retry after {RetryAfterSeconds} s.");
        }

        await using var spool = scratch.Create("export");
        DonationExport.Snapshot snapshot;
        byte[] sha256;
        await using (var digesting = new DigestingStream(spool))
        {
            snapshot = await write(filter, digesting);
            await digesting.FlushAsync(cancellationToken);
            sha256 = digesting.Sha256();
        }

        SetHeaders(snapshot);
        response.ContentLength = spool.Length;
        // RFC 9530: the digest of the representation as sent, base64 between colons. A compressed answer's
        // representation is the compressed bytes, whose digest is not known here: it gets none.
        if (!IsCompressed(http)) response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(sha256)}:";
        spool.Position = 0;
        await spool.CopyToAsync(response.Body, 1 << 16, cancellationToken);
        return TypedResults.Empty;

        void SetHeaders(DonationExport.Snapshot snapshot)
        {
            var asOf = Timestamps.Parse(snapshot.AsOf);
            var release = filter.Release is null ? "" : $"-release-{filter.Release}";
            var slice = filter.IsSlice ? "-filtered" : "";
            var name = $"aidtracker-donations{release}{slice}-as-of-{asOf.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.{extension}";
            response.ContentType = contentType;
            response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = name }.ToString();
            response.Headers[AsOfHeader] = snapshot.AsOf;
            response.Headers[RowCountHeader] = snapshot.Rows.ToString(CultureInfo.InvariantCulture);
            if (filter.Release is not null) response.Headers[ReleaseHeader] = filter.Release;
        }
    }

    /// <summary>Whether response compression will code this answer (its content type set): the request accepts a coding the service has, for this type.</summary>
    private static bool IsCompressed(HttpContext http)
    {
        var compression = http.RequestServices.GetRequiredService<IResponseCompressionProvider>();
        return compression.CheckRequestAcceptsCompression(http) && compression.ShouldCompressResponse(http) && compression.GetCompressionProvider(http) is not null;
    }

    public sealed record CodebookColumn(string Name, string Type, string Meaning, string? AllowedValues, string? Unit)
    {
        public static CodebookColumn From(ExportColumn column) =>
            new(column.Name, column.Type.ToString().ToLowerInvariant(), column.Meaning, column.AllowedValues, column.Unit);
    }

    public sealed record Codebook(IReadOnlyList<CodebookColumn> Columns);

    private static string CodebookMarkdown()
    {
        var text = new StringBuilder("| column | type | meaning | allowed values | unit |\n|---|---|---|---|---|\n");
        foreach (var column in ExportColumns.All.Select(CodebookColumn.From))
        {
            text.Append(CultureInfo.InvariantCulture, $"| `{column.Name}` | {column.Type} | {column.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} | {column.AllowedValues} | {column.Unit} |\n");
        }
        return text.ToString();
    }

    private static string CodebookCsv()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("column,type,meaning,allowed_values,unit\r\n"u8);
        foreach (var column in ExportColumns.All.Select(CodebookColumn.From))
        {
            string?[] cells = [column.Name, column.Type, column.Meaning, column.AllowedValues, column.Unit];
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                if (cells[i] is { } cell) Csv.WriteCell(output, Encoding.UTF8.GetBytes(cell), isText: true);
            }
            output.Write("\r\n"u8);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
