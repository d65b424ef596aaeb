using System.Globalization;
using System.Text.Json;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Extraction;
using AidTracker.Api.Sources;
using FluentValidation;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Api.Cli;

/// <summary>
/// <c>extract FILE [--published-on DATE]</c>: the records a text states, as JSON on standard output, nothing stored; with
/// <c>--kind</c> and the source's details, what POST /extractions does: the source and its drafts recorded for review.
/// </summary>
public static class ExtractCommand
{
    public const string Usage = """
        extract FILE [--published-on yyyy-MM-dd]  reads the aid records a text (UTF-8) states, against the date it was
                                                  published (for "on Saturday"), and writes them as JSON: each with its
                                                  sentence, offsets and the words each field came from; and the
                                                  sentences that state aid but give no complete record. Stores nothing.
        extract FILE --kind KIND --published-on DATE [--title T] [--url U] [--publisher P] [--citation C]
                                                  does what POST /api/v1/extractions does: records the source (KIND:
                                                  official, news, …; DATE: yyyy, yyyy-MM or yyyy-MM-dd) and a draft
                                                  donation per record, all drafts for a reviewer to publish (the
                                                  source first), and writes the extraction as
                                                  GET /api/v1/extractions/{id} shows it
        """;

    /// <summary>The most text the verb reads, as POST /extractions takes.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly string[] SourceOptions = ["kind", "title", "url", "publisher", "citation"];

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var words = args.Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))).ToList();
        var file = words.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var options = CommandOptions.Parse(words.Where(a => a != file));
        var recording = options.ContainsKey("kind");
        if (file is null || options.ContainsKey("?") || options.Keys.Any(k => k != "published-on" && !(recording && SourceOptions.Contains(k))))
        {
            await error.WriteLineAsync("Usage:\n" + Usage);
            return 2;
        }
        options.TryGetValue("published-on", out var day);
        // A recorded source's date is the validator's to check (source.published_on), as the endpoint's is.
        if (day is not null && !recording && !DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            await error.WriteLineAsync($"extract: --published-on '{day}' is not a date in the form yyyy-MM-dd.");
            return 2;
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
        return recording
            ? await RecordAsync(services, text, options, day, output, error)
            : await PrintAsync(services, text, day is null ? null : DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), output);
    }

    /// <summary>The source and its drafts recorded as POST /extractions records them, by the operator (<c>command-line:USER</c>).</summary>
    private static async Task<int> RecordAsync(IServiceProvider services, string text, Dictionary<string, string> options, string? publishedOn, TextWriter output, TextWriter error)
    {
        if (!WireEnum<SourceKind>.TryParse(options["kind"], out var kind))
        {
            await error.WriteLineAsync($"extract: --kind '{options["kind"]}' is not one of {string.Join(", ", WireEnum<SourceKind>.Names)}.");
            return 2;
        }
        var request = new ExtractionRequest(text, new SourceRequest(
            kind, options.GetValueOrDefault("publisher"), options.GetValueOrDefault("title"), options.GetValueOrDefault("url"), null, publishedOn,
            null, null, null, options.GetValueOrDefault("citation"), null));
        var validation = await services.GetRequiredService<IValidator<ExtractionRequest>>().ValidateAsync(request);
        if (!validation.IsValid)
        {
            foreach (var failure in validation.Errors) await error.WriteLineAsync($"extract: {failure.PropertyName}: {failure.ErrorMessage}");
            return 2;
        }
        var extractions = services.GetRequiredService<ExtractionRepository>();
        var change = new ChangeContext($"command-line:{Environment.UserName}", null, services.GetRequiredService<TimeProvider>(), Publishes: false);
        var outcome = await extractions.RecordAsync(request, change, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            await error.WriteLineAsync($"extract: {refusal} Nothing was recorded.");
            return 1;
        }
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        await output.WriteLineAsync(JsonSerializer.Serialize(await extractions.ResponseAsync(outcome.Id!.Value, CancellationToken.None), json));
        return 0;
    }

    private static async Task<int> PrintAsync(IServiceProvider services, string text, DateOnly? publishedOn, TextWriter output)
    {
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
