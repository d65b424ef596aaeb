using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AidTracker.Api.Rates;

namespace AidTracker.Api.Cli;

/// <summary><c>rates import FILE</c>: loads the ECB's euro reference rates (<see cref="EcbRatesFile"/>) into exchange_rates, all or nothing.</summary>
public static class RatesCommand
{
    public const string Usage = """
        rates import FILE.csv                     loads the ECB's euro reference rates from eurofxref-hist.csv or
                                                  eurofxref.csv, all or nothing; importing an overlapping file again
                                                  adds what is new and replaces what the ECB revised
        """;

    /// <summary>Far above the ECB's history file (about 2 MB for every business day since 1999).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Who the history of a donation converted after an import names.</summary>
    public const string ChangedBy = "rates import";

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        // --Section:Key=value is the host's configuration (Commands.HostArguments); any other option is none of the verb's.
        var words = args.Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))).ToList();
        if (words.FirstOrDefault(a => a.StartsWith('-')) is { } option)
        {
            await error.WriteLineAsync($"rates: unknown option '{option}': the verb takes none.\nUsage:\n" + Usage);
            return 2;
        }
        if (words is not ["import", var name])
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        var path = CommandPaths.FullPath(name);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"rates import: no file at {path}");
            return 2;
        }
        if (new FileInfo(path).Length > MaxBytes)
        {
            await error.WriteLineAsync($"rates import: the file is larger than {MaxBytes:N0} bytes, far more than the ECB's; nothing was imported.");
            return 1;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        var (file, errors, errorCount) = EcbRatesFile.Parse(new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, throwOnInvalidBytes: false)));
        if (file is null)
        {
            foreach (var e in errors) await error.WriteLineAsync(e.ToString());
            if (errorCount > errors.Count) await error.WriteLineAsync($"... and {errorCount - errors.Count:N0} more.");
            await error.WriteLineAsync($"rates import: {errorCount:N0} error(s) in {Path.GetFileName(path)}; nothing was imported.");
            return 1;
        }

        var imported = await services.GetRequiredService<ExchangeRateRepository>().ImportAsync(file, Convert.ToHexStringLower(SHA256.HashData(bytes)), CancellationToken.None);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Imported {file.Currencies.Count:N0} {(file.Currencies.Count == 1 ? "currency" : "currencies")} over {file.Days:N0} day{(file.Days == 1 ? "" : "s")}, {file.FirstDay:yyyy-MM-dd} to {file.LastDay:yyyy-MM-dd}, from {Path.GetFileName(path)}: " +
            $"{imported.New:N0} new, {imported.Changed:N0} changed, {imported.Unchanged:N0} unchanged rates."));
        // Right after the import's own transaction: donations whose euro value waited for a rate get it now.
        var converted = await services.GetRequiredService<Donations.DonationRepository>().ConvertWaitingAsync(
            new Donations.ChangeContext(ChangedBy, null, services.GetRequiredService<TimeProvider>()), CancellationToken.None);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Converted the euro value of {converted:N0} donation{(converted == 1 ? "" : "s")} that waited for a rate."));
        return 0;
    }
}
