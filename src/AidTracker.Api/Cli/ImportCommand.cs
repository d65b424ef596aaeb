using System.Security.Cryptography;
using AidTracker.Api.Imports;

namespace AidTracker.Api.Cli;

/// <summary><c>import FILE</c>: what POST /api/v1/imports/donations does, from a file, with the same limits.</summary>
public static class ImportCommand
{
    public const string Usage = """
        import FILE.csv                           imports a UTF-8 CSV in the export's columns, each row with its
                                                  evidence (source, quote... or evidence) and deliveries, all or
                                                  nothing, as POST /api/v1/imports/donations does; raise the limits with
                                                  --Imports:MaxRows=N --Imports:MaxBytes=N
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count(a => !a.StartsWith("--", StringComparison.Ordinal)) != 1)
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        var path = CommandPaths.FullPath(args.First(a => !a.StartsWith("--", StringComparison.Ordinal)));
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"import: no file at {path}");
            return 2;
        }
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportOptions>>().Value;
        if (new FileInfo(path).Length > options.MaxBytes)
        {
            await error.WriteLineAsync($"import: the file is larger than {options.MaxBytes:N0} bytes (Imports:MaxBytes); nothing was imported.");
            return 1;
        }

        await using var file = File.OpenRead(path);
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        var outcome = await services.GetRequiredService<DonationImport>().RunAsync(file, sha256, $"command-line:{Environment.UserName}", publishes: true, null, null, default);
        switch (outcome)
        {
            case DonationImport.Accepted { Import: var import }:
                await output.WriteLineAsync($"Imported {import.RowCount:N0} donation{(import.RowCount == 1 ? "" : "s")} (ids {import.FirstDonation} to {import.LastDonation}) as import {import.Id}.");
                if (import.IgnoredColumns.Length > 0) await output.WriteLineAsync($"Left aside, as the database assigns them: {import.IgnoredColumns.Replace(",", ", ", StringComparison.Ordinal)}.");
                return 0;
            case DonationImport.Rejected rejected:
                foreach (var e in rejected.Errors) await error.WriteLineAsync($"{(e.Line is { } line ? $"line {line}" : "file")}, {e.Field}: {e.Reason}");
                if (rejected.ErrorCount > rejected.Errors.Count) await error.WriteLineAsync($"... and {rejected.ErrorCount - rejected.Errors.Count:N0} more.");
                await error.WriteLineAsync($"import: {rejected.ErrorCount:N0} error(s); nothing was imported.");
                return 1;
            default:
                throw new InvalidOperationException($"Unexpected import outcome {outcome.GetType().Name}.");
        }
    }
}
