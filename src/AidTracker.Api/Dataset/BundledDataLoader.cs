using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Microsoft.Extensions.Options;

namespace AidTracker.Api.Dataset;

/// <summary>
/// Loads the bundled data (<see cref="BundledData"/>) into an empty database at start-up, unless <c>Database:Seed</c>
/// is off. It runs after <see cref="DatabaseInitializer"/> has migrated the database: hosted services start in the
/// order they are added, and <see cref="BundledDataServices.AddBundledData"/> comes after AddDatabase. The verbs
/// that use the service's database call <see cref="LoadAsync"/> after the initializer, as the service's start does.
/// </summary>
public sealed class BundledDataLoader(
    Database connections,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<BundledDataLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.Seed && await BundledData.LoadIfEmptyAsync(connections, clock, cancellationToken) is { } loaded)
        {
            logger.LogInformation(
                "Loaded bundled data: {Countries} countries, {WeaponSystems} weapon systems, {Donations} donations",
                loaded.Countries, loaded.WeaponSystems, loaded.Donations);
        }
        if (options.Value.Seed && await ReferenceDataSync.SyncAsync(connections, clock, cancellationToken) is { Any: true } synced) logger.LogInformation("Brought reference data up to the bundle: {Synced}", synced);
    }
}

public static class BundledDataServices
{
    /// <summary>The bundled data loaded into an empty database at start-up; add it after AddDatabase, whose migrations it needs.</summary>
    public static IServiceCollection AddBundledData(this IServiceCollection services)
    {
        services.AddSingleton<BundledDataLoader>();
        if (!BuildContext.IsGeneratingOpenApi) services.AddHostedService(provider => provider.GetRequiredService<BundledDataLoader>());
        return services;
    }
}
