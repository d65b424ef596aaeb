using System.Buffers;
using System.ComponentModel;
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
        return services.AddSingleton<TableExport>().AddSingleton<ExportSlots>().AddSingleton<ReleaseDigests>();
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
            .WithIntegerResponseHeader(RowCountHeader, "How many rows the file holds.", StatusCodes.Status200OK)
            .WithResponseHeader(AsOfHeader, "The last change the file holds (UTC timestamp): as_of set to it gives the same rows.", StatusCodes.Status200OK)
            .WithResponseHeader(ReleaseHeader, "The release the file holds; only with release.", StatusCodes.Status200OK);
        foreach (var table in ExportTables.All) MapTable(exports, table);

        // The descriptor of the CSV files: the same query as theirs, no file headers.
        var package = app.MapGroup("/api/v1/exports").WithTag("Exports", ExportsTag).WithApiConventions().WithExportBudget();
        package.DisableRequestTimeout();
        package.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        package.CacheReads(output: false).WithQueryValues([.. DonationFilters.QueryValues]);
        package.MapGet("/datapackage.json", GetDataPackage).WithName("GetDataPackage")
            .WithSummary("Describe the CSV exports as a Frictionless Data Package")
            .WithDescription($"A Frictionless Data Package descriptor (v1 and v2) of the CSV exports of the same query: one resource per table ({string.Join(", ", ExportTables.All.Select(t => t.Name))}), its path the table's file name ({{table}}.csv, to be saved beside the descriptor), its table schema the CSV's columns in order with their types, codebook meanings, required, enum and pattern constraints, primary key and foreign keys; an empty cell is null (missingValues). With release, each resource also has the bytes and SHA-256 (hash) of its file, which the release's export gives byte for byte; working them out takes a CSV export of each table, counted among Exports:MaxConcurrent (503 with Retry-After past it).");

        var codebook = app.MapGroup("/api/v1").WithTag("Exports", ExportsTag).WithApiConventions();
        codebook.CacheReads(output: false);
        codebook.MapGet("/codebook", () => TypedResults.Ok(Codebook.Of(ExportTables.All)))
            .WithName("GetCodebook").WithSummary("Describe every exported column")
            .WithDescription("Each column of the exports, in order: its meaning, type, allowed values and unit; columns are the donations', tables every exported table's. Also as Markdown (/codebook.md, a table per exported table) and CSV (/codebook.csv, a row per column of every exported table, the table named first), for a paper's appendix. GET /api/v1/exports/datapackage.json says the same as a Frictionless Data Package.");
        codebook.MapGet("/codebook.md", () => TypedResults.Text(CodebookMarkdown(), MarkdownType))
            .WithName("GetCodebookMarkdown").WithSummary("The codebook as Markdown tables")
            .WithDescription("The codebook as Markdown: one table per exported table (column, type, meaning, allowed values, unit), the donations' first, then each other under a heading with its name.")
            .Produces<Stream>(StatusCodes.Status200OK, MarkdownType);
        codebook.MapGet("/codebook.csv", () => TypedResults.Text(CodebookCsv(), CsvType))
            .WithName("GetCodebookCsv").WithSummary("The codebook as CSV")
            .WithDescription("The codebook as CSV with a header row: table, column, type, meaning, allowed_values, unit; a row per column of every exported table, the tables in the order of GET /api/v1/codebook, the columns in file order.")
            .Produces<Stream>(StatusCodes.Status200OK, CsvType);
        return app;
    }

    /// <summary>A table's three files: GET /api/v1/exports/{name}.csv, .ndjson and .parquet, named Export{Name}Csv and so on.</summary>
    private static void MapTable(RouteGroupBuilder exports, ExportTable table)
    {
        var name = string.Concat(table.Name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        foreach (var format in Formats)
        {
            exports.MapGet($"/{table.Name}.{format.Extension}", ([AsParameters] DonationFilterQuery filter, DonationQueryParser parser, TableExport export, ExportSlots slots, ScratchFiles scratch, HttpContext http, CancellationToken cancellationToken) =>
                    ExportAsync(table, filter, parser, export, slots, scratch, http, format.Extension, format.ContentType,
                        (parsed, spool) => format.Write(export, table, parsed, spool, cancellationToken), cancellationToken))
                .WithName($"Export{name}{format.Name}")
                .WithSummary($"Export {table.Name.Replace('_', ' ')} as {format.Title}")
                .WithDescription(format.Description(table))
                .Produces<Stream>(StatusCodes.Status200OK, format.ContentType);
        }
    }

    /// <summary>A file format of the exports: its extension, media type, operation name part and title, description of a table's file, and writer.</summary>
    private sealed record FileFormat(
        string Extension,
        string ContentType,
        string Name,
        string Title,
        Func<ExportTable, string> Description,
        Func<TableExport, ExportTable, DonationFilter, Stream, CancellationToken, Task<TableExport.Snapshot>> Write);

    /// <summary>The formats every table is exported in: routes {table}.csv, .ndjson and .parquet.</summary>
    private static readonly FileFormat[] Formats =
    [
        new("csv", CsvType, "Csv", "CSV", table => $"Every {table.Row} the filters select, in {string.Join(", ", table.PrimaryKey)} order: RFC 4180, UTF-8, a header row, the columns of GET /api/v1/codebook. Text that a spreadsheet would run as a formula (= + - @ or their fullwidth forms, after any blanks or invisible characters; a leading tab or carriage return) starts with a single quote. The file is written whole before it is sent, so Content-Length gives its size, and an uncompressed answer carries Repr-Digest (RFC 9530, SHA-256 of the file); AidTracker-Row-Count and AidTracker-As-Of (the last change the file holds: as_of set to it gives the same rows) say what it holds; with release, AidTracker-Release. Past Exports:MaxConcurrent exports at once: 503 with Retry-After.",
            (export, table, filter, spool, cancellationToken) => export.WriteCsvAsync(table, filter, spool, cancellationToken)),
        new("ndjson", NdjsonType, "Ndjson", "NDJSON", table => $"As the CSV export, one JSON object per line: the objects of GET /api/v1/{table.Name}.",
            (export, table, filter, spool, cancellationToken) => export.WriteNdjsonAsync(table, filter, spool, cancellationToken)),
        new("parquet", ParquetType, "Parquet", "Parquet", table => string.Create(CultureInfo.InvariantCulture,
                $"As the CSV export, as a typed Parquet file: dates as DATE, integers as INT64, {ParquetDecimals(table)}timestamps as UTC timestamps, written in row groups of {TableExport.ParquetRowGroup:N0} rows."),
            (export, table, filter, spool, cancellationToken) => export.WriteParquetAsync(table, filter, spool, cancellationToken)),
    ];

    /// <summary>The decimal columns' Parquet types, as the Parquet export's description lists them: "value_eur as DECIMAL(20,2), ".</summary>
    private static string ParquetDecimals(ExportTable table)
    {
        var decimals = table.Columns.Where(c => c.Type == ColumnType.Decimal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} as DECIMAL({c.DecimalDigits.Precision},{c.DecimalDigits.Scale})")).ToList();
        return decimals.Count == 0 ? "" : string.Join(" and ", decimals) + ", ";
    }

    /// <summary>
    /// The data package descriptor of the CSV exports of the same query. For a release, each file's bytes and SHA-256,
    /// taken by writing it (in a place among the exports), and kept: a release's files never change.
    /// </summary>
    public static async Task<Results<Ok<DataPackageDescriptor>, ValidationProblem, ProblemHttpResult>> GetDataPackage(
        [AsParameters] DonationFilterQuery query, DonationQueryParser parser, TableExport export, ExportSlots slots, ReleaseDigests kept, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await parser.ParseFilterAsync(query, errors, cancellationToken) is not { } filter)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        if (filter.Release is null) return TypedResults.Ok(DataPackages.Describe(ExportTables.All, filter, null));
        if (!kept.TryGet(filter, out var digests))
        {
            using var slot = slots.TryTake();
            if (slot is null) return Refused(slots, http.Response);
            var taken = new Dictionary<string, TableExport.CsvDigest>();
            foreach (var table in ExportTables.All) taken[table.Name] = await export.DigestCsvAsync(table, filter, cancellationToken);
            kept.Keep(filter, digests = taken);
        }
        return TypedResults.Ok(DataPackages.Describe(ExportTables.All, filter, digests));
    }

    private static ProblemHttpResult Refused(ExportSlots slots, HttpResponse response)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status503ServiceUnavailable,
            $"{slots.Max} exports are running, the most this instance runs at once (Exports:MaxConcurrent). Retry after {RetryAfterSeconds} s.");
    }

    /// <summary>
    /// Takes a place among the exports running at once, writes the whole export into a scratch file at full speed (so
    /// that its read snapshot ends then, whatever the client's speed, and any failure is still a problem response),
    /// then sends the file with its length and digest.
    /// </summary>
    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        ExportTable table,
        DonationFilterQuery query,
        DonationQueryParser parser,
        TableExport export,
        ExportSlots slots,
        ScratchFiles scratch,
        HttpContext http,
        string extension,
        string contentType,
        Func<DonationFilter, Stream, Task<TableExport.Snapshot>> write,
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
            SetHeaders(await export.CountAsync(table, filter, cancellationToken));
            return TypedResults.Empty;
        }
        using var slot = slots.TryTake();
        if (slot is null) return Refused(slots, response);

        await using var spool = scratch.Create("export");
        TableExport.Snapshot snapshot;
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

        void SetHeaders(TableExport.Snapshot snapshot)
        {
            var asOf = Timestamps.Parse(snapshot.AsOf);
            var release = filter.Release is null ? "" : $"-release-{filter.Release}";
            var slice = filter.IsSlice ? "-filtered" : "";
            var name = $"aidtracker-{table.Name}{release}{slice}-as-of-{asOf.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.{extension}";
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

    public sealed record CodebookTable(
        [property: Description("The table's name: its files are GET /api/v1/exports/{name}.csv, .ndjson and .parquet.")] string Name,
        [property: Description("The columns that name a row; the files are in their order.")] IReadOnlyList<string> PrimaryKey,
        IReadOnlyList<CodebookColumn> Columns);

    public sealed record Codebook(
        [property: Description("The columns of the donations files, in order (the first of tables).")] IReadOnlyList<CodebookColumn> Columns,
        [property: Description("Every exported table, the donations first, with its columns in file order.")] IReadOnlyList<CodebookTable> Tables)
    {
        public static Codebook Of(IReadOnlyList<ExportTable> tables)
        {
            var described = tables.Select(t => new CodebookTable(t.Name, t.PrimaryKey, [.. t.Columns.Select(CodebookColumn.From)])).ToList();
            return new Codebook(described[0].Columns, described);
        }
    }

    /// <summary>One Markdown table per exported table: the donations' first, then each other under its name.</summary>
    private static string CodebookMarkdown()
    {
        var text = new StringBuilder();
        foreach (var table in ExportTables.All)
        {
            if (table != ExportTables.Donations) text.Append(CultureInfo.InvariantCulture, $"\n## `{table.Name}`\n\n");
            text.Append("| column | type | meaning | allowed values | unit |\n|---|---|---|---|---|\n");
            foreach (var column in table.Columns.Select(CodebookColumn.From))
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{column.Name}` | {column.Type} | {column.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} | {column.AllowedValues} | {column.Unit} |\n");
            }
        }
        return text.ToString();
    }

    /// <summary>A row per column of every exported table, the table's name first.</summary>
    private static string CodebookCsv()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("table,column,type,meaning,allowed_values,unit\r\n"u8);
        foreach (var (table, column) in ExportTables.All.SelectMany(t => t.Columns.Select(c => (t.Name, CodebookColumn.From(c)))))
        {
            string?[] cells = [table, column.Name, column.Type, column.Meaning, column.AllowedValues, column.Unit];
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
