using System.Net.Http.Headers;
using AidTracker.Api.Auth;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>
/// The real service in memory, on a fresh SQLite file in its own temporary folder, with one key of each role.
/// One fixture per test class (IClassFixture), so that no two classes share a database.
/// </summary>
public class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public ApiFixture() : this(NewFolder()) { }

    protected ApiFixture(string folder)
    {
        Folder = folder;
        _postgres = new Lazy<string>(CreatePostgresDatabase);
    }

    public string Folder { get; }

    /// <summary>The database file: <c>aidtracker.db</c>, or the one .db file already in the folder.</summary>
    public string DatabasePath => Directory.GetFiles(Folder, "*.db") is [var existing] ? existing : Path.Combine(Folder, "aidtracker.db");

    public string ReaderKey { get; private set; } = "";
    public string EditorKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";

    /// <summary>An editor whose writes are drafts for review (the editor of <see cref="Editor"/> publishes at once, as editors did before review).</summary>
    public string DrafterKey { get; private set; } = "";
    public string ReviewerKey { get; private set; } = "";
    public string SecondReviewerKey { get; private set; } = "";

    public const string EditorName = "test-editor";
    public const string DrafterName = "test-drafter";
    public const string ReviewerName = "test-reviewer";

    public static string NewFolder() => Directory.CreateTempSubdirectory("aidtracker-tests-").FullName;

    /// <summary>
    /// The PostgreSQL server of the PostgreSQL leg: <c>AIDTRACKER_TEST_POSTGRES</c>, an Npgsql connection string to a
    /// server where the tests may create databases (<c>.ci/run</c> sets it). Unset, every fixture is a SQLite file.
    /// </summary>
    public static readonly string? PostgresServer = Environment.GetEnvironmentVariable("AIDTRACKER_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    /// <summary>Whether this fixture runs on PostgreSQL: in the PostgreSQL leg, unless the fixture tests what only SQLite has.</summary>
    public virtual bool OnPostgres => PostgresServer is not null;

    private readonly Lazy<string> _postgres;
    private bool _createdPostgres;

    /// <summary>
    /// This fixture's own PostgreSQL database, named after its folder (a second fixture on the same folder shares it),
    /// created on first use; a SQLite file already in the folder (a generated dataset) is copied into it.
    /// </summary>
    public string PostgresConnectionString => _postgres.Value;

    private string CreatePostgresDatabase()
    {
        var name = "aidtracker_" + Path.GetFileName(Folder).Replace('-', '_').ToLowerInvariant();
        var server = new NpgsqlConnectionStringBuilder(PostgresServer);
        using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            connection.Open();
            if (connection.ExecuteScalar<bool>("SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", new { name }))
            {
                connection.Execute($"CREATE DATABASE {name}");
                _createdPostgres = true;
            }
        }
        server.Database = name;
        if (_createdPostgres && Directory.GetFiles(Folder, "*.db") is [var file])
        {
            using var source = new SqliteDatabase(file, 5000);
            using var target = new PostgresDatabase(server.ConnectionString, null);
            DatabaseCopy.CopyAsync(source, target, TimeProvider.System).GetAwaiter().GetResult();
        }
        return server.ConnectionString;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Path", DatabasePath);
        if (OnPostgres)
        {
            builder.UseSetting("Database:Provider", "postgres");
            builder.UseSetting("Database:ConnectionString", PostgresConnectionString);
        }
        // Tests send hundreds of requests a second from one address; RateLimitTests sets budgets of its own.
        builder.UseSetting("RateLimits:AnonymousPerSecond", "0");
        builder.UseSetting("RateLimits:KeyPerSecond", "0");
        builder.UseSetting("RateLimits:ExportsPerMinute", "0");
        builder.UseEnvironment("Testing");
    }

    public virtual async Task InitializeAsync()
    {
        var keys = Services.GetRequiredService<ApiKeyRepository>();
        ReaderKey = (await keys.CreateAsync("test-reader", ApiKeyRole.Reader, default))!.Value.Secret;
        EditorKey = (await keys.CreateAsync(EditorName, ApiKeyRole.Editor, default, publishes: true))!.Value.Secret;
        AdminKey = (await keys.CreateAsync("test-admin", ApiKeyRole.Admin, default))!.Value.Secret;
        DrafterKey = (await keys.CreateAsync(DrafterName, ApiKeyRole.Editor, default))!.Value.Secret;
        ReviewerKey = (await keys.CreateAsync(ReviewerName, ApiKeyRole.Reviewer, default))!.Value.Secret;
        SecondReviewerKey = (await keys.CreateAsync("test-reviewer-2", ApiKeyRole.Reviewer, default))!.Value.Secret;
    }

    /// <summary>A plain connection to the same database, not the service's: as the sqlite3 CLI, psql or another process would open it.</summary>
    public System.Data.Common.DbConnection OutsideConnection() => OnPostgres
        ? new NpgsqlConnection(PostgresConnectionString)
        : new SqliteConnection($"Data Source={DatabasePath}");

    public HttpClient Anonymous() => CreateClient();

    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Editor() => WithKey(EditorKey);

    public HttpClient Admin() => WithKey(AdminKey);

    public HttpClient Drafter() => WithKey(DrafterKey);

    public HttpClient Reviewer() => WithKey(ReviewerKey);

    public HttpClient SecondReviewer() => WithKey(SecondReviewerKey);

    public Database Connections => Services.GetRequiredService<Database>();

    /// <summary>How many rollup rows differ from the live donations grouped again, in either direction (0 when exact).</summary>
    internal static readonly string StaleRollupRows = $"""
        SELECT (SELECT count(*) FROM (SELECT * FROM donation_rollup EXCEPT {DonationRollup.OfLiveDonations}) stale)
             + (SELECT count(*) FROM ({DonationRollup.OfLiveDonations} EXCEPT SELECT * FROM donation_rollup) missing)
        """;

    /// <summary>
    /// The derived tables agree with the donations: no rollup row differs from the donations grouped again, in either
    /// direction, the search index holds exactly the live rows, every donation and version keeps the totals of its
    /// deliveries, and every donation the JSON of its deliveries and evidence.
    /// </summary>
    public async Task AssertDerivedTablesAreExactAsync()
    {
        await using var connection = await Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(StaleRollupRows));
        var (index, id) = OnPostgres ? ("donation_search", "id") : ("donations_fts", "rowid");
        var unindexed = await connection.ExecuteScalarAsync<long>($"""
            SELECT (SELECT count(*) FROM donations WHERE deleted_at IS NULL AND id NOT IN (SELECT {id} FROM {index}))
                 + (SELECT count(*) FROM {index} WHERE {id} NOT IN (SELECT id FROM donations WHERE deleted_at IS NULL))
            """);
        Assert.Equal(0, unindexed);
        Assert.Empty(await connection.QueryAsync(DeliveredTotalsMigrationTests.StaleTotals));
        Assert.Empty(await connection.QueryAsync<long>(DeliveredTotalsMigrationTests.StaleJson(Connections.Dialect)));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_createdPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(PostgresConnectionString).Database} WITH (FORCE)");
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A fixture on a SQLite file in both legs: for what only SQLite has (its file, WAL, PRAGMAs, the backup verb).</summary>
public class SqliteFixture : ApiFixture
{
    public override bool OnPostgres => false;
}
