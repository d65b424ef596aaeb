using AidTracker.Api.Common;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Storage;

public static class StorageServices
{
    /// <summary>The database of <c>Database:Provider</c>, and the start-up work that prepares it.</summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => DatabaseEngines.Names.Contains(o.Provider), $"Database:Provider must be {string.Join(" or ", DatabaseEngines.Names)}.")
            .Validate(o => o.Provider != DatabaseEngines.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:Provider is postgres: set Database:ConnectionString to the primary's Npgsql connection string.")
            .Validate(o => o.Provider != DatabaseEngines.Sqlite || (o.ConnectionString is null && o.ReadConnectionString is null),
                "Database:ConnectionString and Database:ReadConnectionString are for Database:Provider=postgres; SQLite takes Database:Path.")
            .ValidateOnStart();
        var databasePath = Path.GetFullPath(options.Path, environment.ContentRootPath);
        // Through IOptions, so that a bad Database section fails with the validation's message wherever it is first
        // used (at start-up, or in a verb, which does not start the host).
        services.AddSingleton<Database>(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value switch
        {
            { Provider: DatabaseEngines.Postgres } postgres => new PostgresDatabase(postgres.ConnectionString!, postgres.ReadConnectionString),
            var sqlite => new SqliteDatabase(databasePath, sqlite.BusyTimeoutMilliseconds),
        });
        // ASP.NET Core's data protection (which authentication brings along) would otherwise keep its key ring in the
        // user's home folder: the fuzz suite caught the service writing outside its data folder. Nothing here
        // protects data today; if something ever does, its keys live beside the database.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetDirectoryName(databasePath)!, "data-protection-keys")));
        services.AddSingleton(new ScratchFiles(Path.Combine(Path.GetDirectoryName(databasePath)!, "scratch")));
        services.AddSingleton<DatabaseInitializer>();
        // Hosted services start in the order they are added: what fills the database is added after this.
        if (!BuildContext.IsGeneratingOpenApi)
        {
            services.AddHostedService(provider => provider.GetRequiredService<ScratchFiles>());
            services.AddHostedService(provider => provider.GetRequiredService<DatabaseInitializer>());
        }
        return services;
    }
}
