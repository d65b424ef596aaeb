using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AidTracker.Api.Cli;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>
/// The command line as an operator types it: the built service started as a process (as scripts/* start it), so that
/// "it served instead" shows as a process that does not exit.
/// </summary>
public sealed class CommandLineTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_verb_after_settings_runs_the_verb_instead_of_serving()
    {
        var (exit, output, error) = await RunAsync([.. DatabaseSettings(), "--Logging:LogLevel:Default", "Warning", "keys", "list"]);

        Assert.True(exit == 0, error);
        Assert.StartsWith("id\tname\trole", output, StringComparison.Ordinal);
        Assert.Contains($"\t{ApiFixture.EditorName}\teditor\t", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_word_that_is_no_verb_exits_2_listing_the_verbs_and_does_not_serve()
    {
        var url = FreeLoopbackUrl();

        var (exit, output, error) = await RunAsync(["--urls", url, .. DatabaseSettings(), "frobnicate"]);

        Assert.Equal(2, exit);
        Assert.Contains("'frobnicate' is not a verb", error, StringComparison.Ordinal);
        Assert.All(Commands.VerbNames, verb => Assert.Contains(verb, error, StringComparison.Ordinal));
        Assert.Empty(output);
    }

    [Fact]
    public async Task Help_lists_every_verb_with_its_options()
    {
        var (exit, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, exit);
        foreach (var verb in Commands.VerbNames) Assert.Matches($"(?m)^{verb} ", output);
        Assert.Contains("keys create --name NAME --role", output, StringComparison.Ordinal);
        Assert.Contains("generate-dataset --out FILE", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("-h")]
    [InlineData("--Database:Path=x.db", "help")]
    public async Task Help_in_any_form_lists_every_verb(params string[] args)
    {
        var output = new StringWriter();

        Assert.Equal(0, await Commands.RunAsync(app.Services, args, output, new StringWriter()));
        foreach (var verb in Commands.VerbNames) Assert.Matches($"(?m)^{verb} ", output.ToString());
    }

    [Theory]
    [InlineData("help", "backup")]
    [InlineData("backup", "--help")]
    public async Task Help_of_one_verb_shows_its_usage_alone(params string[] args)
    {
        var output = new StringWriter();

        Assert.Equal(0, await Commands.RunAsync(app.Services, args, output, new StringWriter()));
        Assert.StartsWith("backup FILE", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("keys create", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_of_a_word_that_is_no_verb_exits_2()
    {
        var error = new StringWriter();
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["help", "nosuch"], new StringWriter(), error));
        Assert.Contains("'nosuch' is not a verb", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys", "list")]
    [InlineData("import", "any.csv")]
    [InlineData("backup", "any.db")]
    public async Task A_verb_given_a_database_path_that_does_not_exist_refuses_it_and_creates_nothing(params string[] verb)
    {
        var typo = Path.Combine(app.Folder, "aidtrakcer.db");

        var (exit, _, error) = await RunAsync([.. verb, $"--Database:Path={typo}"]);

        Assert.Equal(2, exit);
        Assert.Contains($"no SQLite database at {typo}", error, StringComparison.Ordinal);
        Assert.False(File.Exists(typo));
    }

    [Fact]
    public async Task A_verb_against_a_postgres_database_that_cannot_be_reached_says_so_without_a_stack_trace()
    {
        // On the PostgreSQL leg a database that the server does not have; everywhere, a port nobody listens on.
        var missing = ApiFixture.PostgresServer is { } server
            ? new NpgsqlConnectionStringBuilder(server) { Database = "aidtracker_no_such_database" }.ConnectionString
            : $"Host=127.0.0.1;Port={new Uri(FreeLoopbackUrl()).Port};Database=aidtracker;Username=nobody;Timeout=5";

        var (exit, _, error) = await RunAsync(["--Database:Provider=postgres", $"--Database:ConnectionString={missing}", "keys", "list"]);

        Assert.Equal(2, exit);
        Assert.Contains("keys: cannot connect to PostgreSQL", error, StringComparison.Ordinal);
        if (ApiFixture.PostgresServer is not null) Assert.Contains("aidtracker_no_such_database", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_creates_a_missing_database_that_the_other_verbs_then_use()
    {
        var folder = ApiFixture.NewFolder();
        var path = Path.Combine(folder, "new.db");

        var (exit, output, error) = await RunAsync([$"--Database:Path={path}", "init"]);
        Assert.True(exit == 0, error);
        Assert.Contains($"The database {path} is ready: 12 donations", output, StringComparison.Ordinal);

        (exit, output, error) = await RunAsync([$"--Database:Path={path}", "keys", "create", "--name", "first", "--role", "admin"]);
        Assert.True(exit == 0, error);
        Directory.Delete(folder, recursive: true);
    }

    private string[] DatabaseSettings() => app.OnPostgres
        ? [$"--Database:Path={app.DatabasePath}", "--Database:Provider=postgres", $"--Database:ConnectionString={app.PostgresConnectionString}"]
        : [$"--Database:Path={app.DatabasePath}"];

    /// <summary>Runs the built service with these arguments; a process still running after a minute is serving, and is stopped.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AidTracker.Api.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await output, "still running after 60 s (serving?):\n" + await error);
        }
        return (process.ExitCode, await output, await error);
    }

    private static string FreeLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
