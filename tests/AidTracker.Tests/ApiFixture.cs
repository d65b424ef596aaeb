using System.Net.Http.Headers;
using AidTracker.Api.Auth;
using AidTracker.Api.Infrastructure;
using AidTracker.Api.Stats;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>
/// The real service in memory, on a fresh SQLite file in its own temporary folder, with one key of each role.
/// One fixture per test class (IClassFixture), so that no two classes share a database.
/// </summary>
public class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public ApiFixture() : this(NewFolder()) { }

    protected ApiFixture(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>The database file: <c>aidtracker.db</c>, or the one .db file already in the folder.</summary>
    public string DatabasePath => Directory.GetFiles(Folder, "*.db") is [var existing] ? existing : Path.Combine(Folder, "aidtracker.db");

    public string ReaderKey { get; private set; } = "";
    public string EditorKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";

    public const string EditorName = "test-editor";

    public static string NewFolder() => Directory.CreateTempSubdirectory("aidtracker-tests-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Path", DatabasePath);
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
        EditorKey = (await keys.CreateAsync(EditorName, ApiKeyRole.Editor, default))!.Value.Secret;
        AdminKey = (await keys.CreateAsync("test-admin", ApiKeyRole.Admin, default))!.Value.Secret;
    }

    public HttpClient Anonymous() => CreateClient();

    public HttpClient WithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Editor() => WithKey(EditorKey);

    public HttpClient Admin() => WithKey(AdminKey);

    public Database Connections => Services.GetRequiredService<Database>();

    /// <summary>
    /// The derived tables agree with the donations: no rollup row differs from the donations grouped again, in either
    /// direction, and the search index holds exactly the live rows.
    /// </summary>
    public async Task AssertDerivedTablesAreExactAsync()
    {
        await using var connection = await Connections.OpenAsync();
        var stale = await connection.ExecuteScalarAsync<long>($"""
            SELECT (SELECT count(*) FROM (SELECT * FROM donation_rollup EXCEPT {StatsRepository.RollupOfDonations}))
                 + (SELECT count(*) FROM ({StatsRepository.RollupOfDonations} EXCEPT SELECT * FROM donation_rollup))
            """);
        Assert.Equal(0, stale);
        var unindexed = await connection.ExecuteScalarAsync<long>("""
            SELECT (SELECT count(*) FROM donations WHERE deleted_at IS NULL AND id NOT IN (SELECT rowid FROM donations_fts))
                 + (SELECT count(*) FROM donations_fts WHERE rowid NOT IN (SELECT id FROM donations WHERE deleted_at IS NULL))
            """);
        Assert.Equal(0, unindexed);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
