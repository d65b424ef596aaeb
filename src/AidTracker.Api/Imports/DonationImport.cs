using System.Globalization;
using System.Text;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using Dapper;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Imports;

/// <summary>
/// Loads a CSV in the export's columns as new donations, in one transaction: every row lands or none does. Each row
/// is parsed and checked by the same validator as POST /donations, and every failure is collected (line, column,
/// reason) before anything is decided. The write lock is held for the whole file, so no other write interleaves.
/// </summary>
public sealed class DonationImport(
    Database connections, IValidator<DonationRequest> validator, IOptions<ImportOptions> options, TimeProvider clock)
{
    /// <summary>The errors a rejection lists at most; error_count says how many there were.</summary>
    public const int MaxListedErrors = 1000;

    /// <summary>
    /// The longest cell read: notes, the longest field, takes 4,000 characters. A longer cell is an error of its row and
    /// is read past without being kept, so that one giant cell costs no memory.
    /// </summary>
    public const int MaxCellLength = 10_000;

    /// <summary>The most of a cell that a reason quotes; past it the quote is cut, and says so and how long the cell was.</summary>
    public const int MaxQuotedLength = 200;

    /// <summary>
    /// The donation's own columns: the written fields on the wire, but first_reported_on, which the evidence gives, and
    /// how value_eur was reached, which the write says (reported, when a file states it).
    /// </summary>
    public static readonly IReadOnlyList<string> DonationColumns =
        [.. DonationFields.Written.Where(f => f.Type is not null && f.Name is not ("first_reported_on" or "value_eur_method" or "value_eur_rate" or "value_eur_rate_date")).Select(f => f.Name)];

    /// <summary>
    /// A row's one piece of evidence, the simple case: <c>source</c> (the id of an existing source), <c>quote</c>,
    /// <c>locator</c>, <c>credibility</c> (1 to 6) and <c>supports</c> (a comma list; announcement when empty).
    /// </summary>
    public static readonly IReadOnlyList<string> CitationColumns = ["source", "quote", "locator", "credibility", "supports"];

    /// <summary>The citation columns that a plain file carries (the generator's, the clients' tours): the source and its quote.</summary>
    public static readonly IReadOnlyList<string> EvidenceColumns = [.. CitationColumns.Take(2)];

    /// <summary>
    /// A row's evidence and deliveries in full: each a JSON array as GET /api/v1/donations/{id} writes them (ids and
    /// source titles are left aside: the database assigns them). A row gives its evidence here or in <see cref="CitationColumns"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> ChildColumns = ["evidence", "deliveries"];

    private static readonly string[] Required = [.. DonationFields.Written.Where(f => f.Required).Select(f => f.Name)];

    private static readonly string[] Optional = [.. DonationColumns.Where(name => !Required.Contains(name)), .. CitationColumns, .. ChildColumns];

    /// <summary>Export columns that the database assigns or derives: a file may carry them, and the import leaves them aside.</summary>
    public static readonly string[] Assigned = [.. DonationFields.Wire.Select(f => f.Name).Where(name => !Required.Contains(name) && !Optional.Contains(name))];

    public abstract record Outcome;

    /// <summary>The import, new or (<paramref name="Replayed"/>) the one an earlier upload with the same Idempotency-Key made.</summary>
    public sealed record Accepted(ImportRow Import, bool Replayed) : Outcome;

    public sealed record Rejected(IReadOnlyList<ImportError> Errors, long ErrorCount) : Outcome;

    /// <summary>The Idempotency-Key already named an import of a different file.</summary>
    public sealed record KeyReused(ImportRow Earlier) : Outcome;

    /// <summary>The columns an imported row is written to, and the values of the row's own (the rest are the change's stamp and version 1).</summary>
    private static readonly string[] InsertColumns = [.. DonationFields.Inserted.Select(f => f.Column!)];

    private static readonly Func<DonationWrite, object?>[] InsertValues = [.. DonationFields.Written.Select(f => f.Value!)];

    /// <summary>
    /// Imports <paramref name="file"/> from its start (a seekable stream: an upload spooled to a scratch file, or the
    /// verb's file), whose SHA-256 the caller has taken while receiving it.
    /// </summary>
    public async Task<Outcome> RunAsync(Stream file, string sha256, string changedBy, bool publishes, string? requestId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        if (idempotencyKey is not null && await write.Connection.QuerySingleOrDefaultAsync<ImportRow>(new CommandDefinition(
                $"{SelectImport} WHERE created_by = @ChangedBy AND idempotency_key = @Key", new { ChangedBy = changedBy, Key = idempotencyKey },
                write.Transaction, cancellationToken: cancellationToken)) is { } earlier)
        {
            return earlier.FileSha256 == sha256 ? new Accepted(earlier, Replayed: true) : new KeyReused(earlier);
        }

        await connections.BeginBulkWriteAsync(write, cancellationToken);
        try
        {
            return await ImportAsync(write, file, sha256, changedBy, publishes, requestId, idempotencyKey, cancellationToken);
        }
        finally
        {
            await connections.EndBulkWriteAsync(write.Connection);
        }
    }

    private async Task<Outcome> ImportAsync(
        WriteScope write, Stream file, string sha256, string changedBy, bool publishes, string? requestId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new ErrorList();
        var at = await write.ChangedAtAsync(clock, cancellationToken);
        file.Position = 0;
        using var text = new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, 1 << 16, leaveOpen: true);
        var csv = new CsvReader(text, MaxCellLength, maxFields: Columns);
        long rows = 0, written = 0, first = 0, last = 0;
        Header? header = null;
        try
        {
            header = ReadHeader(csv, errors);
            if (header is null) return errors.Rejection();

            var bulk = await BulkInsert.BeginAsync(connections, write.Connection, write.Transaction, cancellationToken);
            // The rows get the ids after the highest one: one writer at a time, so nothing else takes ids in between.
            var before = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT coalesce(max(id), 0) FROM donations", transaction: write.Transaction, cancellationToken: cancellationToken));
            await using var insert = await connections.BeginRowsAsync(write, "donations", InsertColumns, cancellationToken);
            var values = new object?[InsertColumns.Length];
            var children = new List<(IReadOnlyList<EvidenceWrite> Evidence, IReadOnlyList<DeliveryWrite> Deliveries)>();
            var rowsWritten = new List<(long Line, string EvidenceColumn)>(); // each written row's line, and the column its evidence came from
            for (var i = InsertValues.Length; i < values.Length; i++) values[i] = DonationFields.InsertedStamp(DonationFields.Inserted[i], at);

            while (csv.ReadRecord() is { } record)
            {
                if (record is [null]) continue; // a blank line
                if (++rows > options.Value.MaxRows)
                {
                    errors.Add(csv.RecordLine, "file", $"The file has more than {options.Value.MaxRows:N0} rows, the most one import takes. Split it into several files.");
                    break;
                }
                if (csv.FieldCount != header.Names.Count)
                {
                    errors.Add(csv.RecordLine, "row", $"The row has {csv.FieldCount:N0} fields where the header has {header.Names.Count}.");
                    continue;
                }
                if (csv.LongCells.Count > 0)
                {
                    foreach (var (field, length) in csv.LongCells)
                    {
                        errors.Add(csv.RecordLine, header.Names[field],
                            $"The cell has {length:N0} characters, more than the {MaxCellLength:N0} a cell may hold; the rest of it was not read. It begins {Quote(record[field]!, length)}.");
                    }
                    continue;
                }
                if (Parse(record, header, csv.RecordLine, errors) is not { } request) continue;
                var result = await validator.ValidateAsync(request, cancellationToken);
                if (!result.IsValid)
                {
                    // A citation given in the source column is named by its columns (quote), one in the evidence column by its path (evidence[0].quote).
                    var simple = !(header.Index.TryGetValue("evidence", out var listed) && record[listed] is { Length: > 0 });
                    foreach (var failure in result.Errors)
                    {
                        errors.Add(csv.RecordLine, ColumnOf(failure.PropertyName, simple), Shortened(failure.ErrorMessage, failure.AttemptedValue));
                    }
                    continue;
                }
                if (errors.Count > 0) continue; // the import is lost already: check the rest, write nothing more

                var donation = DonationWrite.From(request);
                for (var i = 0; i < InsertValues.Length; i++) values[i] = InsertValues[i](donation);
                await insert.WriteAsync(values, cancellationToken);
                children.Add((donation.Evidence, donation.Deliveries));
                rowsWritten.Add((csv.RecordLine, header.Index.TryGetValue("evidence", out var given) && record[given] is { Length: > 0 } ? "evidence" : "source"));
                written++;
            }
            if (errors.Count == 0 && written > 0)
            {
                await insert.CompleteAsync(cancellationToken);
                (first, last) = await write.Connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                    "SELECT min(id), max(id) FROM donations WHERE id > @Before", new { Before = before }, write.Transaction, cancellationToken: cancellationToken));
                if (last - first + 1 != written) throw new InvalidOperationException($"The import wrote {written} rows and found ids {first} to {last}.");
                for (var i = 0; i < children.Count; i++)
                {
                    await DonationChildren.InsertNewAsync(write, first + i, children[i].Evidence, children[i].Deliveries, cancellationToken);
                }
                await bulk.EndAsync(write.Connection, write.Transaction, first, last, cancellationToken);
                // Published rows cite only published sources and packages (as a single write's do): else nothing is written.
                if (publishes && await DonationRepository.UnpublishedCitationAsync(write, first, last, cancellationToken) is { } citation)
                {
                    var (line, evidenceColumn) = rowsWritten[(int)(citation.DonationId - first)];
                    errors.Add(line, citation.Kind == "package" ? "package" : citation.InDelivery ? "deliveries" : evidenceColumn, citation.Message);
                    return errors.Rejection();
                }
                // The rows are drafts unless the key publishes; then first_reported_on and the kept JSON from the
                // evidence, once the rows are indexed: the update indexes each again with its evidence.
                await write.Connection.ExecuteAsync(new CommandDefinition(
                    (publishes ? "" : DraftRange) + RefreshRange[write.Dialect], new { First = first, Last = last }, write.Transaction, cancellationToken: cancellationToken));
            }
        }
        catch (DecoderFallbackException)
        {
            // The reader decodes ahead of the records, so the line is found in the bytes.
            errors.Add(FirstNonUtf8Line(file), "file", "The file is not UTF-8 text from this line on. Save it as CSV UTF-8.");
        }
        catch (FormatException e)
        {
            errors.Add(csv.RecordLine, "file", e.Message);
        }
        if (errors.Count == 0 && first == 0) errors.Add(null, "file", "The file has a header and no rows.");
        if (errors.Count > 0) return errors.Rejection();

        var import = new ImportRow
        {
            CreatedAt = at, CreatedBy = changedBy, IdempotencyKey = idempotencyKey, FileSha256 = sha256, RowCount = last - first + 1,
            FirstDonation = first, LastDonation = last, IgnoredColumns = string.Join(',', header!.Ignored),
        };
        import.Id = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO imports (created_at, created_by, idempotency_key, file_sha256, row_count, first_donation, last_donation, ignored_columns)
            VALUES (@CreatedAt, @CreatedBy, @IdempotencyKey, @FileSha256, @RowCount, @FirstDonation, @LastDonation, @IgnoredColumns)
            RETURNING id
            """, import, write.Transaction, cancellationToken: cancellationToken));
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"{DonationRepository.CopyToHistory}{connections.Dialect.InStorageOrder} WHERE id BETWEEN @First AND @Last; {DonationChildren.CopyToHistory("d.id BETWEEN @First AND @Last")}",
            new { Operation = "create", At = at, ChangedBy = changedBy, RequestId = requestId, ImportId = import.Id, First = first, Last = last },
            write.Transaction, cancellationToken: cancellationToken));
        await write.CommitAsync(cancellationToken);
        // The planner's statistics may describe a much smaller table now: those that are stale are sampled again.
        await connections.RefreshStatisticsAsync(write.Connection);
        return new Accepted(import, Replayed: false);
    }

    private const string DraftRange = $"UPDATE donations SET review_state = '{ReviewStates.Draft}' WHERE id BETWEEN @First AND @Last;\n";

    private static readonly PerDialect<string> RefreshRange = new(dialect =>
        $"{DonationChildren.RefreshFromEvidence(dialect, "id BETWEEN @First AND @Last")};\n{DonationChildren.RefreshDelivered($"id BETWEEN @First AND @Last AND {DonationChildren.HasDeliveries}")};\n" +
        DonationJson.Refresh(dialect, "id BETWEEN @First AND @Last"));

    private const string SelectImport =
        "SELECT id, created_at, created_by, idempotency_key, file_sha256, row_count, first_donation, last_donation, ignored_columns FROM imports";

    public async Task<ImportRow?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ImportRow>(new CommandDefinition(
            $"{SelectImport} WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>The most columns a header may have: every column an import knows, once.</summary>
    private static readonly int Columns = Required.Length + Optional.Length + Assigned.Length;

    /// <summary>Where each column is in the file, and which assigned columns it carries.</summary>
    private sealed record Header(IReadOnlyDictionary<string, int> Index, IReadOnlyList<string> Names, IReadOnlyList<string> Ignored);

    private static Header? ReadHeader(CsvReader csv, ErrorList errors)
    {
        var names = csv.ReadRecord();
        if (names is null || names is [null])
        {
            errors.Add(null, "file", $"The file is empty. Its first line must be the header, with at least: {string.Join(',', Required)},source.");
            return null;
        }
        names = names.Select((name, i) => i == 0 ? name?.TrimStart('\uFEFF') : name).ToList(); // a spreadsheet's BOM
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var length = csv.LongCells.FirstOrDefault(cell => cell.Field == i).Length;
            if (string.IsNullOrEmpty(name)) errors.Add(1, "file", $"Column {i + 1} of the header has no name.");
            else if (name.Contains('\0', StringComparison.Ordinal)) errors.Add(1, "file", "The header holds NUL characters: the file is UTF-16 or binary, not UTF-8 text. Save it as CSV UTF-8.");
            else if (length > 0 || (!Required.Contains(name) && !Optional.Contains(name) && !Assigned.Contains(name)))
                errors.Add(1, "file", $"{Quote(name, Math.Max(length, name.Length))} is not a column an import takes. Columns: {string.Join(", ", Required.Concat(Optional).Concat(Assigned))}.");
            else if (!index.TryAdd(name, i)) errors.Add(1, "file", $"The header names '{name}' twice.");
        }
        if (csv.FieldCount > names.Count) errors.Add(1, "file", $"The header has {csv.FieldCount:N0} columns; an import takes at most {Columns}.");
        foreach (var missing in Required.Where(name => !index.ContainsKey(name)))
        {
            errors.Add(1, "file", $"The header has no '{missing}' column, which every row needs.");
        }
        if (!index.ContainsKey("source") && !index.ContainsKey("evidence"))
        {
            errors.Add(1, "file", "The header has no 'source' column (nor an 'evidence' column), which every row needs: the id of the source it cites.");
        }
        return errors.Count > 0 ? null : new Header(index, names.Select(name => name!).ToList(), Assigned.Where(index.ContainsKey).ToList());
    }

    /// <summary>A row as the request POST /donations would take, or null when a cell does not parse (each one recorded).</summary>
    private static DonationRequest? Parse(IReadOnlyList<string?> record, Header header, long line, ErrorList errors)
    {
        var before = errors.Count;
        string? Cell(string name) => header.Index.TryGetValue(name, out var i) && record[i] is { Length: > 0 } cell ? cell : null;
        string? Text(string name) => header.Index.TryGetValue(name, out var i) && record[i] is { } cell ? Csv.Unneutralise(cell) : null;
        T? Value<T>(string name, TryParse<T> parse, string expected) where T : struct
        {
            if (Cell(name) is not { } cell) return null;
            if (parse(cell, out var value)) return value;
            errors.Add(line, name, $"{Quote(cell, cell.Length)} is not {expected}.");
            return null;
        }
        T? Wire<T>(string name) where T : struct, Enum =>
            Value<T>(name, WireEnum<T>.TryParse, $"one of: {string.Join(", ", WireEnum<T>.Names)}");

        string? Date(string name)
        {
            if (Cell(name) is not { } cell) return null;
            if (PartialDate.TryParse(cell, out _)) return cell;
            errors.Add(line, name, $"{Quote(cell, cell.Length)} is not {PartialDate.Expected}.");
            return null;
        }
        long? Whole(string name) => Value<long>(name, (string s, out long v) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v), "a whole number");

        var request = new DonationRequest(
            Text("donor"),
            Text("recipient"),
            Text("funder") is { Length: > 0 } funder ? funder : null,
            Text("weapon_system"),
            Whole("package"),
            Whole("quantity"),
            Wire<QuantityQualifier>("quantity_qualifier"),
            Wire<DonationStatus>("status"),
            Date("announced_on"),
            Date("committed_on"),
            Value<decimal>("value_amount", TryParseAmount, "an amount such as 1500 or 12.50"),
            Text("value_currency") is { Length: > 0 } currency ? currency : null,
            Wire<ValueBasis>("value_basis"),
            Value<decimal>("value_eur", TryParseAmount, "an amount such as 1500 or 12.50"),
            Text("notes"),
            Evidence(),
            Children<DeliveryCell>("deliveries")?.Select((d, i) => d is null ? null! : new DeliveryRequest(
                null, d.DeliveredOn, d.Quantity, Named<QuantityQualifier>(d.QuantityQualifier, $"deliveries[{i}].quantity_qualifier"), d.Notes,
                d.Evidence?.Select((e, j) => Cited(e, $"deliveries[{i}].evidence[{j}]")).ToList())).ToList());
        return errors.Count == before ? request : null;

        // The evidence: the JSON array of the evidence column, else the one citation of the source column and its neighbours.
        IReadOnlyList<EvidenceRequest>? Evidence()
        {
            if (Cell("evidence") is not null)
            {
                if (Cell("source") is not null)
                {
                    errors.Add(line, "source", "A row gives its evidence in 'source' (with quote, locator, credibility, supports) or in 'evidence', not in both.");
                }
                return Children<EvidenceCell>("evidence")?.Select((e, i) => Cited(e, $"evidence[{i}]")).ToList();
            }
            var supports = Cell("supports") is { } list ? Supports(list.Split(',', StringSplitOptions.TrimEntries), "supports") : [EvidenceSupport.Announcement];
            return [new EvidenceRequest(Whole("source"), NonEmpty("quote"), NonEmpty("locator"), Value<int>("credibility", Whole32, "a whole number"), supports)];
        }

        string? NonEmpty(string name) => Text(name) is { Length: > 0 } text ? text : null;

        EvidenceRequest Cited(EvidenceCell? e, string at) =>
            e is null ? null! : new(e.Source, e.Quote, e.Locator, e.Credibility, e.Supports is null ? null : Supports(e.Supports, at + ".supports"));

        List<EvidenceSupport> Supports(IEnumerable<string?> names, string field)
        {
            var supports = new List<EvidenceSupport>();
            foreach (var name in names)
            {
                if (Named<EvidenceSupport>(name, field) is { } support) supports.Add(support);
            }
            return supports;
        }

        T? Named<T>(string? name, string field) where T : struct, Enum
        {
            if (name is null) return null;
            if (WireEnum<T>.TryParse(name, out var value)) return value;
            errors.Add(line, field, $"{Quote(name, name.Length)} is not one of: {string.Join(", ", WireEnum<T>.Names)}.");
            return null;
        }

        // A JSON array in a cell; a cell that is not one is an error naming the column and, where it can, the item's field.
        List<TCell?>? Children<TCell>(string name) where TCell : class
        {
            if (Text(name) is not { Length: > 0 } cell) return null;
            try
            {
                if (JsonSerializer.Deserialize<List<TCell?>>(cell, CellJson) is { } items) return items;
                errors.Add(line, name, $"'{name}' is null: leave the cell empty, or write a JSON array.");
            }
            catch (JsonException e)
            {
                var at = e.Path is ['$', .. var path] ? name + path : name;
                errors.Add(line, at, $"{Quote(cell, cell.Length)} is not a JSON array of {name} as GET /api/v1/donations/{{id}} writes it: {e.Message.Split(" Path:")[0]}");
            }
            return null;
        }
    }

    private static bool Whole32(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>The column a validator's failure names: for a citation in the source column, its own columns (<c>evidence[0].quote</c> is <c>quote</c>).</summary>
    private static string ColumnOf(string property, bool simple) =>
        simple && property.StartsWith("evidence[0].", StringComparison.Ordinal) ? property["evidence[0].".Length..] : property;

    private static readonly JsonSerializerOptions CellJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A piece of evidence in a JSON cell, as the API writes it; its id and source_title are left aside.</summary>
    private sealed record EvidenceCell(long? Source, string? Quote, string? Locator, int? Credibility, IReadOnlyList<string?>? Supports);

    /// <summary>A delivery in a JSON cell, as the API writes it; its id is left aside.</summary>
    private sealed record DeliveryCell(string? DeliveredOn, long? Quantity, string? QuantityQualifier, string? Notes, IReadOnlyList<EvidenceCell?>? Evidence);

    private delegate bool TryParse<T>(string text, out T value);

    /// <summary>
    /// A cell as a reason quotes it: whole up to <see cref="MaxQuotedLength"/> characters; past that its beginning, an
    /// ellipsis, and the cell's whole <paramref name="length"/> (which may be more than <paramref name="cell"/> holds).
    /// </summary>
    public static string Quote(string cell, long length)
    {
        if (length <= MaxQuotedLength) return $"'{cell}'";
        var cut = char.IsHighSurrogate(cell[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        return $"'{cell[..cut]}…' (cut to {cut} of its {length:N0} characters)";
    }

    /// <summary>A validator's message with the value it quotes cut as <see cref="Quote"/> cuts it.</summary>
    private static string Shortened(string message, object? value) =>
        value is string { Length: > MaxQuotedLength } text ? message.Replace($"'{text}'", Quote(text, text.Length), StringComparison.Ordinal) : message;

    /// <summary>The line of the first byte sequence that is not UTF-8.</summary>
    private static long FirstNonUtf8Line(Stream file)
    {
        file.Position = 0;
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        long line = 1;
        var carried = 0;
        while (true)
        {
            var read = file.Read(bytes, carried, bytes.Length - carried);
            var length = carried + read;
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes.AsSpan(0, length), chars, out var consumed, out _, replaceInvalidSequences: false, isFinalBlock: read == 0);
            line += bytes.AsSpan(0, consumed).Count((byte)'\n');
            if (status == System.Buffers.OperationStatus.InvalidData || read == 0) return line;
            carried = length - consumed;
            bytes.AsSpan(consumed, carried).CopyTo(bytes);
        }
    }

    private static bool TryParseAmount(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    /// <summary>Every error, the first <see cref="MaxListedErrors"/> of them kept.</summary>
    private sealed class ErrorList
    {
        private readonly List<ImportError> _listed = [];

        public long Count { get; private set; }

        public void Add(long? line, string field, string reason)
        {
            if (++Count <= MaxListedErrors) _listed.Add(new ImportError(line, field, reason));
        }

        public Rejected Rejection() => new(_listed, Count);
    }
}
