// Drives a running AidTracker through the Kiota client generated from openapi/openapi.json (clients/csharp/prepare) and
// fails on any answer that differs from what the document promises. Every request goes through the generated request
// builders and models. What the program adds is only what Kiota leaves to its caller: the root URL, the API key as a
// bearer token, request and response headers (Kiota generates no header parameters, by design), and the root-relative
// `next` link made absolute for WithUrl.
//   AidTracker.ClientCheck BASE EDITOR_KEY ADMIN_KEY
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AidTracker.Client;
using AidTracker.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
// Kiota makes one enum per operation for an inline enum parameter, so the same filter has a type per path.
using SeriesInterval = AidTracker.Client.Api.V1.Stats.Timeseries.GetIntervalQueryParameterType;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: AidTracker.ClientCheck BASE EDITOR_KEY ADMIN_KEY");
    return 2;
}
var baseUrl = args[0].TrimEnd('/');
// args[2], the admin key, goes unused: everything checked here is a reader's or an editor's.
using var anonymousAdapter = Adapter(baseUrl, key: null);
using var editorAdapter = Adapter(baseUrl, args[1]);
var reader = new ApiClient(anonymousAdapter);
var editor = new ApiClient(editorAdapter);

// The donations this run makes are the donor's, of an anti-tank system; the filter below selects the committed and
// delivered ones. The bundled data has none of the donor's, but a reused database may: the checks compare the walk
// with the statistics, never with a fixed number.
const string Donor = "USA", Recipient = "UKR";
const WeaponCategory Category = WeaponCategory.AntiTank;
const int PageSize = 2;
// Lists over the document's component enums (WeaponCategory, DonationStatus): one type in every operation.
WeaponCategory[] filterCategories = [Category];
DonationStatus[] filterStatuses = [DonationStatus.Committed, DonationStatus.Delivered];
// Beyond double precision (…55 as a double): the document's money type must carry it exactly.
const decimal Amount = 98765432109876.54m;
var step = "start";
try
{
    step = "weapon systems";
    var systems = Present(Present(await reader.Api.V1.WeaponSystems.GetAsync(c =>
        c.QueryParameters.Category = filterCategories), "the list").Items, "items");
    Expect(systems.Count > 0, "no weapon system of category anti-tank");
    Expect(systems.All(s => s.Category == Category), "a system of another category is listed");
    var weaponSystem = Present(systems[0].Id, "the weapon system's id");
    Done(step, $"{systems.Count} of category {Category}, using {weaponSystem}");

    // Two sources first: a donation's evidence cites sources by id. The first is known to the month only.
    step = "sources";
    var sources = new List<long>();
    foreach (var (title, published) in new[] { ("Kiota C# client check: the announcement", "2024-05"), ("Kiota C# client check: the delivery report", "2024-07-02") })
    {
        var sourceHeaders = Inspect();
        var source = Present(await editor.Api.V1.Sources.PostAsync(new SourceRequest
        {
            Kind = SourceKind.Other, Title = title, PublishedOn = published, Url = "https://example.org/aidtracker/client-check",
        }, c => c.Options.Add(sourceHeaders)), "the source");
        Expect(source.PublishedOn == published && source.Title == title, $"the source came back published {source.PublishedOn}, titled {source.Title}");
        Expect(Header(sourceHeaders, "Location").EndsWith($"/api/v1/sources/{source.Id}", StringComparison.Ordinal), "Location does not name the source");
        sources.Add(PresentValue(source.Id, "id"));
    }
    var (announcement, report) = (sources[0], sources[1]);
    Done(step, $"sources {announcement} (published 2024-05) and {report}");

    step = "import";
    // The import takes no deliveries: a row is announced or committed, with one citation (source, quote).
    string[] statuses = ["announced", "committed", "committed", "committed", "committed", "announced", "committed"];
    var csv = new StringBuilder("donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,value_amount,value_currency,source,quote,notes\n");
    for (var i = 0; i < statuses.Length; i++)
    {
        // Over three years, so that the yearly series has more than one period.
        var year = 2022 + (i % 3);
        csv.Append(CultureInfo.InvariantCulture,
            $"{Donor},{Recipient},{weaponSystem},{i + 1},exact,{statuses[i]},{year}-02-{10 + i},1234567.8{i},EUR,{announcement},\"Kiota C# client check, row {i + 1}\",\"Imported, with a comma\"\n");
    }
    var file = Encoding.UTF8.GetBytes(csv.ToString());
    var idempotencyKey = Guid.NewGuid().ToString();
    var importHeaders = Inspect();
    var import = Present(await editor.Api.V1.Imports.Donations.PostAsync(new MemoryStream(file), c =>
    {
        c.Headers.Add("Idempotency-Key", idempotencyKey);
        c.Options.Add(importHeaders);
    }), "the import");
    var importId = PresentValue(import.Id, "id");
    var first = PresentValue(import.FirstDonation, "first_donation");
    Expect(import.RowCount == statuses.Length, $"row_count is {import.RowCount}, not {statuses.Length}");
    Expect(import.LastDonation == first + statuses.Length - 1, $"first_donation {first} and last_donation {import.LastDonation} are not {statuses.Length} ids");
    Expect(import.FileSha256 == Convert.ToHexStringLower(SHA256.HashData(file)), "file_sha256 is not the SHA-256 of the file sent");
    Expect(import.IdempotencyKey == idempotencyKey, "idempotency_key is not the key sent");
    Expect(Header(importHeaders, "Location").EndsWith($"/api/v1/imports/{importId}", StringComparison.Ordinal), "Location does not name the import");
    var importedRow = Present(await reader.Api.V1.Donations[first].GetAsync(), "the first imported donation");
    Expect(importedRow is { Donor: Donor, Recipient: Recipient, Quantity: 1, Status: DonationStatus.Announced, ValueAmount: 1234567.80m },
        "the first imported donation is not the file's first row");
    Done(step, $"import {importId}: {import.RowCount} rows, donations {first}-{import.LastDonation}");

    step = "import again";
    var replayHeaders = Inspect();
    var replay = Present(await editor.Api.V1.Imports.Donations.PostAsync(new MemoryStream(file), c =>
    {
        c.Headers.Add("Idempotency-Key", idempotencyKey);
        c.Options.Add(replayHeaders);
    }), "the replayed import");
    Expect(replay.Id == importId && replay.FirstDonation == first, "the same file and key imported again");
    Expect(Header(replayHeaders, "Idempotent-Replayed") == "true", "Idempotent-Replayed is not true");
    Done(step, $"the same Idempotency-Key gives import {replay.Id} back, Idempotent-Replayed: true");

    step = "import a bad row";
    var bad = $"donor,recipient,weapon_system,status,announced_on,source\n{Donor},{Recipient},{weaponSystem},announced,2022-02-10,{announcement}\n{Donor},{Recipient},no-such-system,announced,2022-02-11,{announcement}\n";
    try
    {
        await editor.Api.V1.Imports.Donations.PostAsync(new MemoryStream(Encoding.UTF8.GetBytes(bad)));
        throw new CheckFailed("succeeded, where 422 was expected");
    }
    catch (ImportProblem refused) when (refused.ResponseStatusCode == 422)
    {
        // The import's own problem type: its rows are typed, which the one Problem with a oneOf of both shapes was not.
        var rows = Present(refused.Errors, "errors");
        Expect(refused.Status == 422 && !string.IsNullOrEmpty(refused.TraceId), "the problem has no status 422 or no trace_id");
        Expect(rows.Count > 0 && refused.ErrorCount == rows.Count, $"error_count is {refused.ErrorCount}, with {rows.Count} rows listed");
        Expect(rows.All(row => row.Line == 3 && !string.IsNullOrEmpty(row.Reason)), "a listed error is not of line 3 (the bad row), or has no reason");
        Expect(rows.Any(row => row.Field == "weapon_system"), $"no error names weapon_system: {string.Join("; ", rows.Select(row => row.Field))}");
        Done(step, $"422 {refused.Title}, error_count {refused.ErrorCount}: {string.Join("; ", rows.Select(row => $"line {row.Line} {row.Field}: {row.Reason}"))}");
    }

    step = "list and walk";
    var listed = new List<DonationResponse>();
    var pages = 0;
    var page = Present(await reader.Api.V1.Donations.GetAsync(c =>
    {
        c.QueryParameters.Donor = [Donor];
        c.QueryParameters.Category = filterCategories;
        c.QueryParameters.Status = filterStatuses;
        c.QueryParameters.Limit = PageSize;
    }), "the first page");
    while (true)
    {
        var items = Present(page.Items, "items");
        pages++;
        Expect(items.Count <= PageSize, $"page {pages} has {items.Count} items, more than limit {PageSize}");
        listed.AddRange(items);
        if (page.Next is not { } next) break;
        // `next` is root-relative; WithUrl takes the whole URL, and keeps every filter the link carries.
        page = Present(await reader.Api.V1.Donations.WithUrl(new Uri(new Uri(baseUrl), next).AbsoluteUri).GetAsync(), $"page {pages + 1}");
    }
    Expect(listed.All(d => d.Donor == Donor && d.Category == Category && d.Status is DonationStatus.Committed or DonationStatus.Delivered),
        "a listed donation is outside the filter");
    var ids = listed.Select(d => PresentValue(d.Id, "id")).ToList();
    Expect(ids.Zip(ids.Skip(1)).All(pair => pair.First < pair.Second), "the walk is not in increasing id order, or repeats an id");
    var mine = Enumerable.Range(0, statuses.Length).Where(i => statuses[i] is "committed" or "delivered").Select(i => first + i).ToList();
    Expect(mine.All(ids.Contains), "the walk misses an imported donation that the filter selects");
    Expect(pages >= (mine.Count + PageSize - 1) / PageSize, $"{mine.Count} rows came in {pages} pages of {PageSize}");
    Done(step, $"donor={Donor} category={Category} status=committed,delivered limit={PageSize}: {listed.Count} donations in {pages} pages");

    step = "stats totals";
    var totals = Present(await reader.Api.V1.Stats.Totals.GetAsync(c =>
    {
        c.QueryParameters.GroupBy = "status";
        c.QueryParameters.Donor = [Donor];
        c.QueryParameters.Category = filterCategories;
        c.QueryParameters.Status = filterStatuses;
    }), "the totals");
    var total = PresentValue(Present(totals.Total, "total").Count, "total.count");
    var groups = Present(totals.Items, "items");
    Expect(total == listed.Count, $"totals count {total} donations, the walk {listed.Count}");
    Expect(groups.Sum(g => PresentValue(g.Count, "count")) == total, "the groups do not add up to the total");
    Expect(groups.All(g => g.Status is "committed" or "delivered"), "a group outside the status filter");
    Expect(Present(totals.GroupBy, "group_by").SequenceEqual(["status"]), "group_by does not echo status");
    Done(step, $"group_by=status: {string.Join(", ", groups.Select(g => $"{g.Status} {g.Count}"))}; total {total}, as walked");

    step = "stats timeseries";
    var timeseries = Present(await reader.Api.V1.Stats.Timeseries.GetAsync(c =>
    {
        c.QueryParameters.Interval = SeriesInterval.Year;
        c.QueryParameters.Donor = [Donor];
        c.QueryParameters.Category = filterCategories;
        c.QueryParameters.Status = filterStatuses;
    }), "the timeseries");
    var series = Present(timeseries.Series, "series");
    Expect(series.Count == 1, $"{series.Count} series without split");
    var points = Present(series[0].Points, "points");
    Expect(points.Count == Present(timeseries.Periods, "periods").Count, "a point per period");
    Expect(points.Sum(p => PresentValue(p.Count, "count")) == total, "the yearly counts do not add up to the totals");
    Done(step, $"interval=year: {points.Count} periods, {total} donations");

    step = "create";
    var createdHeaders = Inspect();
    var created = Present(await editor.Api.V1.Donations.PostAsync(Body(weaponSystem, announcement, report, "Created by the Kiota C# client check."),
        c => c.Options.Add(createdHeaders)), "the created donation");
    var id = PresentValue(created.Id, "id");
    Expect(Header(createdHeaders, "Location").EndsWith($"/api/v1/donations/{id}", StringComparison.Ordinal), "Location does not name the donation");
    Expect(created.ValueAmount == Amount, $"value_amount came back as {created.ValueAmount}, not {Amount}");
    Done(step, $"donation {id}, value_amount {created.ValueAmount} EUR");

    step = "read";
    var readHeaders = Inspect();
    var read = Present(await reader.Api.V1.Donations[id].GetAsync(c => c.Options.Add(readHeaders)), "the donation");
    var etag = Header(readHeaders, "ETag");
    Expect(read is { Donor: Donor, Recipient: Recipient, Category: Category, Status: DonationStatus.Committed, Quantity: 12, QuantityQualifier: QuantityQualifier.Exact },
        "the donation read back is not the one created");
    Expect(read.WeaponSystem == weaponSystem && read.AnnouncedOn == "2024-05", $"weapon_system {read.WeaponSystem} or announced_on {read.AnnouncedOn} changed");
    var cited = string.Join(",", Present(read.Evidence, "evidence").Select(e => e.Source));
    Expect(cited == $"{announcement},{report}", $"the evidence cites sources {cited}, not {announcement},{report}");
    Expect(read.ValueAmount == Amount && read.ValueEur == Amount, $"value_amount {read.ValueAmount}, value_eur {read.ValueEur}: not {Amount} exactly");
    Done(step, $"donation {id}, ETag {etag}, value_amount and value_eur {Amount} exactly, announced_on 2024-05, evidence from {cited}");

    step = "create an invalid donation";
    var invalidBody = Body(weaponSystem, announcement, report, "A negative quantity.");
    invalidBody.Quantity = -1;
    var invalid = await Refused(() => editor.Api.V1.Donations.PostAsync(invalidBody), 400, detail: false);
    var quantity = Messages(Present(invalid.Errors, "errors"), "quantity");
    Expect(quantity.Count > 0 && quantity.All(message => message.Length > 0), "no message for quantity");
    Done(step, $"400 {invalid.Title}, quantity: {string.Join(" ", quantity)}");

    step = "update without If-Match";
    var required = await Refused(() => editor.Api.V1.Donations[id].PutAsync(Body(weaponSystem, announcement, report, "No If-Match.")), 428);
    Done(step, $"428 {required.Title}");

    step = "update";
    var updatedHeaders = Inspect();
    var updated = Present(await editor.Api.V1.Donations[id].PutAsync(Body(weaponSystem, announcement, report, "Updated with If-Match."), c =>
    {
        c.Headers.Add("If-Match", etag);
        c.Options.Add(updatedHeaders);
    }), "the updated donation");
    var current = Header(updatedHeaders, "ETag");
    Expect(updated.Notes == "Updated with If-Match." && updated.Version > read.Version, "the update did not apply");
    Expect(current != etag, "the ETag did not change");
    Done(step, $"If-Match {etag}: version {updated.Version}, ETag {current}");

    step = "update with a stale ETag";
    var stale = await Refused(() => editor.Api.V1.Donations[id].PutAsync(Body(weaponSystem, announcement, report, "Stale."), c => c.Headers.Add("If-Match", etag)), 412);
    Expect(stale.Detail?.Contains(current, StringComparison.Ordinal) == true, $"the detail does not name the current ETag: {stale.Detail}");
    Expect(!string.IsNullOrEmpty(stale.TraceId), "no trace_id");
    Expect(stale.ResponseHeaders.TryGetValue("ETag", out var staleEtag) && staleEtag.Single() == current, "the 412 does not send the current ETag");
    var after = Present(await reader.Api.V1.Donations[id].GetAsync(), "the donation");
    Expect(after.Notes == "Updated with If-Match.", "the stale update was applied");
    Done(step, $"412 {stale.Title}, trace_id {stale.TraceId}, ETag {current}");

    // Two instalments, each with the donation's current ETag: 5 leave it partially delivered, 7 more (known to the month
    // only, with status delivered) complete it.
    step = "deliveries";
    foreach (var (on, part, says, expected) in new[] { ("2024-06-20", 5L, (DonationStatus?)null, DonationStatus.Partially_delivered), ("2024-07", 7L, DonationStatus.Delivered, DonationStatus.Delivered) })
    {
        var deliveryHeaders = Inspect();
        var ifMatch = current;
        var added = Present(await editor.Api.V1.Donations[id].Deliveries.PostAsync(new NewDeliveryRequest
        {
            DeliveredOn = on, Quantity = part, QuantityQualifier = QuantityQualifier.Exact, Status = says,
            Evidence = [new EvidenceRequest { Source = report, Quote = $"{part} arrived", Supports = [EvidenceSupport.Delivery, EvidenceSupport.Quantity] }],
        }, c =>
        {
            c.Headers.Add("If-Match", ifMatch);
            c.Options.Add(deliveryHeaders);
        }), "the donation after an instalment");
        Expect(added.Status == expected, $"after the instalment of {on} the status is {added.Status}, not {expected}");
        current = Header(deliveryHeaders, "ETag");
        Expect(current != ifMatch, "the ETag did not change");
    }
    var delivered = Present(await reader.Api.V1.Donations[id].GetAsync(), "the donation");
    var dates = string.Join(", ", Present(delivered.Deliveries, "deliveries").Select(d => d.DeliveredOn));
    Expect(delivered is { Status: DonationStatus.Delivered, QuantityDelivered: 12 } && dates == "2024-06-20, 2024-07",
        $"after two instalments: status {delivered.Status}, quantity_delivered {delivered.QuantityDelivered}, dates {dates}");
    Done(step, $"two instalments ({dates}): partially_delivered, then delivered; quantity_delivered 12");

    step = "codebook";
    var columns = Present(Present(await reader.Api.V1.Codebook.GetAsync(), "the codebook").Columns, "columns")
        .Select(column => Present(column.Name, "name")).ToList();
    Done(step, $"{columns.Count} columns");

    // The created donation is committed, so the filter now selects one more.
    var exported = listed.Count + 1;

    step = "export csv";
    var csvHeaders = Inspect();
    var csvFile = await ReadAllAsync(await reader.Api.V1.Exports.DonationsCsv.GetAsync(c =>
    {
        c.QueryParameters.Donor = [Donor];
        c.QueryParameters.Category = filterCategories;
        c.QueryParameters.Status = filterStatuses;
        c.Options.Add(csvHeaders);
    }));
    var headerLine = new StreamReader(new MemoryStream(csvFile)).ReadLine();
    Expect(headerLine == string.Join(',', columns), $"the header row is not the codebook's columns: {headerLine}");
    Expect(Header(csvHeaders, "AidTracker-Row-Count") == exported.ToString(CultureInfo.InvariantCulture), $"AidTracker-Row-Count is not {exported}");
    Done(step, $"{csvFile.Length} bytes, {exported} rows, header row as the codebook{CheckDigest(csvHeaders, csvFile)}");

    step = "export parquet";
    var parquetHeaders = Inspect();
    var parquetFile = await ReadAllAsync(await reader.Api.V1.Exports.DonationsParquet.GetAsync(c =>
    {
        c.QueryParameters.Donor = [Donor];
        c.QueryParameters.Category = filterCategories;
        c.QueryParameters.Status = filterStatuses;
        c.Options.Add(parquetHeaders);
    }));
    Expect(parquetFile.Length > 8 && "PAR1"u8.SequenceEqual(parquetFile.AsSpan(0, 4)) && "PAR1"u8.SequenceEqual(parquetFile.AsSpan(^4)),
        "the file does not start and end with PAR1");
    Expect(Header(parquetHeaders, "AidTracker-Row-Count") == exported.ToString(CultureInfo.InvariantCulture), $"AidTracker-Row-Count is not {exported}");
    Done(step, $"{parquetFile.Length} bytes, {exported} rows, PAR1 at both ends{CheckDigest(parquetHeaders, parquetFile)}");
}
catch (Exception e) when (e is CheckFailed or ApiException or HttpRequestException)
{
    var problem = e switch
    {
        Problem details => $" ({details.Title}: {details.Detail})",
        ImportProblem details => $" ({details.Title}: {details.Detail})",
        _ => "",
    };
    var status = e is ApiException api ? $"HTTP {api.ResponseStatusCode}{problem}: " : "";
    Console.Error.WriteLine($"FAILED {step}: {status}{e.Message}");
    return 1;
}
Console.WriteLine("ok   every check of the Kiota client passed");
return 0;

static HttpClientRequestAdapter Adapter(string baseUrl, string? key)
{
    IAuthenticationProvider authentication = key is null
        ? new AnonymousAuthenticationProvider()
        : new BaseBearerTokenAuthenticationProvider(new ApiKeyToken(key, new Uri(baseUrl).Host));
    return new HttpClientRequestAdapter(authentication) { BaseUrl = baseUrl };
}

// A donation that only its notes tell apart: the same body for the create and each update.
static DonationRequest Body(string weaponSystem, long announcement, long report, string notes) => new()
{
    Donor = Donor,
    Recipient = Recipient,
    WeaponSystem = weaponSystem,
    Quantity = 12,
    QuantityQualifier = QuantityQualifier.Exact,
    Status = DonationStatus.Committed,
    AnnouncedOn = "2024-05",
    ValueAmount = Amount,
    ValueCurrency = "EUR",
    ValueEur = Amount,
    ValueBasis = ValueBasis.Reported,
    Evidence =
    [
        new EvidenceRequest { Source = announcement, Quote = "twelve systems", Supports = [EvidenceSupport.Announcement, EvidenceSupport.Quantity] },
        new EvidenceRequest { Source = report, Locator = "p. 2", Credibility = 4, Supports = [EvidenceSupport.Commitment, EvidenceSupport.Value] },
    ],
    Notes = notes,
};

// Kiota's way to read response headers: the handler fills the option with the headers of the response it saw.
static HeadersInspectionHandlerOption Inspect() => new() { InspectResponseHeaders = true };

static string Header(HeadersInspectionHandlerOption inspected, string name) =>
    inspected.ResponseHeaders.TryGetValue(name, out var values) && values.SingleOrDefault() is { Length: > 0 } value
        ? value
        : throw new CheckFailed($"no {name} header");

// Repr-Digest is sent on an uncompressed answer only; when it is there, it must be the SHA-256 of what was read.
static string CheckDigest(HeadersInspectionHandlerOption inspected, byte[] file)
{
    if (!inspected.ResponseHeaders.TryGetValue("Repr-Digest", out var values)) return "";
    var expected = $"sha-256=:{Convert.ToBase64String(SHA256.HashData(file))}:";
    Expect(values.Single() == expected, $"Repr-Digest {values.Single()} is not the SHA-256 of the file read ({expected})");
    return ", Repr-Digest matches";
}

static async Task<byte[]> ReadAllAsync(Stream? body)
{
    await using var stream = Present(body, "the file");
    using var copy = new MemoryStream();
    await stream.CopyToAsync(copy);
    return copy.ToArray();
}

// The call must fail with the given status, as the document's problem type: anything else fails the check. A validation
// problem names its fields in errors and has no detail.
static async Task<Problem> Refused(Func<Task> call, int status, bool detail = true)
{
    try
    {
        await call();
    }
    catch (Problem problem) when (problem.ResponseStatusCode == status)
    {
        Expect(problem.Status == status, $"the problem's status is {problem.Status}, the response's {status}");
        Expect(!string.IsNullOrEmpty(problem.Title) && (!detail || !string.IsNullOrEmpty(problem.Detail)), "the problem has no title or detail");
        return problem;
    }
    throw new CheckFailed($"succeeded, where {status} was expected");
}

// Kiota makes the map schema FieldErrors a class whose members are all AdditionalData: a field's messages arrive as an
// untyped array of strings.
static List<string> Messages(FieldErrors errors, string field)
{
    if (!errors.AdditionalData.TryGetValue(field, out var value) || value is not UntypedArray messages)
    {
        throw new CheckFailed($"errors has no messages for {field}: {string.Join(", ", errors.AdditionalData.Select(pair => $"{pair.Key} ({pair.Value?.GetType().Name})"))}");
    }
    return [.. messages.GetValue().Select(message => message is UntypedString text ? text.GetValue() ?? "" : throw new CheckFailed($"a message for {field} is a {message.GetType().Name}"))];
}

static T Present<T>(T? value, string what) where T : class => value ?? throw new CheckFailed($"{what} is missing");

static T PresentValue<T>(T? value, string what) where T : struct => value ?? throw new CheckFailed($"{what} is missing");

static void Expect(bool condition, string failure)
{
    if (!condition) throw new CheckFailed(failure);
}

static void Done(string step, string detail) => Console.WriteLine($"ok   {step}: {detail}");

/// <summary>A check that failed: the message says what differed.</summary>
internal sealed class CheckFailed(string message) : Exception(message);

/// <summary>
/// The API key as Kiota's bearer token: the document's security scheme is HTTP bearer, and the key neither expires nor
/// is fetched. Sent to BASE's host only, as Kiota's allowed hosts validator decides.
/// </summary>
internal sealed class ApiKeyToken(string key, string host) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? key : string.Empty);
}
