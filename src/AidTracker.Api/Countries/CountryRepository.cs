using AidTracker.Api.Common;
using AidTracker.Api.Donations;
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

    /// <summary>The row a request writes: on PUT, <paramref name="stored"/> gives what the body leaves out (<see cref="CountryRequest.Given"/>).</summary>
    public static CountryRow From(CountryRequest request, CountryRow? stored = null)
    {
        string? Kept(string property, string? given, string? old) => stored is null || request.Given.Contains(property) ? given : old;
        return new()
        {
            Code = CountryCodes.Normalize(request.Code!),
            Name = request.Name!,
            Kind = WireEnum<CountryKind>.Name(request.Kind!.Value),
            Iso2 = request.Iso2?.ToUpperInvariant(),
            EuMember = request.EuMember == true ? 1 : 0,
            NatoMember = request.NatoMember == true ? 1 : 0,
            EuSince = Kept(nameof(request.EuSince), Day(request.EuSince), stored?.EuSince),
            EuUntil = Kept(nameof(request.EuUntil), Day(request.EuUntil), stored?.EuUntil),
            NatoSince = Kept(nameof(request.NatoSince), Day(request.NatoSince), stored?.NatoSince),
            Aliases = Kept(nameof(request.Aliases), Common.Aliases.ToJson(request.Aliases), stored?.Aliases)!,
        };
    }

    /// <summary>
    /// Where the membership flags and dates contradict one another or today: a flag is membership today, so it must
    /// be what the dates say of today; no date is after today; eu_until needs eu_since and is not before it.
    /// </summary>
    public IEnumerable<(string Field, string Message)> MembershipProblems(DateOnly today)
    {
        var (euSince, euUntil, natoSince) = (Day(EuSince), Day(EuUntil), Day(NatoSince));
        foreach (var (field, day) in new[] { ("eu_since", euSince), ("eu_until", euUntil), ("nato_since", natoSince) })
        {
            if (day > today) yield return (field, $"'{field}' is {day:yyyy-MM-dd}, after today ({today:yyyy-MM-dd}): a membership date is a day that has come.");
        }
        if (euUntil is not null && (euSince is null || euUntil < euSince)) yield return ("eu_until", "'eu_until' needs eu_since, and must not be before it.");
        var euToday = euSince <= today && (euUntil is null || euUntil >= today);
        if ((EuMember == 1) != euToday)
        {
            yield return ("eu_member", EuMember == 1
                ? $"'eu_member' is true, but eu_since ({Text(EuSince)}) and eu_until ({Text(EuUntil)}) say the country is not a member of the EU today."
                : $"'eu_member' is false, but eu_since ({Text(EuSince)}) and eu_until ({Text(EuUntil)}) say the country is a member of the EU today.");
        }
        if ((NatoMember == 1) != (natoSince <= today))
        {
            yield return ("nato_member", NatoMember == 1
                ? "'nato_member' is true, but nato_since is null: a member of NATO today has joined."
                : $"'nato_member' is false, but nato_since is {NatoSince}: a country that joined NATO is a member today.");
        }
    }

    private static string Text(string? day) => day ?? "null";

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

    /// <summary>
    /// Replaces a country's attributes, and the name that the donations it gives or receives show with them. Null when
    /// the code is unknown; false when the alpha-2 code is taken.
    /// </summary>
    public async Task<bool?> UpdateAsync(CountryRow country, CancellationToken cancellationToken) =>
        await connections.ExecuteWriteAsync(
            """
            UPDATE countries SET name = @Name, kind = @Kind, iso2 = @Iso2, eu_member = @EuMember, nato_member = @NatoMember,
                eu_since = @EuSince, eu_until = @EuUntil, nato_since = @NatoSince, aliases = @Aliases
            WHERE code = @Code;
            """ + RecordHistory + ";\n" + DonationJson.Refresh(connections.Dialect, "donor = @Code OR recipient = @Code"), country, clock, cancellationToken) switch
        {
            null => false,
            0 => null,
            _ => true,
        };
}
