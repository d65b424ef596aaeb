using System.Globalization;
using AidTracker.Api.Infrastructure;

namespace AidTracker.Api.Data;

/// <summary><c>generate-dataset --out FILE [--rows N] [--seed S] [--format sqlite|csv]</c>: see <see cref="SyntheticDataset"/>.</summary>
public static class DatasetCommand
{
    public const string Usage = """
        generate-dataset --out FILE [--rows 1000000] [--seed 42] [--format sqlite|csv]
                                                  writes a synthetic SQLite database (schema, reference data, N
                                                  donations with history; N = 0 gives an empty database to import
                                                  into) or the import CSV
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

        var fullPath = CommandPaths.FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
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
        return 0;
    }
}
