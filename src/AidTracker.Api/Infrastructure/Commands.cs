using AidTracker.Api.Auth;
using AidTracker.Api.Data;
using Microsoft.Extensions.Logging.Console;

namespace AidTracker.Api.Infrastructure;

/// <summary>
/// The command-line verbs: <c>dotnet run --project src/AidTracker.Api -- keys …</c>. A verb prepares the database
/// as the service would, does its work, and exits without serving.
/// </summary>
public static class Commands
{
    private sealed record Verb(bool UsesServiceDatabase, Func<IServiceProvider, IReadOnlyList<string>, TextWriter, TextWriter, Task<int>> Run);

    private static readonly Dictionary<string, Verb> Verbs = new(StringComparer.Ordinal)
    {
        ["keys"] = new(UsesServiceDatabase: true, KeyCommands.RunAsync),
        ["generate-dataset"] = new(UsesServiceDatabase: false, DatasetCommand.RunAsync),
        ["import"] = new(UsesServiceDatabase: true, Imports.ImportCommand.RunAsync),
        ["backup"] = new(UsesServiceDatabase: true, BackupCommand.RunAsync),
        ["copy"] = new(UsesServiceDatabase: false, CopyCommand.RunAsync),
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    /// <summary>
    /// The arguments the host reads as configuration. Under a verb, only <c>--Section:Key=value</c>: the host would
    /// take a path such as <c>/data/file.csv</c> for a <c>/key value</c> switch and swallow the next argument.
    /// </summary>
    public static string[] HostArguments(string[] args) =>
        IsCommand(args) ? args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray() : args;

    /// <summary>Under a verb, standard output carries only the verb's own output (a key's secret, say): logs go to standard error.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services, string[] args)
    {
        if (IsCommand(args))
        {
            services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        return services;
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var verb = Verbs[args[0]];
        if (verb.UsesServiceDatabase) await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return await verb.Run(app.Services, args[1..], Console.Out, Console.Error);
    }
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
