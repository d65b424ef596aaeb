namespace AidTracker.Api.Storage;

/// <summary>
/// Prepares the database before the server accepts requests: checks the engine and applies its migrations
/// (<see cref="Database.PrepareAsync"/>). Filling an empty database is not this class's work: a hosted service
/// registered after this one does it.
/// </summary>
public sealed class DatabaseInitializer(Database connections, TimeProvider clock, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => MigrateAsync(connections, clock, logger, cancellationToken);

    /// <summary>Checks the engine and brings the schema to this build's version (<see cref="Database.PrepareAsync"/>).</summary>
    public static async Task MigrateAsync(Database database, TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        var applied = await database.PrepareAsync(clock, logger, cancellationToken);
        if (applied.Count > 0) logger.LogInformation("Applied schema migrations {Versions}", applied);
    }
}
