using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

/// <summary>
/// tools/duckdb/joins.mjs (run by scripts/check-exports) on a small hand-made data package with a foreign key: it
/// passes when every key finds its row and fails, naming the key, when one does not; its checks take SQL with '||'.
/// </summary>
public sealed class DuckDbJoinsTests
{
    private static readonly Lazy<Task<string>> Tool = new(() => NodeTool.InstallAsync("duckdb", "@duckdb"));

    /// <summary>A package of two resources: countries (code) and donations (id), whose donor names a country.</summary>
    private static string Package(string donationsCsv)
    {
        var folder = Directory.CreateTempSubdirectory("aidtracker-joins-").FullName;
        JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };
        var descriptor = new JsonObject
        {
            ["name"] = "joins-fixture",
            ["resources"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "countries", ["path"] = "countries.csv",
                    ["schema"] = new JsonObject { ["fields"] = new JsonArray(Field("code", "string"), Field("name", "string")), ["primaryKey"] = new JsonArray("code") },
                },
                new JsonObject
                {
                    ["name"] = "donations", ["path"] = "donations.csv",
                    ["schema"] = new JsonObject
                    {
                        ["fields"] = new JsonArray(Field("id", "integer"), Field("donor", "string"), Field("quantity", "integer")),
                        ["primaryKey"] = new JsonArray("id"),
                        ["foreignKeys"] = new JsonArray(new JsonObject
                        {
                            ["fields"] = new JsonArray("donor"),
                            ["reference"] = new JsonObject { ["resource"] = "countries", ["fields"] = new JsonArray("code") },
                        }),
                    },
                }),
        };
        File.WriteAllText(Path.Combine(folder, "datapackage.json"), descriptor.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "countries.csv"), "code,name\r\nPOL,Poland\r\nDEU,Germany\r\n");
        File.WriteAllText(Path.Combine(folder, "donations.csv"), donationsCsv);
        return folder;
    }

    private static async Task<(int Code, string Output)> JoinsAsync(string folder, params string[] checks) =>
        await NodeTool.RunAsync("node", await Tool.Value, ["joins.mjs", folder, .. checks]);

    [Fact]
    public async Task A_foreign_key_that_holds_passes_and_a_check_may_use_sql_concatenation()
    {
        var folder = Package("id,donor,quantity\r\n1,POL,10\r\n2,DEU,5\r\n3,,1\r\n");

        var (code, output) = await JoinsAsync(folder, "donors joined\tSELECT string_agg(d.donor || ':' || c.name, ',' ORDER BY d.id) FROM donations d JOIN countries c ON c.code = d.donor\tPOL:Poland,DEU:Germany");

        Assert.True(code == 0, output);
        Assert.Contains("donations: rows whose donor find no \"countries\" row: 0", output, StringComparison.Ordinal);
        Assert.Contains("donors joined: POL:Poland,DEU:Germany", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_key_to_no_row_fails_naming_the_key()
    {
        var folder = Package("id,donor,quantity\r\n1,POL,10\r\n2,XXX,5\r\n");

        var (code, output) = await JoinsAsync(folder);

        Assert.True(code == 1, output);
        Assert.Contains("donations: rows whose donor find no \"countries\" row: 1 != 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_not_of_three_tab_separated_parts_fails()
    {
        var folder = Package("id,donor,quantity\r\n1,POL,10\r\n");

        var (code, output) = await JoinsAsync(folder, "count|SELECT count(*) FROM donations|1");

        Assert.True(code == 1, output);
        Assert.Contains("separated by tabs", output, StringComparison.Ordinal);
    }
}

/// <summary>A pinned Node tool under tools/, installed with npm ci when the checkout has not (once per run), and run.</summary>
public static class NodeTool
{
    /// <summary>The tool's folder, tools/<paramref name="name"/>, once <paramref name="module"/> is installed there.</summary>
    public static async Task<string> InstallAsync(string name, string module)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AidTracker.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("No AidTracker.sln above the test's folder.");
        var tool = Path.Combine(root, "tools", name);
        if (!Directory.Exists(Path.Combine(tool, "node_modules", module)))
        {
            var (code, output) = await RunAsync("npm", tool, ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
            if (code != 0) throw new InvalidOperationException($"npm ci in {tool} failed: {output}");
        }
        return tool;
    }

    public static async Task<(int Code, string Output)> RunAsync(string command, string folder, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
