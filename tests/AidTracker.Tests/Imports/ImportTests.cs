using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AidTracker.Api.Cli;
using AidTracker.Api.Common;
using AidTracker.Api.Dataset;
using AidTracker.Api.Imports;
using Dapper;
using Microsoft.AspNetCore.Hosting;

namespace AidTracker.Tests;

/// <summary>A database with the bundled reference data, the synthetic sources (ids 1 to 20) and no donations: where an export goes back in.</summary>
public sealed class EmptyDatabaseFixture : ApiFixture
{
    public EmptyDatabaseFixture() : base(Prepare()) { }

    /// <summary>A new folder holding such a database; every one has the same sources.</summary>
    public static string Prepare()
    {
        var folder = NewFolder();
        SyntheticDataset.WriteSqliteAsync(Path.Combine(folder, "empty.db"), 0, 1, TimeProvider.System).GetAwaiter().GetResult();
        return folder;
    }
}

/// <summary>Another database like <see cref="EmptyDatabaseFixture"/>'s: where an export comes from, citing the same sources.</summary>
public sealed class OriginDatabaseFixture() : ApiFixture(EmptyDatabaseFixture.Prepare());

/// <summary>The service with small import limits: 2,000 bytes and 3 rows.</summary>
public sealed class SmallLimitsFixture : ApiFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Imports:MaxBytes", "2000");
        builder.UseSetting("Imports:MaxRows", "3");
    }
}

public sealed class ImportTests(DonationJsonFixture source, EmptyDatabaseFixture empty, SmallLimitsFixture small, OriginDatabaseFixture origin)
    : IClassFixture<DonationJsonFixture>, IClassFixture<EmptyDatabaseFixture>, IClassFixture<SmallLimitsFixture>, IClassFixture<OriginDatabaseFixture>
{
    /// <summary>The simple case: one citation per row, of an existing source (the seed source, 1) and its quote.</summary>
    private const string Header = "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,quote";

    private static ByteArrayContent Csv(string text) => Csv(Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent Csv(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task<long> RowCountAsync(ApiFixture app) =>
        long.Parse((await app.Anonymous().GetAsync("/api/v1/exports/donations.csv")).Headers.GetValues("AidTracker-Row-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_export_imports_into_an_empty_database_unchanged()
    {
        // Texts that an export neutralises against formulas, in notes and quotes; two citations each; and a donation
        // delivered in two instalments, one known to the month, each with its evidence.
        foreach (var text in new[] { "=1+1", "'=x", "''@y", "'tis", "-", "\ttab" })
        {
            var body = Donations.Valid().With("notes", text).With("evidence", new JsonArray(
                Donations.Evidence(source: 2, quote: text), Donations.Evidence(source: 3, quote: "Second", "announcement", "quantity")));
            Assert.Equal(HttpStatusCode.Created, (await origin.Editor().PostAsync("/api/v1/donations", Http.Json(body))).StatusCode);
        }
        var delivered = Donations.Valid().With("status", "partially_delivered").With("deliveries", new JsonArray(
            Donations.NewDelivery("2022-05", 30).Without("status"),
            Donations.NewDelivery("2022-06-15", 20).With("evidence", new JsonArray(Donations.Evidence(source: 4, quote: "Arrived", "delivery", "quantity")))));
        var response0 = await origin.Editor().PostAsync("/api/v1/donations", Http.Json(delivered));
        Assert.Equal(HttpStatusCode.Created, response0.StatusCode);
        var exported = await origin.Anonymous().GetStringAsync("/api/v1/exports/donations.csv");
        var file = await WithChildrenAsync(origin, exported);

        var response = await empty.Editor().PostAsync("/api/v1/imports/donations", Csv(file));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var import = await response.ReadObjectAsync();
        Assert.Equal(DonationImport.Assigned, import["ignored_columns"]!.AsArray().Select(c => c!.GetValue<string>()));

        var again = await empty.Anonymous().GetStringAsync("/api/v1/exports/donations.csv");
        var before = Records(exported);
        var after = Records(again);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before.Count - 1, import["row_count"]!.GetValue<long>());
        await empty.AssertDerivedTablesAreExactAsync();
        var assignedNow = new[] { "created_at", "updated_at" }.Select(name => before[0].IndexOf(name)).ToHashSet();
        foreach (var (was, now) in before.Zip(after))
        {
            Assert.Equal(was.Where((_, i) => !assignedNow.Contains(i)), now.Where((_, i) => !assignedNow.Contains(i)));
        }
        // The children came along too: the same evidence and deliveries, with ids of their own.
        var ids = before.Skip(1).Select(row => row[0]).ToList();
        Assert.Equal(ids, after.Skip(1).Select(row => row[0]));
        foreach (var id in ids)
        {
            Assert.Equal(Children(await origin.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}")),
                Children(await empty.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}")));
        }
    }

    /// <summary>
    /// The donations export with each row's evidence and deliveries added as the columns evidence and deliveries, the
    /// JSON arrays that GET /api/v1/donations/{id} writes.
    /// </summary>
    private static async Task<string> WithChildrenAsync(ApiFixture app, string export)
    {
        var rows = Records(export);
        var file = new StringBuilder();
        foreach (var (row, i) in rows.Select((row, i) => (row, i)))
        {
            var extra = i == 0 ? ["evidence", "deliveries"] : await ChildCellsAsync(app, row[0]);
            file.Append(string.Join(',', row.Select(cell => cell == "<null>" ? "" : CsvCell(cell)).Concat(extra.Select(CsvCell)))).Append("\r\n");
        }
        return file.ToString();
    }

    private static async Task<string[]> ChildCellsAsync(ApiFixture app, string id)
    {
        var donation = await app.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}");
        return [donation["evidence"]!.ToJsonString(), donation["deliveries"]!.AsArray().Count == 0 ? "" : donation["deliveries"]!.ToJsonString()];
    }

    private static string CsvCell(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    /// <summary>A donation's evidence and deliveries without their ids, which an import assigns anew.</summary>
    private static string Children(JsonObject donation)
    {
        var children = new JsonObject { ["evidence"] = donation["evidence"]!.DeepClone(), ["deliveries"] = donation["deliveries"]!.DeepClone() };
        var deliveries = children["deliveries"]!.AsArray().Select(d => d!.AsObject()).ToList();
        var evidence = children["evidence"]!.AsArray().Concat(deliveries.SelectMany(d => d["evidence"]!.AsArray())).Select(e => e!.AsObject());
        foreach (var node in deliveries.Concat(evidence)) node.Remove("id");
        return children.ToJsonString();
    }

    [Fact]
    public async Task A_file_with_bad_rows_imports_nothing_and_lists_every_bad_row_with_its_line_and_field()
    {
        var before = await RowCountAsync(source);
        var file = $"""
            {Header}
            POL,UKR,nlaw,10,exact,announced,2022-03-01,1,Good row
            POL,UKR,nlaw,ten,exact,announced,2022-03-01,1,Bad quantity
            POL,UKR,nlaw,10,exact,announced,2022-03-01,1,Good row
            XXX,UKR,nlaw,10,exact,announced,2022-03-01,1,Unknown donor
            POL,UKR,nlaw,10,exact,shipped,2022-03-01,1,Bad status
            POL,UKR,nlaw,10,exact,announced,2022-03-01,1,"Multi
            line source"
            POL,UKR,nlaw,10,exact,announced,2022-03-01
            POL,UKR,nlaw,10,exact,announced,2022-03-01,,Empty source
            """;

        var response = await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file));
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<long>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(3L, "quantity"), (5L, "donor"), (6L, "status"), (9L, "row"), (10L, "source")], errors);
        Assert.Equal(5, problem["error_count"]!.GetValue<long>());
        Assert.Equal(before, await RowCountAsync(source));
    }

    [Fact]
    public async Task One_citation_per_row_takes_its_locator_grade_and_what_it_supports_and_bad_ones_name_their_column()
    {
        const string header = "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,quote,locator,credibility,supports";
        var good = await source.Editor().PostAsync("/api/v1/imports/donations", Csv($"{header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,Said,p. 4,2,\"announcement, quantity\"\n"));
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var donation = await source.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{(await good.ReadObjectAsync())["first_donation"]}");
        var evidence = donation["evidence"]!.AsArray().Single()!;
        Assert.Equal((1L, "Said", "p. 4", 2), (evidence["source"]!.GetValue<long>(), evidence["quote"]!.GetValue<string>(), evidence["locator"]!.GetValue<string>(), evidence["credibility"]!.GetValue<int>()));
        Assert.Equal(["announcement", "quantity"], evidence["supports"]!.AsArray().Select(x => x!.GetValue<string>()));

        var file = $"""
            {header}
            POL,UKR,nlaw,10,exact,announced,2022-03-01,1,Said,p. 4,7,announcement
            POL,UKR,nlaw,10,exact,announced,2022-03-01,1,Said,p. 4,2,rumour
            POL,UKR,nlaw,10,exact,announced,2022-03-01,999999,Said,,,
            """;
        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<long>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(2L, "credibility"), (3L, "supports"), (4L, "source")], errors);
    }

    [Fact]
    public async Task Evidence_and_deliveries_in_json_cells_are_checked_per_row_with_the_status_rules_naming_line_and_field()
    {
        const string header = "donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,evidence,deliveries";
        static string Cell(string json) => $"\"{json.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var evidence = Cell("""[{"source":1,"quote":"Said","supports":["announcement"]}]""");
        string Delivered(int quantity) => Cell($$"""[{"delivered_on":"2022-05","quantity":{{quantity}},"quantity_qualifier":"exact","evidence":[{"source":1,"supports":["delivery"]}]}]""");
        var before = await RowCountAsync(source);
        var file = $"""
            {header}
            POL,UKR,nlaw,10,exact,partially_delivered,2022-03-01,{evidence},{Delivered(4)}
            POL,UKR,nlaw,10,exact,announced,2022-03-01,{evidence},{Delivered(4)}
            POL,UKR,nlaw,10,exact,delivered,2022-03-01,{evidence},
            POL,UKR,nlaw,10,exact,delivered,2022-03-01,{evidence},{Delivered(11)}
            POL,UKR,nlaw,10,exact,announced,2022-03-01,{Cell("""[{"source":1,"supports":["rumour"]}]""")},
            POL,UKR,nlaw,10,exact,announced,2022-03-01,not json,
            POL,UKR,nlaw,10,exact,partially_delivered,2022-03-01,{evidence},{Cell("""[{"quantity":"many","evidence":[{"source":1,"supports":["delivery"]}]}]""")}
            POL,UKR,nlaw,10,exact,partially_delivered,2022-03-01,{evidence},{Cell("""[{"quantity":2}]""")}
            """;

        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var errors = problem["errors"]!.AsArray().Select(e => (e!["line"]!.GetValue<long>(), e["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(3L, "status"), (4L, "status"), (5L, "deliveries"), (6L, "evidence[0].supports"), (7L, "evidence"), (8L, "deliveries[0].quantity"), (9L, "deliveries[0].evidence")], errors);
        Assert.Equal(before, await RowCountAsync(source));

        var accepted = await source.Editor().PostAsync("/api/v1/imports/donations", Csv($"{header}\nPOL,UKR,nlaw,10,exact,partially_delivered,2022-03-01,{evidence},{Delivered(4)}\n"));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var donation = await source.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{(await accepted.ReadObjectAsync())["first_donation"]}");
        Assert.Equal(4, donation["quantity_delivered"]!.GetValue<long>());
        Assert.Equal("2022-05", donation["deliveries"]![0]!["delivered_on"]!.GetValue<string>());
        Assert.Single(donation["deliveries"]![0]!["evidence"]!.AsArray());
        await source.AssertDerivedTablesAreExactAsync();
    }

    [Fact]
    public async Task A_row_gives_its_evidence_in_source_or_in_evidence_not_both()
    {
        var file = "donor,recipient,weapon_system,status,announced_on,source,evidence\nPOL,UKR,nlaw,announced,2022-03-01,1,\"[{\"\"source\"\":1,\"\"supports\"\":[\"\"announcement\"\"]}]\"\n";
        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal((2L, "source"), (problem["errors"]![0]!["line"]!.GetValue<long>(), problem["errors"]![0]!["field"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("donor,recipient,weapon_system,status,announced_on,source,colour\n", "'colour' is not a column")]
    [InlineData("donor,recipient,weapon_system,status,announced_on\n", "no 'source' column")]
    [InlineData("donor,donor,recipient,weapon_system,status,announced_on,source\n", "names 'donor' twice")]
    [InlineData(Header + "\n", "no rows")]
    public async Task A_wrong_header_or_an_empty_file_is_refused_clearly(string file, string reason)
    {
        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var error = problem["errors"]!.AsArray().Single()!;
        Assert.Equal("file", error["field"]!.GetValue<string>());
        Assert.Contains(reason, error["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_at_its_line()
    {
        var latin1 = Encoding.Latin1.GetBytes($"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,Good\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,Münster\n");
        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(latin1))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("not UTF-8", problem["errors"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, problem["errors"]![0]!["line"]!.GetValue<long>());

        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"{Header}\n")).ToArray();
        var problem16 = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(utf16))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("UTF-8", problem16["errors"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,With a BOM\n")).ToArray();
        Assert.Equal(HttpStatusCode.Created, (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(bom))).StatusCode);
    }

    [Fact]
    public async Task Past_the_limits_an_import_is_413_or_names_the_row_count()
    {
        var big = $"{Header}\n" + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,1,A source long enough to pass two thousand bytes quickly\n", 30));
        var tooLarge = await (await small.Editor().PostAsync("/api/v1/imports/donations", Csv(big))).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("file", tooLarge["errors"]![0]!["field"]!.GetValue<string>());

        var four = $"{Header}\n" + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,1,S\n", 4));
        var tooMany = await (await small.Editor().PostAsync("/api/v1/imports/donations", Csv(four))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("more than 3 rows", tooMany["errors"]![0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        var three = $"{Header}\n" + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,10,exact,announced,2022-03-01,1,S\n", 3));
        Assert.Equal(HttpStatusCode.Created, (await small.Editor().PostAsync("/api/v1/imports/donations", Csv(three))).StatusCode);
    }

    [Fact]
    public async Task A_retried_upload_with_the_same_key_imports_once_and_another_file_is_refused()
    {
        var file = $"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,Idempotent\n";
        var before = await RowCountAsync(source);
        HttpResponseMessage Send(string body) => source.Editor().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/imports/donations")
        {
            Content = Csv(body), Headers = { { "Idempotency-Key", "upload-7f3a" } },
        }).GetAwaiter().GetResult();

        var first = Send(file);
        var retry = Send(file);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((await first.ReadObjectAsync())["id"]!.ToString(), (await retry.ReadObjectAsync())["id"]!.ToString());
        Assert.Equal(before + 1, await RowCountAsync(source));

        var reused = await Send(file.Replace("Idempotent", "Another", StringComparison.Ordinal)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key", reused["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(before + 1, await RowCountAsync(source));
    }

    [Fact]
    public async Task Each_imported_row_has_a_history_entry_with_the_import_id()
    {
        var response = await source.Editor().PostAsync("/api/v1/imports/donations", Csv($"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,One\nDEU,UKR,nlaw,2,exact,announced,2022-03-02,1,Two\n"));
        var import = await response.ReadObjectAsync();
        Assert.Equal(response.Headers.Location!.OriginalString, $"/api/v1/imports/{import["id"]}");
        Assert.Equal(import.ToJsonString(), (await source.Anonymous().GetJsonAsync<JsonObject>(response.Headers.Location.OriginalString)).ToJsonString());
        Assert.Equal(2, import["row_count"]!.GetValue<long>());
        for (var id = import["first_donation"]!.GetValue<long>(); id <= import["last_donation"]!.GetValue<long>(); id++)
        {
            var history = await source.Anonymous().GetJsonAsync<JsonObject>($"/api/v1/donations/{id}/history");
            var entry = history["items"]!.AsArray().Single()!;
            Assert.Equal(import["id"]!.GetValue<long>(), entry["import_id"]!.GetValue<long>());
            Assert.Equal(ApiFixture.EditorName, entry["changed_by"]!.GetValue<string>());
        }
        // The search index and the stats rollup took the rows too, though their triggers were lifted for the import.
        var found = await source.Anonymous().GetJsonAsync<JsonObject>("/api/v1/donations?q=two&donor=DEU");
        Assert.Contains(found["items"]!.AsArray(), item => item!["id"]!.GetValue<long>() == import["last_donation"]!.GetValue<long>());
        await source.AssertDerivedTablesAreExactAsync();
        await using var connection = await source.Connections.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>(source.OnPostgres
            ? "SELECT count(*) FROM pg_trigger WHERE tgname IN ('donation_search_after_insert', 'donation_rollup_after_insert') AND tgenabled = 'O'"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('donations_fts_after_insert', 'donation_rollup_after_insert')"));
    }

    [Fact]
    public async Task Only_an_editor_imports_and_only_text_csv()
    {
        var file = $"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,S\n";
        Assert.Equal(HttpStatusCode.Unauthorized, (await source.Anonymous().PostAsync("/api/v1/imports/donations", Csv(file))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await source.WithKey(source.ReaderKey).PostAsync("/api/v1/imports/donations", Csv(file))).StatusCode);
        await (await source.Editor().PostAsync("/api/v1/imports/donations", new StringContent(file, Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        // Routing lets a body without Content-Type through to the handler, which refuses it too.
        var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes(file));
        untyped.Headers.ContentType = null;
        await (await source.Editor().PostAsync("/api/v1/imports/donations", untyped)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task The_import_verb_loads_a_file_or_lists_its_errors()
    {
        var path = Path.Combine(small.Folder, "verb.csv");
        await File.WriteAllTextAsync(path, $"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,Verb\n");
        var output = new StringWriter();
        Assert.Equal(0, await ImportCommand.RunAsync(small.Services, [path], output, new StringWriter()));
        Assert.Matches(@"^Imported 1 donation \(ids \d+ to \d+\) as import \d+\.", output.ToString());

        await File.WriteAllTextAsync(path, $"{Header}\nPOL,UKR,nlaw,-1,exact,announced,2022-03-01,1,Verb\n");
        var error = new StringWriter();
        Assert.Equal(1, await ImportCommand.RunAsync(small.Services, [path], new StringWriter(), error));
        Assert.Contains("line 2, quantity:", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await ImportCommand.RunAsync(small.Services, [Path.Combine(small.Folder, "missing.csv")], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task A_giant_cell_is_an_error_of_its_row_quoted_cut_to_200_characters_in_a_small_422()
    {
        var giant = new string('9', 5_000_000) + "x";
        var file = $"{Header}\nPOL,UKR,nlaw,{giant},exact,announced,2022-03-01,1,Giant\nPOL,UKR,nlaw,ten,exact,announced,2022-03-01,1,Next row still read\n";

        var response = await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 4_000, $"The 422 is {body.Length:N0} characters long.");
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsArray();
        Assert.Equal(2, problem["error_count"]!.GetValue<long>());
        Assert.Equal((2L, "quantity"), (errors[0]!["line"]!.GetValue<long>(), errors[0]!["field"]!.GetValue<string>()));
        var reason = errors[0]!["reason"]!.GetValue<string>();
        Assert.Contains($"'{new string('9', 200)}…' (cut to 200 of its 5,000,001 characters)", reason, StringComparison.Ordinal);
        Assert.Equal((3L, "quantity"), (errors[1]!["line"]!.GetValue<long>(), errors[1]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cells_quoted_in_reasons_are_cut_to_200_characters_with_their_length()
    {
        var amount = new string('1', 300) + "x";
        var currency = new string('E', 5_000);
        var file = $"{Header},value_amount,value_currency\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,S,{amount},EUR\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,S,10,{currency}\n";

        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        var reasons = problem["errors"]!.AsArray().ToDictionary(e => e!["field"]!.GetValue<string>(), e => e!["reason"]!.GetValue<string>());
        Assert.Equal($"'{new string('1', 200)}…' (cut to 200 of its 301 characters) is not an amount such as 1500 or 12.50.", reasons["value_amount"]);
        Assert.StartsWith($"'{new string('E', 200)}…' (cut to 200 of its 5,000 characters) is not an ISO 4217", reasons["value_currency"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_1000_bad_rows_list_the_first_1000_and_count_them_all()
    {
        var file = $"{Header}\n" + string.Concat(Enumerable.Repeat("POL,UKR,nlaw,ten,exact,announced,2022-03-01,1,S\n", 1_500));

        var problem = await (await source.Editor().PostAsync("/api/v1/imports/donations", Csv(file))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(DonationImport.MaxListedErrors, problem["errors"]!.AsArray().Count);
        Assert.Equal(1_500, problem["error_count"]!.GetValue<long>());
        Assert.Equal(1_001, problem["errors"]!.AsArray()[^1]!["line"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_import_verb_reports_a_giant_cell_cut_as_the_service_does()
    {
        var path = Path.Combine(empty.Folder, "giant.csv");
        await File.WriteAllTextAsync(path, $"{Header}\nPOL,UKR,nlaw,10,exact,announced,2022-03-01,1,\"{new string('s', 3_000_000)}\"\n");
        var error = new StringWriter();

        Assert.Equal(1, await ImportCommand.RunAsync(empty.Services, [path], new StringWriter(), error));

        Assert.True(error.ToString().Length < 1_000, $"The verb wrote {error.ToString().Length:N0} characters.");
        Assert.Contains("line 2, quote: The cell has 3,000,000 characters", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("…' (cut to 200 of its 3,000,000 characters)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_in_flight_is_an_unnamed_scratch_file_and_never_a_file_in_the_system_temp_folder()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/fd shows what this process holds open
        var rest = new TaskCompletionSource();
        var content = new HeldContent(Encoding.UTF8.GetBytes($"{Header}\n"), Encoding.UTF8.GetBytes("POL,UKR,nlaw,10,exact,announced,2022-03-01,1,In flight\n"), rest.Task);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        // Not Editor(): the factory's usual client follows redirects, and so reads a body whole before it sends it.
        using var client = source.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", source.EditorKey);
        var upload = client.PostAsync("/api/v1/imports/donations", content);

        var scratch = Path.Combine(source.Folder, "scratch") + "/";
        List<string> open = [];
        for (var i = 0; i < 200 && !open.Any(target => target.StartsWith(scratch, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
            open = OpenFiles();
        }
        var held = Assert.Single(open, target => target.StartsWith(scratch, StringComparison.Ordinal));
        Assert.EndsWith(" (deleted)", held, StringComparison.Ordinal); // open, and already without a name
        Assert.Empty(Directory.GetFiles(scratch));
        Assert.DoesNotContain(open, target => target.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && target.Contains("aidtracker-import-", StringComparison.Ordinal));
        rest.SetResult();

        Assert.Equal(HttpStatusCode.Created, (await upload).StatusCode);
        Assert.DoesNotContain(OpenFiles(), target => target.StartsWith(scratch, StringComparison.Ordinal));
    }

    /// <summary>What this process holds open: the targets of /proc/self/fd.</summary>
    private static List<string> OpenFiles() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd => { try { return fd.LinkTarget ?? ""; } catch (IOException) { return ""; } }).ToList();

    /// <summary>A body that sends its first part, then waits for <paramref name="released"/> before the rest.</summary>
    private sealed class HeldContent(byte[] first, byte[] rest, Task released) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await released;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public void The_reader_keeps_the_start_of_a_long_cell_reads_past_the_rest_and_counts_fields_past_the_most_kept()
    {
        var text = $"a,\"{new string('x', 50)}\n{new string('y', 50)}\",c\n1,2,3,4,5\nlast\n";
        var reader = new CsvReader(new StringReader(text), maxCellLength: 10, maxFields: 3);

        Assert.Equal(["a", "xxxxxxxxxx", "c"], reader.ReadRecord()!);
        Assert.Equal([new CsvReader.LongCell(1, 101)], reader.LongCells);
        Assert.Equal(["1", "2", "3"], reader.ReadRecord()!);
        Assert.Equal((3, 5L), (reader.RecordLine, reader.FieldCount));
        Assert.Empty(reader.LongCells);
        Assert.Equal(["last"], reader.ReadRecord()!);
        Assert.Equal(4, reader.RecordLine);
    }

    [Theory]
    [InlineData("=1")]
    [InlineData("'=1")]
    [InlineData("''=1")]
    [InlineData("'tis")]
    [InlineData("'")]
    [InlineData("-")]
    [InlineData("\tx")]
    [InlineData("plain")]
    [InlineData(" =1")]
    [InlineData("'\u00A0=1")]
    [InlineData("\u200B+1")]
    [InlineData("\n=1")]
    [InlineData("\uFF1D1")]
    [InlineData("' plain")]
    public void Unneutralise_restores_every_value_the_writer_neutralised(string value)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Api.Common.Csv.WriteCell(output, Encoding.UTF8.GetBytes(value), isText: true);
        var cell = new CsvReader(new StringReader(Encoding.UTF8.GetString(output.WrittenSpan))).ReadRecord()!.Single()!;
        Assert.Equal(value, Api.Common.Csv.Unneutralise(cell));
    }

    private static List<List<string>> Records(string csv)
    {
        var reader = new CsvReader(new StringReader(csv));
        var records = new List<List<string>>();
        while (reader.ReadRecord() is { } record) records.Add(record.Select(cell => cell ?? "<null>").ToList());
        return records;
    }
}
