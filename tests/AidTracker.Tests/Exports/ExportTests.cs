using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Exports;
using Parquet;

namespace AidTracker.Tests;

/// <summary>CSV and NDJSON exports against the list endpoint over the same generated and edge-case rows.</summary>
public sealed class ExportTests(DonationJsonFixture app) : IClassFixture<DonationJsonFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("?donor=DEU")]
    [InlineData("?category=air-defence&status=committed")]
    public async Task Csv_holds_every_listed_row_cell_for_cell_with_the_codebook_header(string filter)
    {
        var listed = await app.Anonymous().ReadAllPagesAsync($"/api/v1/donations{(filter == "" ? "?" : filter + "&")}limit=100");
        var response = await app.Anonymous().GetAsync($"/api/v1/exports/donations.csv{filter}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var records = ReadCsv(await response.Content.ReadAsStringAsync());
        Assert.Equal(ExportColumns.All.Select(c => c.Name), records[0]);
        Assert.Equal(listed.Count, records.Count - 1);
        Assert.Equal(listed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("AidTracker-Row-Count").Single());
        foreach (var (item, record) in listed.Zip(records.Skip(1)))
        {
            for (var i = 0; i < records[0].Count; i++)
            {
                var value = item![records[0][i]];
                var expected = value is null ? "" : value.GetValueKind() == JsonValueKind.String ? Neutralised(value.GetValue<string>()) : value.ToJsonString();
                Assert.Equal(expected, record[i]);
            }
        }
    }

    [Fact]
    public async Task Ndjson_has_one_listed_object_per_line()
    {
        var listed = await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?limit=100");
        var response = await app.Anonymous().GetAsync("/api/v1/exports/donations.ndjson");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("", lines[^1]);
        Assert.Equal(listed.Select(item => item!.ToJsonString()), lines[..^1].Select(line => JsonNode.Parse(line)!.ToJsonString()));
    }

    [Fact]
    public async Task Parquet_is_typed_and_holds_every_listed_row()
    {
        var listed = await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?limit=100");
        var response = await app.Anonymous().GetAsync("/api/v1/exports/donations.parquet");
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType!.MediaType);
        // Parquet.Net reads DATE as DateTime unless asked; DuckDB reads it as DATE (see docs/design-notes.md).
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), new ParquetOptions { UseDateOnlyTypeForDates = true });

        var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
        Assert.Equal(ExportColumns.All.Select(c => c.Name), reader.Schema.DataFields.Select(f => f.Name));
        Assert.Equal(typeof(long), fields["id"].ClrType);
        // A partial date (2022, 2022-03, 2022-03-06) is text; a whole date is a DATE.
        Assert.Equal(fields["notes"].ClrType, fields["announced_on"].ClrType);
        Assert.Equal(typeof(DateOnly), fields["value_eur_rate_date"].ClrType);
        Assert.Equal(typeof(decimal), fields["value_amount"].ClrType);
        Assert.Equal(typeof(DateTime), fields["created_at"].ClrType);
        var ids = new List<long?>();
        var eur = new List<decimal?>();
        var announced = new List<string?>();
        var rateDates = new List<DateOnly?>();
        var notes = new List<string?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            ids.AddRange(await Column<long>(group, fields["id"], count));
            eur.AddRange(await Column<decimal>(group, fields["value_eur"], count));
            rateDates.AddRange(await Column<DateOnly>(group, fields["value_eur_rate_date"], count));
            announced.AddRange(await Text(group, fields["announced_on"], count));
            notes.AddRange(await Text(group, fields["notes"], count));
        }

        Assert.Equal(listed.Select(i => (long?)i!["id"]!.GetValue<long>()), ids);
        Assert.Equal(listed.Select(i => i!["value_eur"]?.GetValue<decimal>()), eur);
        Assert.Equal(listed.Select(i => i!["announced_on"]?.GetValue<string>()), announced);
        Assert.Equal(listed.Select(i => i!["value_eur_rate_date"] is { } date ? DateOnly.Parse(date.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null), rateDates);
        Assert.Equal(listed.Select(i => i!["notes"]?.GetValue<string>()), notes);
    }

    private static async Task<string?[]> Text(ParquetRowGroupReader group, Parquet.Schema.DataField field, int count)
    {
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static async Task<T?[]> Column<T>(ParquetRowGroupReader group, Parquet.Schema.DataField field, int count) where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }

    [Fact]
    public async Task Headers_name_the_file_and_a_moment_whose_as_of_export_is_the_same_bytes()
    {
        var whole = await app.Anonymous().GetAsync("/api/v1/exports/donations.csv");
        var slice = await app.Anonymous().GetAsync("/api/v1/exports/donations.ndjson?donor=DEU");

        var name = whole.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", name.DispositionType);
        Assert.Matches(@"^aidtracker-donations-as-of-\d{8}T\d{6}Z\.csv$", name.FileName);
        Assert.Matches(@"^aidtracker-donations-filtered-as-of-\d{8}T\d{6}Z\.ndjson$", slice.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal(await whole.Content.ReadAsStringAsync(), await ReadAsOfAsync(whole));
    }

    /// <summary>The export again with as_of set to the moment the first one's header named.</summary>
    private async Task<string> ReadAsOfAsync(HttpResponseMessage export)
    {
        var asOf = export.Headers.GetValues("AidTracker-As-Of").Single();
        var again = await app.Anonymous().GetAsync($"/api/v1/exports/donations.csv?as_of={Uri.EscapeDataString(asOf)}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(asOf, again.Headers.GetValues("AidTracker-As-Of").Single());
        return await again.Content.ReadAsStringAsync();
    }

    [Theory]
    [InlineData("donor=XXX", "donor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=5", "limit")]
    public async Task A_bad_filter_is_a_problem_naming_it_before_any_row(string query, string field)
    {
        foreach (var format in new[] { "csv", "ndjson", "parquet" })
        {
            await (await app.Anonymous().GetAsync($"/api/v1/exports/donations.{format}?{query}")).AssertProblemNamingAsync(field);
        }
    }

    [Fact]
    public async Task Text_that_would_run_as_a_formula_is_quoted_and_prefixed_in_every_text_column()
    {
        // Every text column of a real export, through the API: names by admin, the rest by an editor.
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/countries", Http.Json(new JsonObject { ["code"] = "QZA", ["name"] = "=HYPERLINK(\"http://evil\")", ["kind"] = "organisation" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/countries", Http.Json(new JsonObject { ["code"] = "QZB", ["name"] = "+SUM(1,2)", ["kind"] = "organisation" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/weapon-systems", Http.Json(new JsonObject { ["id"] = "formula-gun", ["name"] = "@cmd", ["category"] = "other" }))).StatusCode);
        var body = Donations.Valid("QZA", "QZB", "formula-gun").With("notes", "\tcmd|' /C calc'!A0");
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/donations", Http.Json(body))).StatusCode);

        var csv = await app.Anonymous().GetStringAsync("/api/v1/exports/donations.csv?donor=QZA");
        var record = ReadCsv(csv)[1];

        var cells = ExportColumns.All.Select((column, i) => (column.Name, Cell: record[i])).ToDictionary(c => c.Name, c => c.Cell);
        Assert.Equal("'=HYPERLINK(\"http://evil\")", cells["donor_name"]);
        Assert.Equal("'+SUM(1,2)", cells["recipient_name"]);
        Assert.Equal("'@cmd", cells["weapon_system_name"]);
        Assert.Equal("'\tcmd|' /C calc'!A0", cells["notes"]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@A1")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData(" =1+1")]
    [InlineData("   +1")]
    [InlineData("\t-1")]
    [InlineData("\t @A1")]
    [InlineData("\u00A0=1+1")]
    [InlineData("\u200B=1+1")]
    [InlineData("\uFEFF@A1")]
    [InlineData("\u00A0\u200B\uFEFF -1")]
    [InlineData("\n=1+1")]
    [InlineData("\r\n=1+1")]
    [InlineData("\uFF1D1+1")]
    [InlineData("\uFF0B1")]
    [InlineData("\uFF0D1")]
    [InlineData("\uFF20A1")]
    [InlineData(" \uFF1DSUM(A1)")]
    [InlineData("'=1")]
    [InlineData("' =1")]
    public void The_writer_quotes_and_prefixes_each_formula_lead_in_text_but_not_in_numbers(string value)
    {
        var text = new ArrayBufferWriter<byte>();
        Csv.WriteCell(text, Encoding.UTF8.GetBytes(value), isText: true);
        var number = new ArrayBufferWriter<byte>();
        Csv.WriteCell(number, "-1"u8, isText: false);

        Assert.Equal($"\"'{value}\"", Encoding.UTF8.GetString(text.WrittenSpan));
        Assert.Equal("-1", Encoding.UTF8.GetString(number.WrittenSpan));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(" plain")]
    [InlineData("\u00A0x=1")]
    [InlineData("\nx")]
    [InlineData("a=b")]
    [InlineData("1-2")]
    [InlineData("\u2212 1")]
    public void Text_whose_first_visible_character_is_no_formula_sign_is_written_as_it_is(string value)
    {
        var text = new ArrayBufferWriter<byte>();
        Csv.WriteCell(text, Encoding.UTF8.GetBytes(value), isText: true);

        Assert.DoesNotContain("'", Encoding.UTF8.GetString(text.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(value, new CsvReader(new StringReader(Encoding.UTF8.GetString(text.WrittenSpan))).ReadRecord()!.Single());
    }

    [Fact]
    public async Task Every_column_that_holds_text_is_written_as_text_so_the_writer_neutralises_it()
    {
        // Codes, enums and URLs cannot start with = + - @ through the API; this proves that, were one to, its column
        // would still go through the neutralising path: every column the JSON writes as a string, dates aside.
        var row = (await app.Anonymous().ReadAllPagesAsync("/api/v1/donations?weapon_system=iris-t-slm&limit=100"))
            .First(item => item!["value_currency"] is not null && item["notes"] is not null)!;
        var types = ExportColumns.All.ToDictionary(c => c.Name, c => c.Type);

        var textual = row.AsObject()
            .Where(field => field.Value?.GetValueKind() == JsonValueKind.String && types[field.Key] is not (ColumnType.Date or ColumnType.Timestamp))
            .Select(field => field.Key).ToList();

        Assert.Equal(15, textual.Count);
        Assert.All(textual, name => Assert.Equal(ColumnType.Text, types[name]));
        // Every text column is a string in the JSON, or null in this row (funder, committed_on, value_eur_rate).
        var empty = row.AsObject().Where(field => field.Value is null).Select(field => field.Key);
        Assert.Equal(types.Where(t => t.Value == ColumnType.Text).Select(t => t.Key).Order(), textual.Concat(empty.Where(name => types[name] == ColumnType.Text)).Order());
    }

    [Fact]
    public async Task Codebook_describes_every_exported_column_in_json_markdown_and_csv()
    {
        var codebook = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/codebook");
        var markdown = await app.Anonymous().GetStringAsync("/api/v1/codebook.md");
        var csv = ReadCsv(await app.Anonymous().GetStringAsync("/api/v1/codebook.csv"));

        var names = codebook["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(ExportColumns.All.Select(c => c.Name), names);
        Assert.All(codebook["columns"]!.AsArray(), c => Assert.False(string.IsNullOrWhiteSpace(c!["meaning"]!.GetValue<string>())));
        Assert.Equal("decimal", codebook["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "value_eur")!["type"]!.GetValue<string>());
        Assert.All(names, name => Assert.Contains($"| `{name}` |", markdown, StringComparison.Ordinal));
        Assert.Equal(["table", "column", "type", "meaning", "allowed_values", "unit"], csv[0]);
        // Every exported table's columns, each under its table's name, in the JSON's order.
        var tables = codebook["tables"]!.AsArray().SelectMany(t => t!["columns"]!.AsArray().Select(c => (t["name"]!.GetValue<string>(), c!["name"]!.GetValue<string>()))).ToList();
        Assert.Equal(tables, csv.Skip(1).Select(r => (r[0], r[1])));
        Assert.Equal(names, csv.Skip(1).Where(r => r[0] == "donations").Select(r => r[1]));
        Assert.All(codebook["tables"]!.AsArray().Skip(1), t => Assert.Contains($"## `{t!["name"]!.GetValue<string>()}`", markdown, StringComparison.Ordinal));
    }

    private static string Neutralised(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^'*([\\t\\r]|[\\s\u200B\u200C\u200D\u2060\uFEFF]*[=+\\-@\uFF1D\uFF0B\uFF0D\uFF20])") ? "'" + text : text;

    private static List<IReadOnlyList<string>> ReadCsv(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var records = new List<IReadOnlyList<string>>();
        while (reader.ReadRecord() is { } record) records.Add(record.Select(cell => cell ?? "").ToList());
        return records;
    }
}
