using System.Buffers;
using System.Globalization;
using System.Text;
using AidTracker.Api.Donations;
using AidTracker.Api.Infrastructure;
using AidTracker.Api.Releases;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AidTracker.Api.Exports;

public static class ExportEndpoints
{
    public static IServiceCollection AddExports(this IServiceCollection services) => services.AddSingleton<DonationExport>();

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        // Exports stream for as long as the client reads: the request time limit does not apply.
        var exports = app.MapGroup("/api/v1/exports").WithTags("Exports").WithApiConventions();
        exports.DisableRequestTimeout();
        exports.CacheReads(output: false);
        exports.MapGet("/donations.csv", ExportCsv).WithName("ExportDonationsCsv")
            .WithSummary("Export donations as CSV")
            .WithDescription("Every donation the filters select, in id order, streamed: RFC 4180, UTF-8, a header row, the columns of GET /api/v1/codebook. Text that a spreadsheet would run as a formula starts with a single quote. AidTracker-Row-Count and AidTracker-As-Of (the last change the file holds: as_of set to it gives the same rows) say what the file holds; with release, AidTracker-Release, and Repr-Digest (RFC 9530, SHA-256) when the whole release is asked for.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        exports.MapGet("/donations.ndjson", ExportNdjson).WithName("ExportDonationsNdjson")
            .WithSummary("Export donations as NDJSON")
            .WithDescription("As the CSV export, one JSON object per line: the objects of GET /api/v1/donations.")
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson");
        exports.MapGet("/donations.parquet", ExportParquet).WithName("ExportDonationsParquet")
            .WithSummary("Export donations as Parquet")
            .WithDescription("As the CSV export, as a typed Parquet file: dates as DATE, integers as INT64, value_amount as DECIMAL(22,4) and value_eur as DECIMAL(20,2), timestamps as UTC timestamps, written in row groups of 32,768 rows.")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/vnd.apache.parquet");

        var codebook = app.MapGroup("/api/v1").WithTags("Exports").WithApiConventions();
        codebook.CacheReads(output: false);
        codebook.MapGet("/codebook", () => TypedResults.Ok(new Codebook(ExportColumns.All.Select(CodebookColumn.From).ToList())))
            .WithName("GetCodebook").WithSummary("Describe every exported column")
            .WithDescription("Each column of the exports, in order: its meaning, type, allowed values and unit. Also as Markdown (/codebook.md) and CSV (/codebook.csv), for a paper's appendix.");
        codebook.MapGet("/codebook.md", () => TypedResults.Text(CodebookMarkdown(), "text/markdown; charset=utf-8"))
            .WithName("GetCodebookMarkdown").WithSummary("The codebook as a Markdown table")
            .WithDescription("The codebook as one Markdown table: column, type, meaning, allowed values, unit.")
            .Produces<string>(StatusCodes.Status200OK, "text/markdown");
        codebook.MapGet("/codebook.csv", () => TypedResults.Text(CodebookCsv(), "text/csv; charset=utf-8"))
            .WithName("GetCodebookCsv").WithSummary("The codebook as CSV")
            .WithDescription("The codebook as CSV with a header row: column, type, meaning, allowed_values, unit.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return app;
    }

    public static Task<Results<EmptyHttpResult, ValidationProblem>> ExportCsv(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ReleaseRepository releases, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, releases, http, "csv", "text/csv; charset=utf-8",
            (parsed, start) => export.WriteCsvAsync(parsed, http.Response.BodyWriter, start, cancellationToken), cancellationToken);

    public static Task<Results<EmptyHttpResult, ValidationProblem>> ExportNdjson(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ReleaseRepository releases, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, releases, http, "ndjson", "application/x-ndjson; charset=utf-8",
            (parsed, start) => export.WriteNdjsonAsync(parsed, http.Response.BodyWriter, start, cancellationToken), cancellationToken);

    public static Task<Results<EmptyHttpResult, ValidationProblem>> ExportParquet(
        [AsParameters] DonationFilterQuery filter, DonationQueryParser parser, DonationExport export, ReleaseRepository releases, HttpContext http, CancellationToken cancellationToken) =>
        ExportAsync(filter, parser, export, releases, http, "parquet", "application/vnd.apache.parquet",
            (parsed, start) => export.WriteParquetAsync(parsed, http.Response.BodyWriter, start, cancellationToken), cancellationToken);

    private static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync(
        DonationFilterQuery query,
        DonationQueryParser parser,
        DonationExport export,
        ReleaseRepository releases,
        HttpContext http,
        string extension,
        string contentType,
        Func<DonationFilter, Func<DonationExport.Snapshot, Task>, Task> write,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseFilterAsync(query, errors, cancellationToken) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // The release's digest is of its whole CSV: a slice of it, or another format, has none to send.
        var digest = filter.Release is not null && !filter.IsSlice && extension == "csv"
            ? (await releases.FindAsync(filter.Release, cancellationToken))?.CsvSha256
            : null;
        // A HEAD gets the headers of the GET, counted in the same way, and no row is read.
        await (HeadRequests.IsHead(http) ? export.HeadersAsync(filter, Start, cancellationToken) : write(filter, Start));
        return TypedResults.Empty;

        Task Start(DonationExport.Snapshot snapshot)
        {
            var response = http.Response;
            var asOf = Timestamps.Parse(snapshot.AsOf);
            var release = filter.Release is null ? "" : $"-release-{filter.Release}";
            var slice = filter.IsSlice ? "-filtered" : "";
            var name = $"aidtracker-donations{release}{slice}-as-of-{asOf.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.{extension}";
            response.ContentType = contentType;
            response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = name }.ToString();
            response.Headers["AidTracker-As-Of"] = snapshot.AsOf;
            response.Headers["AidTracker-Row-Count"] = snapshot.Rows.ToString(CultureInfo.InvariantCulture);
            if (filter.Release is not null) response.Headers["AidTracker-Release"] = filter.Release;
            // RFC 9530: the digest of the whole representation, base64 between colons.
            if (digest is not null) response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(digest))}:";
            return response.StartAsync(cancellationToken);
        }
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
