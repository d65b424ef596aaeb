using System.Globalization;
using AidTracker.Api.Dataset;

namespace AidTracker.Api.Cli;

/// <summary><c>generate-dataset --out FILE [--rows N] [--seed S] [--format sqlite|csv]</c>: see <see cref="SyntheticDataset"/>.</summary>
public static class GenerateDatasetCommand
{
    public const string Usage = """
        generate-dataset --out FILE [--rows 1000000] [--seed 42] [--format sqlite|csv]
                                                  writes a synthetic SQLite database (schema, reference data, N
                                                  donations with history; N = 0 gives an empty database to import
                                                  into) or the import CSV; FILE must not exist yet, its folder must
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = CommandOptions.Parse(args);
        var rows = 1_000_000;
        var seed = 42;
        if (!options.TryGetValue("out", out var path)
            || options.Keys.Except(["out", "rows", "seed", "format"]).Any()
            || (options.TryGetValue("rows", out var rowsText) && (!int.TryParse(rowsText, CultureInfo.InvariantCulture, out rows) || rows < 0))
            || (options.TryGetValue("seed", out var seedText) && !int.TryParse(seedText, CultureInfo.InvariantCulture, out seed)))
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }

        // A mistyped --out must not replace a real database, nor land in a folder nobody meant to make.
        var fullPath = CommandPaths.FullPath(path);
        if (File.Exists(fullPath))
        {
            await error.WriteLineAsync($"generate-dataset: {fullPath} already exists; delete it first or choose another --out.");
            return 2;
        }
        if (!Directory.Exists(Path.GetDirectoryName(fullPath)))
        {
            await error.WriteLineAsync($"generate-dataset: the folder {Path.GetDirectoryName(fullPath)} does not exist.");
            return 2;
        }
        var clock = services.GetRequiredService<TimeProvider>();
        var result = options.GetValueOrDefault("format", "sqlite") switch
        {
            "sqlite" => await SyntheticDataset.WriteSqliteAsync(fullPath, rows, seed, clock),
            "csv" => await SyntheticDataset.WriteCsvAsync(fullPath, rows, seed),
            var other => null,
        };
        if (result is null)
        {
            await error.WriteLineAsync("--format must be sqlite or csv.");
            return 2;
        }
        await output.WriteLineAsync(FormattableString.Invariant(
            $"Wrote {result.Rows:N0} synthetic donations (seed {seed}) to {result.Path} in {result.Elapsed.TotalSeconds:F1} s."));
        if (result.Deliveries + result.Evidence + result.Sources + result.Packages > 0)
        {
            await output.WriteLineAsync(FormattableString.Invariant(
                $"With {result.Deliveries:N0} deliveries, {result.Evidence:N0} evidence rows, {result.Sources:N0} sources and {result.Packages:N0} packages."));
        }
        return 0;
    }
}
