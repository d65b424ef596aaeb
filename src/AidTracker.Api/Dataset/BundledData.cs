using System.Globalization;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Donations;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Dapper;

namespace AidTracker.Api.Dataset;

public sealed record LoadedCounts(int Countries, int WeaponSystems, int Donations);

/// <summary>
/// The data that ships with the service (Dataset/Seed): ISO 3166-1 countries plus EU and NATO, the weapon catalogue,
/// and the records of the seed document. Loaded in one transaction, and only into a database with no countries,
/// so that a restart never loads it twice.
/// </summary>
public static class BundledData
{
    public const string SeedAuthor = "bundled-seed";

    /// <param name="includeRecords">False for a synthetic dataset: reference data only, none of the seed document's records.</param>
    public static async Task<LoadedCounts?> LoadIfEmptyAsync(
        Database connections, TimeProvider clock, CancellationToken cancellationToken, bool includeRecords = true)
    {
        await using var write = await connections.BeginWriteAsync(cancellationToken);
        var hasCountries = await write.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM countries)", transaction: write.Transaction, cancellationToken: cancellationToken));
        if (hasCountries) return null;

        var countries = ReferenceDataSync.BundledCountries();
        var weaponSystems = ReferenceDataSync.BundledWeaponSystems();
        var sources = includeRecords ? Read("sources.csv") : [];
        var donations = includeRecords ? Read("donations.csv") : [];

        await write.Connection.ExecuteAsync(new CommandDefinition(CountryRepository.Insert, countries, write.Transaction, cancellationToken: cancellationToken));
        await write.Connection.ExecuteAsync(new CommandDefinition(WeaponSystemRepository.Insert, weaponSystems, write.Transaction, cancellationToken: cancellationToken));
        var at = await write.ChangedAtAsync(clock, cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            $"{CountryRepository.CopyToHistory}; {WeaponSystemRepository.CopyToHistory}", new { At = at }, write.Transaction, cancellationToken: cancellationToken));
        var change = new ChangeContext(SeedAuthor, null, clock);
        var sourceIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            sourceIds[source["id"]] = await write.Connection.QuerySingleAsync<long>(new CommandDefinition(
                InsertSource, new { Kind = source["kind"], PublishedOn = source["published_on"], Citation = source["citation"], At = at, ChangedBy = SeedAuthor },
                write.Transaction, cancellationToken: cancellationToken));
            await write.Connection.ExecuteAsync(new CommandDefinition(
                SourceHistory, new { Id = sourceIds[source["id"]], ChangedBy = SeedAuthor }, write.Transaction, cancellationToken: cancellationToken));
        }
        foreach (var row in donations)
        {
            var donation = ToWrite(row, sourceIds);
            var id = await DonationRepository.InsertAsync(write, donation, change, cancellationToken);
            await DonationChildren.WriteAsync(write, id, donation.Evidence, donation.Deliveries, keepDeliveries: false, cancellationToken);
            await DonationRepository.FinishWriteAsync(write, id, ChangeOperation.Create, change, at, cancellationToken);
        }
        await write.CommitAsync(cancellationToken);
        return new LoadedCounts(countries.Count, weaponSystems.Count, donations.Count);
    }

    /// <summary>The bundled catalogue's ids and categories, in id order.</summary>
    public static IReadOnlyList<(string Id, string Category)> WeaponSystemCategories() =>
        Read("weapon_systems.csv").Select(row => (row["id"], row["category"])).OrderBy(w => w.Item1, StringComparer.Ordinal).ToList();

    /// <summary>A seed source: a date known to the day, no publisher, title or URL, not graded.</summary>
    private const string InsertSource = """
        INSERT INTO sources (kind, published_on, published_on_precision, published_on_end, citation, created_at, updated_at, version)
        VALUES (@Kind, @PublishedOn, 'day', @PublishedOn, @Citation, @At, @At, 1) RETURNING id
        """;

    private const string SourceHistory = """
        INSERT INTO source_history (source_id, operation, changed_at, changed_by, kind, publisher, title, url, archived_url, published_on,
            published_on_precision, published_on_end, accessed_on, language, reliability, citation, notes, created_at, updated_at, deleted_at, version)
        SELECT id, 'create', created_at, @ChangedBy, kind, publisher, title, url, archived_url, published_on,
            published_on_precision, published_on_end, accessed_on, language, reliability, citation, notes, created_at, updated_at, deleted_at, version
        FROM sources WHERE id = @Id
        """;

    /// <summary>A seed row with its one piece of evidence (<c>source</c> names a row of sources.csv); the schema's constraints check it as it is inserted.</summary>
    private static DonationWrite ToWrite(IReadOnlyDictionary<string, string> row, IReadOnlyDictionary<string, long> sources) => new(
        row["donor"],
        row["recipient"],
        null,
        row["weapon_system"],
        null,
        NullIfEmpty(row["quantity"]) is { } quantity ? long.Parse(quantity, CultureInfo.InvariantCulture) : null,
        row["quantity_qualifier"],
        row["status"],
        PartialDate.TryParse(row["announced_on"], out var announced) ? announced : null,
        PartialDate.TryParse(row["committed_on"], out var committed) ? committed : null,
        null, null, null, null, null, null, null, null)
    {
        Evidence = [new EvidenceWrite(sources[row["source"]], row["quote"], null, null, row["supports"])],
    };

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string file)
    {
        using var reader = new StreamReader(EmbeddedResources.Open($"Dataset/Seed/{file}"));
        return CsvReader.ReadAll(reader);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
