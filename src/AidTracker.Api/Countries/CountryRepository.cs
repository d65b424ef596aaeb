using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using Dapper;

namespace AidTracker.Api.Countries;

public sealed class CountryRow
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Iso2 { get; set; }
    public long EuMember { get; set; }
    public long NatoMember { get; set; }
    public string? EuSince { get; set; }
    public string? EuUntil { get; set; }
    public string? NatoSince { get; set; }

    /// <summary>A JSON array of strings (<see cref="Common.Aliases"/>).</summary>
    public string Aliases { get; set; } = "[]";

    public CountryResponse ToResponse() => new(
        Code, Name, WireEnum<CountryKind>.Parse(Kind), Iso2, EuMember == 1, NatoMember == 1,
        Day(EuSince), Day(EuUntil), Day(NatoSince), Common.Aliases.FromJson(Aliases));

    public static CountryRow From(CountryRequest request) => new()
    {
        Code = CountryCodes.Normalize(request.Code!),
        Name = request.Name!,
        Kind = WireEnum<CountryKind>.Name(request.Kind!.Value),
        Iso2 = request.Iso2?.ToUpperInvariant(),
        EuMember = request.EuMember == true ? 1 : 0,
        NatoMember = request.NatoMember == true ? 1 : 0,
        EuSince = Day(request.EuSince),
        EuUntil = Day(request.EuUntil),
        NatoSince = Day(request.NatoSince),
        Aliases = Common.Aliases.ToJson(request.Aliases),
    };

    private static DateOnly? Day(string? stored) => stored is null ? null : Timestamps.ParseDate(stored);

    private static string? Day(DateOnly? day) => day is null ? null : Timestamps.Format(day.Value);
}

public sealed class CountryRepository(Database connections, TimeProvider clock)
{
    private readonly KnownKeys _known = new("countries", "code");

    /// <summary>A country's columns beside its code, in countries and in country_history alike.</summary>
    public const string Attributes = "name, kind, iso2, eu_member, nato_member, eu_since, eu_until, nato_since, aliases";

    private const string Columns = $"code, {Attributes}";

    public const string Insert = $"""
        INSERT INTO countries ({Columns})
        VALUES (@Code, @Name, @Kind, @Iso2, @EuMember, @NatoMember, @EuSince, @EuUntil, @NatoSince, @Aliases)
        """;

    /// <summary>Copies countries, as they stand, into country_history stamped <c>@At</c>; the caller may add a WHERE.</summary>
    public const string CopyToHistory = $"""
        INSERT INTO country_history (code, changed_at, {Attributes})
        SELECT code, @At, {Attributes} FROM countries
        """;

    /// <summary>Records the country <c>@Code</c>, as it stands, in country_history stamped <c>@At</c>.</summary>
    public const string RecordHistory = $"{CopyToHistory} WHERE code = @Code";

    public SqlDialect Dialect => connections.Dialect;

    /// <summary>Every country, or those whose name or an alias matches <paramref name="query"/> (<see cref="NameSearch"/>).</summary>
    public async Task<IReadOnlyList<CountryRow>> ListAsync(string? query, CancellationToken cancellationToken)
    {
        var where = query is null ? "" : "WHERE code IN (SELECT code FROM country_search(@Query))";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CountryRow>(new CommandDefinition(
            $"SELECT {Columns} FROM countries {where} ORDER BY code", new { Query = query }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<CountryRow?> FindAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CountryRow>(new CommandDefinition(
            $"SELECT {Columns} FROM countries WHERE code = @Code", new { Code = CountryCodes.Normalize(code) }, cancellationToken: cancellationToken));
    }

    /// <summary>Those of <paramref name="codes"/> that are countries or groups.</summary>
    public Task<IReadOnlySet<string>> ExistingCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        _known.ExistingAsync(connections, codes, cancellationToken);

    /// <summary>Adds a country; false when the code or the alpha-2 code is taken.</summary>
    public async Task<bool> CreateAsync(CountryRow country, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync($"{Insert}; {RecordHistory}", country, clock, cancellationToken) is not null;

    /// <summary>Replaces a country's attributes. Null when the code is unknown; false when the alpha-2 code is taken.</summary>
    public async Task<bool?> UpdateAsync(CountryRow country, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync(
            """
            UPDATE countries SET name = @Name, kind = @Kind, iso2 = @Iso2, eu_member = @EuMember, nato_member = @NatoMember,
                eu_since = @EuSince, eu_until = @EuUntil, nato_since = @NatoSince, aliases = @Aliases
            WHERE code = @Code;
            """ + RecordHistory, country, clock, cancellationToken) switch
        {
            null => false,
            0 => null,
            _ => true,
        };
}
