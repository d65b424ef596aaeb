using System.Globalization;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Extraction;

namespace AidTracker.Api.Cli;

/// <summary><c>extract FILE [--published-on yyyy-MM-dd]</c>: the records a text states, as JSON on standard output; nothing is written.</summary>
public static class ExtractCommand
{
    public const string Usage = """
        extract FILE [--published-on yyyy-MM-dd]  reads the aid records a text (UTF-8) states, against the date it was
                                                  published (for "on Saturday"), and writes them as JSON: each with its
                                                  sentence, offsets and the words each field came from; and the
                                                  sentences that state aid but give no complete record
        """;

    /// <summary>The most text the verb reads, as POST /extractions takes.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var words = args.Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))).ToList();
        var file = words.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var options = CommandOptions.Parse(words.Where(a => a != file));
        if (file is null || options.ContainsKey("?") || options.Keys.Any(k => k != "published-on"))
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        DateOnly? publishedOn = null;
        if (options.TryGetValue("published-on", out var day))
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                await error.WriteLineAsync($"extract: --published-on '{day}' is not a date in the form yyyy-MM-dd.");
                return 2;
            }
            publishedOn = parsed;
        }
        var path = CommandPaths.FullPath(file);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"extract: no file at {path}");
            return 2;
        }
        if (new FileInfo(path).Length > MaxBytes)
        {
            await error.WriteLineAsync($"extract: the file is larger than {MaxBytes:N0} bytes.");
            return 1;
        }
        var text = await File.ReadAllTextAsync(path);
        var gazetteer = await services.GetRequiredService<ReferenceNames>().GazetteerAsync(CancellationToken.None);
        var result = new Extractor(gazetteer).Extract(text, publishedOn);
        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            records = result.Records.Select(r => new
            {
                donor = r.Donor, recipient = r.Recipient, weapon_system = r.WeaponSystem, quantity = r.Quantity,
                quantity_qualifier = WireEnum<QuantityQualifier>.Name(r.QuantityQualifier), status = WireEnum<DonationStatus>.Name(r.Status),
                date = r.Date?.ToString(), quote = r.Quote.Of(text), quote_start = r.Quote.Start, quote_end = r.Quote.End,
                because = r.Because.Select(f => new { field = f.Field, start = f.Start, end = f.End, words = f.Words }),
            }),
            unresolved = result.Unresolved.Select(u => new { quote = u.Quote.Of(text), quote_start = u.Quote.Start, quote_end = u.Quote.End, reason = u.Reason }),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return 0;
    }
}
