using AidTracker.Api.Donations;
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

    /// <summary>A JSON array of strings (<see cref="Common.Aliases"/>).</summary>
    public string Aliases { get; set; } = "[]";

    public WeaponSystemResponse ToResponse() => new(Id, Name, Category, SipriCategory, UnrocaCategory, Description, Common.Aliases.FromJson(Aliases));

    /// <summary>The row a request writes: on PUT, <paramref name="stored"/> gives the aliases when the body leaves them out.</summary>
    public static WeaponSystemRow From(WeaponSystemRequest request, WeaponSystemRow? stored = null) => new()
    {
        Id = WeaponSystemIds.Normalize(request.Id!),
        Name = request.Name!,
        Category = WeaponCategories.All.Canonical(request.Category)!,
        SipriCategory = WeaponCategories.Sipri.Canonical(request.SipriCategory),
        UnrocaCategory = WeaponCategories.Unroca.Canonical(request.UnrocaCategory),
        Description = request.Description,
        Aliases = stored is null || request.AliasesGiven ? Common.Aliases.ToJson(request.Aliases) : stored.Aliases,
    };
}

public sealed class WeaponSystemRepository(Database connections, TimeProvider clock)
{
    private readonly KnownKeys _known = new("weapon_systems", "id");

    /// <summary>An entry's columns beside its id, in weapon_systems and in weapon_system_history alike.</summary>
    public const string Attributes = "name, category, sipri_category, unroca_category, description, aliases";

    private const string Columns = $"id, {Attributes}";

    public const string Insert = $"""
        INSERT INTO weapon_systems ({Columns})
        VALUES (@Id, @Name, @Category, @SipriCategory, @UnrocaCategory, @Description, @Aliases)
        """;

    /// <summary>Copies weapon systems, as they stand, into weapon_system_history stamped <c>@At</c>; the caller may add a WHERE.</summary>
    public const string CopyToHistory = $"""
        INSERT INTO weapon_system_history (weapon_system, changed_at, {Attributes})
        SELECT id, @At, {Attributes} FROM weapon_systems
        """;

    /// <summary>Records the entry <c>@Id</c>, as it stands, in weapon_system_history stamped <c>@At</c>.</summary>
    public const string RecordHistory = $"{CopyToHistory} WHERE id = @Id";

    public SqlDialect Dialect => connections.Dialect;

    /// <summary>The entries of <paramref name="categories"/> (all when none) whose name or an alias matches <paramref name="query"/> (all when null).</summary>
    public async Task<IReadOnlyList<WeaponSystemRow>> ListAsync(IReadOnlyCollection<string> categories, string? query, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        if (categories.Count > 0) conditions.Add(connections.Dialect.In("category", "Categories"));
        if (query is not null) conditions.Add("id IN (SELECT id FROM weapon_system_search(@Query))");
        var where = conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<WeaponSystemRow>(new CommandDefinition(
            $"SELECT {Columns} FROM weapon_systems {where} ORDER BY id", new { Categories = categories, Query = query }, cancellationToken: cancellationToken));
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

    /// <summary>Replaces a catalogue entry, and the name and category that its donations show; false when the id is unknown.</summary>
    public async Task<bool> UpdateAsync(WeaponSystemRow weaponSystem, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync(
            """
            UPDATE weapon_systems SET name = @Name, category = @Category, sipri_category = @SipriCategory,
                unroca_category = @UnrocaCategory, description = @Description, aliases = @Aliases
            WHERE id = @Id;
            """ + RecordHistory + ";\n" + DonationJson.Refresh(connections.Dialect, "weapon_system = @Id"), weaponSystem, clock, cancellationToken) > 0;
}
