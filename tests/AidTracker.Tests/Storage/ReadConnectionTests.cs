using System.Net;
using AidTracker.Api.Dataset;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AidTracker.Tests;

/// <summary>A Database section that cannot work stops the service at start, naming the setting.</summary>
public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData("Database:Provider", "mysql", "Database:Provider must be sqlite or postgres")]
    [InlineData("Database:ReadConnectionString", "Host=replica", "are for Database:Provider=postgres")]
    [InlineData("Database:ConnectionString", "Host=primary", "are for Database:Provider=postgres")]
    public async Task A_setting_sqlite_cannot_use_is_refused_at_start(string key, string value, string message)
    {
        await using var app = new Configured(new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_refused_at_start()
    {
        await using var app = new Configured(new() { ["Database:Provider"] = "postgres" });
        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("set Database:ConnectionString", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class Configured(Dictionary<string, string> settings) : SqliteFixture
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }

        public override Task InitializeAsync() => Task.CompletedTask;
    }
}

/// <summary>Runs only in the PostgreSQL leg: <c>AIDTRACKER_TEST_POSTGRES</c> names the server.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ApiFixture.PostgresServer is null) Skip = "PostgreSQL only: set AIDTRACKER_TEST_POSTGRES (.ci/run does).";
    }
}

/// <summary>A theory that runs only in the PostgreSQL leg, as <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (ApiFixture.PostgresServer is null) Skip = new PostgresFactAttribute().Skip;
    }
}

/// <summary>
/// The service with Database:ReadConnectionString set to a second database that the writes never reach: a replica
/// that lags forever. What a request reads shows where it was read.
/// </summary>
public sealed class ReadConnectionFixture : ApiFixture
{
    private readonly Lazy<string> _reads;

    public ReadConnectionFixture() => _reads = new Lazy<string>(CreateReadDatabase);

    public string ReadConnectionString => _reads.Value;

    private string CreateReadDatabase()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer);
        var name = $"{new NpgsqlConnectionStringBuilder(PostgresConnectionString).Database}_reads";
        using (var connection = new NpgsqlConnection(server.ConnectionString)) connection.Execute($"CREATE DATABASE {name}");
        server.Database = name;
        using var reads = new PostgresDatabase(server.ConnectionString, null);
        DatabaseInitializer.MigrateAsync(reads, TimeProvider.System, NullLogger.Instance).GetAwaiter().GetResult();
        BundledData.LoadIfEmptyAsync(reads, TimeProvider.System, default).GetAwaiter().GetResult();
        return server.ConnectionString;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (OnPostgres) builder.UseSetting("Database:ReadConnectionString", ReadConnectionString);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_reads.IsValueCreated) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ReadConnectionString).Database} WITH (FORCE)");
    }
}

public sealed class ReadConnectionTests(ReadConnectionFixture app) : IClassFixture<ReadConnectionFixture>
{
    [PostgresFact]
    public async Task Gets_read_the_read_connection_while_writes_and_their_checks_go_to_the_primary()
    {
        var created = await app.Editor().PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: "LUX").With("notes", "written to the primary")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;

        // The read side never received the write: to a GET, the donation does not exist yet.
        await (await app.Anonymous().GetAsync(location)).AssertProblemAsync(HttpStatusCode.NotFound);
        var list = await app.Anonymous().GetJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/donations?donor=LUX");
        Assert.Empty(list["items"]!.AsArray());

        // A conditional write checks the primary's row: the ETag from the POST is current there.
        var put = await app.Editor().SendAsync(HttpMethod.Put, location, Http.Json(Donations.Valid(donor: "LUX").With("quantity", 2)), created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await using var primary = new NpgsqlConnection(app.PostgresConnectionString);
        Assert.Equal(2, await primary.ExecuteScalarAsync<long>("SELECT quantity FROM donations WHERE id = @id", new { id = long.Parse(location.Split('/')[^1]) }));
    }
}
