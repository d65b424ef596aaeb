using AidTracker.Api.Dataset;
using AidTracker.Api.Storage;
using Microsoft.Extensions.Logging.Console;

namespace AidTracker.Api.Cli;

/// <summary>
/// The command-line verbs: <c>dotnet run --project src/AidTracker.Api -- keys …</c>. A verb prepares the database
/// as the service would, does its work, and exits without serving. Without a verb, the process serves.
/// </summary>
public static class Commands
{
    /// <summary>What a verb needs of the service's database (<c>Database:Path</c>, or PostgreSQL's connection string).</summary>
    private enum ServiceDatabase
    {
        /// <summary>The verb names its own databases or files in its arguments.</summary>
        NotUsed,

        /// <summary>The database must be there: a verb never creates one, so a mistyped path is an error, not a new database.</summary>
        MustExist,

        /// <summary>Created if missing, as the service's first start does.</summary>
        CreatedIfMissing,
    }

    /// <summary>A verb: its usage (declared beside its code, and the source of <c>--help</c>), its database, and its work.</summary>
    private sealed record Verb(string Usage, ServiceDatabase Database, Func<IServiceProvider, IReadOnlyList<string>, TextWriter, TextWriter, Task<int>> Run);

    private static readonly Dictionary<string, Verb> Verbs = new(StringComparer.Ordinal)
    {
        ["init"] = new(InitCommand.Usage, ServiceDatabase.CreatedIfMissing, InitCommand.RunAsync),
        ["keys"] = new(KeysCommand.Usage, ServiceDatabase.MustExist, KeysCommand.RunAsync),
        ["import"] = new(ImportCommand.Usage, ServiceDatabase.MustExist, ImportCommand.RunAsync),
        ["rates"] = new(RatesCommand.Usage, ServiceDatabase.MustExist, RatesCommand.RunAsync),
        ["backup"] = new(BackupCommand.Usage, ServiceDatabase.MustExist, BackupCommand.RunAsync),
        // Reads the reference data's names, as a first start leaves them.
        ["extract"] = new(ExtractCommand.Usage, ServiceDatabase.CreatedIfMissing, ExtractCommand.RunAsync),
        // --from must exist, --to must be new or empty: CopyCommand checks both.
        ["copy"] = new(CopyCommand.Usage, ServiceDatabase.NotUsed, CopyCommand.RunAsync),
        // Writes a new file of its own.
        ["generate-dataset"] = new(GenerateDatasetCommand.Usage, ServiceDatabase.NotUsed, GenerateDatasetCommand.RunAsync),
    };

    public static IReadOnlyCollection<string> VerbNames => Verbs.Keys;

    private static readonly string[] HelpSwitches = ["--help", "-h", "-?"];

    /// <summary>
    /// The first word of the command line that is neither an option nor an option's value, and where it stands; null
    /// when there is none (the process serves). The host reads <c>--key=value</c>, <c>/key=value</c> and
    /// <c>key=value</c> alone, and <c>--key value</c> or <c>/key value</c> as a pair (<c>--urls http://…</c>), so
    /// those are stepped over as it reads them. <c>--help</c> counts as the word <c>help</c>.
    /// </summary>
    private static (string Word, int At)? FirstWord(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (HelpSwitches.Contains(arg, StringComparer.Ordinal)) return ("help", i);
            if (arg.Contains('=', StringComparison.Ordinal)) continue;
            if (arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/'))
            {
                i++;
                continue;
            }
            if (arg.StartsWith('-')) continue;
            return (arg, i);
        }
        return null;
    }

    /// <summary>True when the command line names a verb, asks for help, or has a word that is no verb: anything but serving.</summary>
    public static bool IsCommand(string[] args) => FirstWord(args) is not null;

    /// <summary>
    /// The arguments the host reads as configuration. Under a verb: those before the verb, and after it only
    /// <c>--Section:Key=value</c>: the host would take a path such as <c>/data/file.csv</c> for a <c>/key value</c>
    /// switch and swallow the next argument.
    /// </summary>
    public static string[] HostArguments(string[] args) => FirstWord(args) is { At: var at }
        ? [.. args[..at], .. args[(at + 1)..].Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))]
        : args;

    /// <summary>Under a verb, standard output carries only the verb's own output (a key's secret, say): logs go to standard error.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services, string[] args)
    {
        if (IsCommand(args))
        {
            services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        return services;
    }

    public static Task<int> RunAsync(WebApplication app, string[] args) => RunAsync(app.Services, args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the verb the command line names. <c>help</c>, <c>--help</c>, <c>help VERB</c> and <c>VERB --help</c>
    /// print usage and exit 0; a word that is no verb exits 2 and lists the verbs; a verb whose database must exist and
    /// does not exits 2 and says where it looked.
    /// </summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (FirstWord(args) is not { } first) throw new InvalidOperationException("No verb on the command line: the process serves.");
        var word = first.Word;
        var rest = args[(first.At + 1)..];
        if (word == "help")
        {
            if (FirstWord(rest) is not { } topic)
            {
                await output.WriteAsync(Help());
                return 0;
            }
            word = topic.Word;
            rest = ["--help"];
        }
        if (!Verbs.TryGetValue(word, out var verb))
        {
            await error.WriteLineAsync($"'{word}' is not a verb. The verbs: {string.Join(", ", Verbs.Keys)}; --help lists them with their options.");
            return 2;
        }
        if (rest.Any(a => HelpSwitches.Contains(a, StringComparer.Ordinal)))
        {
            await output.WriteLineAsync(verb.Usage.TrimEnd());
            return 0;
        }
        try
        {
            if (verb.Database is not ServiceDatabase.NotUsed)
            {
                var database = services.GetRequiredService<Database>();
                if (verb.Database is ServiceDatabase.MustExist && await database.WhyUnavailableAsync() is { } missing)
                {
                    await error.WriteLineAsync($"{word}: {missing}. The {word} verb never creates the service's database.");
                    return 2;
                }
                await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
                await services.GetRequiredService<BundledDataLoader>().LoadAsync();
            }
            return await verb.Run(services, rest, output, error);
        }
        catch (System.Data.Common.DbException e)
        {
            // A database that fails mid-way (a server that went away, a disk that filled): its message, not a stack trace.
            await error.WriteLineAsync($"{word}: the database failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The whole help: how the process is started, then every verb's usage as the verb declares it.</summary>
    private static string Help() =>
        $"""
        Usage: AidTracker.Api [--Section:Key=value ...] [VERB [OPTIONS]]
          (dotnet run --project src/AidTracker.Api -- ..., or dotnet AidTracker.Api.dll ...)

        Without a verb, serves the API: --urls http://127.0.0.1:5000 and any setting as --Section:Key=value
        (docs/operations.md). A verb works on the service's database (--Database:Path=FILE, or
        --Database:Provider=postgres --Database:ConnectionString=...) and exits. help VERB or VERB --help shows one verb.

        Verbs:
        {string.Join("\n", Verbs.Values.Select(v => v.Usage.TrimEnd()))}

        """;
}

/// <summary>Where a verb finds the files its arguments name.</summary>
public static class CommandPaths
{
    /// <summary>
    /// A path as the user meant it. <c>dotnet run --project</c> starts the process in the project's folder, so a
    /// relative path is taken from the shell's folder, which the shell passes on in PWD; without PWD, from the
    /// process's own.
    /// </summary>
    public static string FullPath(string path) =>
        Path.GetFullPath(path, Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Directory.Exists(shell) ? shell : Environment.CurrentDirectory);
}

/// <summary>Reads <c>--name value</c> pairs. <c>--Section:Key=value</c> arguments are configuration for the host, not options of the verb.</summary>
public static class CommandOptions
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains('=', StringComparison.Ordinal)) continue;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !items.MoveNext()) return new Dictionary<string, string> { ["?"] = name };
            options[name[2..]] = items.Current;
        }
        return options;
    }
}
