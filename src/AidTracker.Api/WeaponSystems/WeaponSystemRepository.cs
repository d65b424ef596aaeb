using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.WeaponSystems;

public sealed class WeaponSystemRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Category { get; set; } = "";
    public string? SipriCategory { get; set; }
    public string? UnrocaCategory { get; set; }
    public string? Description { get; set; }

    public WeaponSystemResponse ToResponse() => new(Id, Name, Category, SipriCategory, UnrocaCategory, Description);

    public static WeaponSystemRow From(WeaponSystemRequest request) => new()
    {
        Id = WeaponSystemIds.Normalize(request.Id!),
        Name = request.Name!,
        Category = WeaponCategories.All.Canonical(request.Category)!,
        SipriCategory = WeaponCategories.Sipri.Canonical(request.SipriCategory),
        UnrocaCategory = WeaponCategories.Unroca.Canonical(request.UnrocaCategory),
        Description = request.Description,
    };
}

public sealed class WeaponSystemRepository(Database connections, TimeProvider clock)
{
    private readonly KnownKeys _known = new("weapon_systems", "id");

    private const string Columns = "id, name, category, sipri_category, unroca_category, description";

    public const string Insert = """
        INSERT INTO weapon_systems (id, name, category, sipri_category, unroca_category, description)
        VALUES (@Id, @Name, @Category, @SipriCategory, @UnrocaCategory, @Description)
        """;

    /// <summary>Copies weapon systems, as they stand, into weapon_system_history stamped <c>@At</c>; the caller may add a WHERE.</summary>
    public const string CopyToHistory = """
        INSERT INTO weapon_system_history (weapon_system, changed_at, name, category, sipri_category, unroca_category, description)
        SELECT id, @At, name, category, sipri_category, unroca_category, description FROM weapon_systems
        """;

    private const string RecordHistory = $"{CopyToHistory} WHERE id = @Id";

    public async Task<IReadOnlyList<WeaponSystemRow>> ListAsync(IReadOnlyCollection<string> categories, CancellationToken cancellationToken)
    {
        var where = categories.Count > 0 ? $"WHERE {connections.Dialect.In("category", "Categories")}" : "";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WeaponSystemRow>(new CommandDefinition(
            $"SELECT {Columns} FROM weapon_systems {where} ORDER BY id", new { Categories = categories }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<WeaponSystemRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<WeaponSystemRow>(new CommandDefinition(
            $"SELECT {Columns} FROM weapon_systems WHERE id = @Id", new { Id = WeaponSystemIds.Normalize(id) }, cancellationToken: cancellationToken));
    }

    /// <summary>Those of <paramref name="ids"/> that are in the catalogue.</summary>
    public Task<IReadOnlySet<string>> ExistingIdsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        _known.ExistingAsync(connections, ids, cancellationToken);

    /// <summary>Adds a catalogue entry; false when the id is taken.</summary>
    public async Task<bool> CreateAsync(WeaponSystemRow weaponSystem, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync($"{Insert}; {RecordHistory}", weaponSystem, clock, cancellationToken) is not null;

    /// <summary>Replaces a catalogue entry; false when the id is unknown.</summary>
    public async Task<bool> UpdateAsync(WeaponSystemRow weaponSystem, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync(
            """
            UPDATE weapon_systems SET name = @Name, category = @Category, sipri_category = @SipriCategory,
                unroca_category = @UnrocaCategory, description = @Description
            WHERE id = @Id;
            """ + RecordHistory, weaponSystem, clock, cancellationToken) > 0;
}
