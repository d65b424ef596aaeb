using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;

namespace AidTracker.Tests;

/// <summary>
/// GET /api/v1/exports/datapackage.json: a Frictionless descriptor that says exactly what the CSV exports write, checked
/// here against the files and by frictionlessdata's own validator (tools/datapackage/validate.js), which must also fail.
/// </summary>
public sealed class DataPackageTests(DonationJsonFixture app) : IClassFixture<DonationJsonFixture>
{
    [Fact]
    public async Task The_descriptor_lists_every_declared_table_with_its_csv_header_as_its_fields_in_order()
    {
        var descriptor = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/exports/datapackage.json");

        Assert.Equal("aidtracker", descriptor["name"]!.GetValue<string>());
        var resources = descriptor["resources"]!.AsArray();
        Assert.Equal(ExportTables.All.Select(t => t.Name), resources.Select(r => r!["name"]!.GetValue<string>()));
        foreach (var resource in resources)
        {
            var name = resource!["name"]!.GetValue<string>();
            var csv = await app.Anonymous().GetStringAsync($"/api/v1/exports/{name}.csv");
            var header = csv[..csv.IndexOf("\r\n", StringComparison.Ordinal)].Split(',');
            Assert.Equal(header, Fields(resource).Select(f => f["name"]!.GetValue<string>()));
            Assert.Equal($"{name}.csv", resource["path"]!.GetValue<string>());
            Assert.Equal(["csv", "text/csv", "utf-8"], new[] { "format", "mediatype", "encoding" }.Select(key => resource[key]!.GetValue<string>()));
            Assert.Equal([""], resource["schema"]!["missingValues"]!.AsArray().Select(v => v!.GetValue<string>()));
            Assert.Null(resource["hash"]);
            Assert.Null(resource["bytes"]);
        }
    }

    [Fact]
    public async Task The_codebook_lists_every_table_with_the_descriptors_fields_and_keys()
    {
        var codebook = await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/codebook");
        var resources = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/exports/datapackage.json"))["resources"]!.AsArray();
        var tables = codebook["tables"]!.AsArray();

        Assert.Equal(resources.Select(r => r!["name"]!.GetValue<string>()), tables.Select(t => t!["name"]!.GetValue<string>()));
        foreach (var (table, resource) in tables.Zip(resources))
        {
            Assert.Equal(Fields(resource!).Select(f => f["name"]!.GetValue<string>()), table!["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
            Assert.Equal(resource!["schema"]!["primaryKey"]!.ToJsonString(), table["primary_key"]!.ToJsonString());
        }
        Assert.Equal(codebook["columns"]!.ToJsonString(), tables[0]!["columns"]!.ToJsonString());
    }

    [Fact]
    public async Task Keys_and_foreign_keys_name_real_fields_of_real_resources()
    {
        var resources = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/exports/datapackage.json"))["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.GetValue<string>(), r => Fields(r!).Select(f => f["name"]!.GetValue<string>()).ToList());
        foreach (var table in ExportTables.All)
        {
            Assert.NotEmpty(table.PrimaryKey);
            Assert.All(table.PrimaryKey, key => Assert.Contains(key, resources[table.Name]));
            Assert.All(table.ForeignKeys, key =>
            {
                Assert.Equal(key.Fields.Count, key.References.Count);
                Assert.All(key.Fields, field => Assert.Contains(field, resources[table.Name]));
                Assert.All(key.References, field => Assert.Contains(field, resources[key.Table]));
            });
        }
        Assert.Equal(["id"], ExportTables.Donations.PrimaryKey);
    }

    [Fact]
    public void A_declared_foreign_key_is_the_resources_foreign_key()
    {
        // A table declared here with a key of its own shows the descriptor writes each table's keys, and only its.
        var child = ExportTables.Donations with
        {
            Name = "donation_parts",
            ForeignKeys = [new ExportForeignKey(["id"], "donations", ["id"])],
        };

        var descriptor = DataPackages.Describe([ExportTables.Donations, child], DonationFilter.All, null);
        var keys = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(descriptor))!["resources"]![1]!["schema"]!["foreignKeys"]!.AsArray();

        var key = Assert.Single(keys)!;
        Assert.Equal("""["id"]""", key["fields"]!.ToJsonString());
        Assert.Equal("""{"resource":"donations","fields":["id"]}""", key["reference"]!.ToJsonString());
        Assert.Equal("""[{"fields":["package"],"reference":{"resource":"packages","fields":["id"]}}]""",
            JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(descriptor))!["resources"]![0]!["schema"]!["foreignKeys"]!.ToJsonString());
    }

    [Fact]
    public async Task Each_field_has_the_type_constraints_and_meaning_of_its_declaration()
    {
        var resource = (await app.Anonymous().GetJsonAsync<JsonObject>("/api/v1/exports/datapackage.json"))["resources"]![0]!;
        var fields = Fields(resource).ToDictionary(f => f["name"]!.GetValue<string>());

        Assert.Equal(
            ["integer", "string", "string", "date", "number", "number", "datetime"],
            new[] { "id", "donor", "announced_on", "value_eur_rate_date", "value_amount", "value_eur", "updated_at" }.Select(n => fields[n]["type"]!.GetValue<string>()));
        Assert.True(fields["donor"]["constraints"]!["required"]!.GetValue<bool>());
        Assert.False(fields["announced_on"]["constraints"]!["required"]!.GetValue<bool>());
        // A partial date is a string of yyyy, yyyy-MM or yyyy-MM-dd.
        Assert.Equal(PartialDate.Pattern, fields["announced_on"]["constraints"]!["pattern"]!.GetValue<string>());
        Assert.Equal(WireEnum<DonationStatus>.Names, fields["status"]["constraints"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("Written with up to 2 decimals", fields["value_eur"]["description"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var column in ExportTables.Donations.Columns)
        {
            var description = fields[column.Name]["description"]!.GetValue<string>();
            Assert.StartsWith(column.Meaning, description, StringComparison.Ordinal);
            // Free text may carry the CSV's formula quote; the description says so.
            Assert.Equal(column.Type == ColumnType.Text && column.Enum is null && column.Pattern is null, description.Contains(DataPackages.FormulaNote, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_releases_descriptor_gives_the_bytes_and_sha256_of_each_of_its_files()
    {
        var release = await (await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "dp-1", ["title"] = "Data package" }))).ReadObjectAsync();
        var link = release["links"]!["data_package"]!.GetValue<string>();
        Assert.Equal("/api/v1/exports/datapackage.json?release=dp-1", link);
        // An edit after the release changes nothing in the release's files.
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid()))).StatusCode);

        var descriptor = await app.Anonymous().GetJsonAsync<JsonObject>(link);
        Assert.Equal("aidtracker-release-dp-1", descriptor["name"]!.GetValue<string>());
        foreach (var resource in descriptor["resources"]!.AsArray())
        {
            var name = resource!["name"]!.GetValue<string>();
            var file = await app.Anonymous().GetByteArrayAsync($"/api/v1/exports/{name}.csv?release=dp-1");
            Assert.Equal($"sha256:{Convert.ToHexStringLower(SHA256.HashData(file))}", resource["hash"]!.GetValue<string>());
            Assert.Equal(file.Length, resource["bytes"]!.GetValue<long>());
        }
        Assert.Equal($"sha256:{release["csv_sha256"]!.GetValue<string>()}", descriptor["resources"]![0]!["hash"]!.GetValue<string>());
        // Asked again (kept): the same descriptor.
        Assert.Equal(descriptor.ToJsonString(), (await app.Anonymous().GetJsonAsync<JsonObject>(link)).ToJsonString());
    }

    [Fact]
    public async Task A_bad_filter_is_a_problem_naming_it() =>
        await (await app.Anonymous().GetAsync("/api/v1/exports/datapackage.json?release=no-such-release")).AssertProblemNamingAsync("release");

    [Fact]
    public async Task Frictionless_validator_accepts_the_exports_formula_quoted_cells_included()
    {
        var body = Donations.Valid().With("notes", "-2+3").With("evidence", new JsonArray(Donations.Evidence(quote: "=HYPERLINK(\"http://evil\")")));
        Assert.Equal(HttpStatusCode.Created, (await app.Editor().PostAsync("/api/v1/donations", Http.Json(body))).StatusCode);
        using var folder = await DownloadAsync("");
        Assert.Contains("\"'=HYPERLINK(", await File.ReadAllTextAsync(Path.Combine(folder.Path, "evidence.csv")), StringComparison.Ordinal);
        Assert.Contains("'-2+3", await File.ReadAllTextAsync(Path.Combine(folder.Path, "donations.csv")), StringComparison.Ordinal);

        var (code, output) = await DataPackageValidator.RunAsync(folder.Path);

        Assert.True(code == 0, output);
        Assert.Contains("the data package is valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frictionless_validator_accepts_a_release_whose_files_match_its_hashes()
    {
        Assert.Equal(HttpStatusCode.Created, (await app.Admin().PostAsync("/api/v1/releases", Http.Json(new JsonObject { ["id"] = "dp-2", ["title"] = "Validated" }))).StatusCode);
        using var folder = await DownloadAsync("?release=dp-2");

        var (code, output) = await DataPackageValidator.RunAsync(folder.Path);

        Assert.True(code == 0, output);
    }

    /// <summary>The checker can fail: each of these breaks the files or the descriptor one way, and the validator says where.</summary>
    [Theory]
    [InlineData("bad enum value", "status")]
    [InlineData("duplicate key", "unique constraint")]
    [InlineData("missing required cell", "donor")]
    [InlineData("text in an integer field", "id")]
    [InlineData("wrong hash", "hash is sha256:")]
    [InlineData("descriptor against the profile", "descriptor")]
    [InlineData("foreign key to no row", "Foreign key")]
    public async Task Frictionless_validator_fails_on_a_wrong_descriptor_or_a_bad_row(string breakage, string named)
    {
        using var folder = await DownloadAsync("");
        var csvPath = Path.Combine(folder.Path, "donations.csv");
        var descriptorPath = Path.Combine(folder.Path, "datapackage.json");
        var records = ReadCsv(await File.ReadAllTextAsync(csvPath));
        var header = records[0].Select(cell => cell!).ToList();
        var descriptor = JsonNode.Parse(await File.ReadAllTextAsync(descriptorPath))!.AsObject();
        var resource = descriptor["resources"]![0]!;
        var cells = records[1];
        switch (breakage)
        {
            case "bad enum value":
                cells[header.IndexOf("status")] = "bogus";
                break;
            case "duplicate key":
                records.Insert(1, [.. cells]);
                break;
            case "missing required cell":
                cells[header.IndexOf("donor")] = null;
                break;
            case "text in an integer field":
                cells[header.IndexOf("id")] = "x1";
                break;
            case "wrong hash":
                resource["hash"] = "sha256:" + new string('0', 64);
                break;
            case "descriptor against the profile":
                resource["name"] = "Not A Valid Name!";
                break;
            case "foreign key to no row":
                // donations.id names a row of itself; one row's key pointing to no row must be found.
                resource["schema"]!["foreignKeys"] = new JsonArray(new JsonObject
                {
                    ["fields"] = new JsonArray("version"),
                    ["reference"] = new JsonObject { ["resource"] = "", ["fields"] = new JsonArray("id") },
                });
                cells[header.IndexOf("version")] = "999999999";
                break;
        }
        await File.WriteAllBytesAsync(csvPath, WriteCsv(records));
        await File.WriteAllTextAsync(descriptorPath, descriptor.ToJsonString());

        var (code, output) = await DataPackageValidator.RunAsync(folder.Path);

        Assert.True(code != 0, output);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    private static List<string?[]> ReadCsv(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var records = new List<string?[]>();
        while (reader.ReadRecord() is { } record) records.Add([.. record]);
        return records;
    }

    /// <summary>The records as the CSV export writes them; cells already as written (quoted formulas included), so none neutralised again.</summary>
    private static byte[] WriteCsv(IEnumerable<string?[]> records)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            for (var i = 0; i < record.Length; i++)
            {
                if (i > 0) output.Write(","u8);
                if (record[i] is { } cell) Csv.WriteCell(output, System.Text.Encoding.UTF8.GetBytes(cell), isText: false);
            }
            output.Write("\r\n"u8);
        }
        return output.WrittenSpan.ToArray();
    }

    private static IEnumerable<JsonObject> Fields(JsonNode resource) => resource["schema"]!["fields"]!.AsArray().Select(f => f!.AsObject());

    /// <summary>The descriptor of <paramref name="query"/> and each CSV it names, saved under its path in a new folder.</summary>
    private async Task<TempFolder> DownloadAsync(string query)
    {
        var folder = new TempFolder();
        var descriptor = await app.Anonymous().GetStringAsync($"/api/v1/exports/datapackage.json{query}");
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "datapackage.json"), descriptor);
        foreach (var resource in JsonNode.Parse(descriptor)!["resources"]!.AsArray())
        {
            var name = resource!["name"]!.GetValue<string>();
            await File.WriteAllBytesAsync(Path.Combine(folder.Path, resource["path"]!.GetValue<string>()),
                await app.Anonymous().GetByteArrayAsync($"/api/v1/exports/{name}.csv{query}"));
        }
        return folder;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("aidtracker-datapackage-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>
/// Runs tools/datapackage/validate.js (frictionlessdata's datapackage library, pinned) on a folder; installs the pinned
/// package with npm ci first when the checkout has not (once per test run).
/// </summary>
public static class DataPackageValidator
{
    private static readonly Lazy<Task<string>> Tool = new(() => NodeTool.InstallAsync("datapackage", "datapackage"));

    public static async Task<(int Code, string Output)> RunAsync(string folder) =>
        await NodeTool.RunAsync("node", await Tool.Value, ["validate.js", folder]);
}
