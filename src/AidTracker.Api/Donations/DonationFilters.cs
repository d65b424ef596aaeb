using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Donations;

/// <summary>A WHERE clause being built, and its parameters: every value is a parameter, one per list item.</summary>
public sealed class FilterSql(string start)
{
    public StringBuilder Where { get; } = new(start);

    public Dictionary<string, object?> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary><c>AND column IN (@name0, @name1)</c> and the suffix, when there are values, each bound as <paramref name="bind"/> makes it.</summary>
    public void In(string column, string name, IReadOnlyList<string> values, Func<string, object>? bind = null, string suffix = "")
    {
        if (values.Count == 0) return;
        Where.Append(" AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0) Where.Append(", ");
            Where.Append('@').Append(name).Append(i.ToString(CultureInfo.InvariantCulture));
            Parameters.Add(name + i.ToString(CultureInfo.InvariantCulture), bind is null ? values[i] : bind(values[i]));
        }
        Where.Append(')').Append(suffix);
    }

    /// <summary><c>AND condition @name</c>, when there is a value.</summary>
    public void Compare(string condition, string name, string? value, string suffix = "")
    {
        if (value is null) return;
        Where.Append(" AND ").Append(condition).Append(" @").Append(name).Append(suffix);
        Parameters.Add(name, value);
    }
}

/// <summary>What parsing a filter may ask of the database: which of some codes exist.</summary>
public enum KnownCodes { None, Countries, WeaponSystems, Sources, Packages }

/// <summary>
/// One filter of donations, declared once as Datasette's filters are: its query key, its description, how it reads
/// and checks its value, its SQL over the donations and over donation_rollup (or that it is finer than the rollup),
/// and how <c>filters</c> echoes it. <see cref="DonationFilters.All"/> lists them; <see cref="DonationFilter.ToSql"/>,
/// <see cref="DonationFilter.ToRollupSql"/>, <see cref="DonationFilter.Applied"/> and the parser run over that list.
/// </summary>
public abstract class FilterField(string key, string description)
{
    public string Key => key;

    public string Description => description;

    /// <summary>The value <c>filters</c> echoes, or null when the filter is not set.</summary>
    public abstract object? Applied(DonationFilter filter);

    /// <summary>The type of the value <see cref="Applied"/> echoes: text, unless the filter is a list.</summary>
    public virtual Type AppliedType => typeof(string);

    /// <summary>Adds the condition over <c>donations d</c> joined to <c>weapon_systems w</c>.</summary>
    public abstract void AddSql(DonationFilter filter, SqlDialect dialect, bool searchJoined, FilterSql sql);

    /// <summary>Adds the condition over <c>donation_rollup d</c>; false when the filter is set and finer than the rollup.</summary>
    public abstract bool AddRollupSql(DonationFilter filter, FilterSql sql);
}

/// <summary>A list of codes or names, comma-separated or repeated: <c>column IN (…)</c>.</summary>
public sealed class ListFilter(
    string key,
    string description,
    string column,
    string? rollupColumn,
    Func<DonationFilterQuery, string[]?> raw,
    Func<DonationFilter, IReadOnlyList<string>> get,
    Func<DonationFilter, IReadOnlyList<string>, DonationFilter> set) : FilterField(key, description)
{
    public const int MaxListLength = 100;

    /// <summary>The stored form of a value as given (upper-case codes, canonical names).</summary>
    public Func<string, string> Normalize { get; init; } = value => value;

    /// <summary>Values that name the same thing once normalised count once.</summary>
    public bool Distinct { get; init; }

    /// <summary>
    /// The values a list allows, and what one is called in a problem ("a status"): each other value is refused as any
    /// closed-set query parameter refuses it (<see cref="Choice"/>).
    /// </summary>
    public (string Noun, WireNames Values) OneOf { init => Choice = new ChoiceParameter(Key, value.Noun, value.Values); }

    /// <summary>The check of each value against <see cref="OneOf"/>; null when any value is allowed.</summary>
    public ChoiceParameter? Choice { get; private init; }

    /// <summary>Which codes the database must hold, and what one is called in a problem.</summary>
    public (KnownCodes Codes, string What) Known { get; init; }

    /// <summary>
    /// The pattern and length every value has when the database must know it (<see cref="Known"/>): those of the codes
    /// or ids themselves, which a new one is checked against, so that a value of another shape is never known.
    /// </summary>
    public (string Pattern, int? MaxLength)? Shape { get; init; }

    /// <summary>What the OpenAPI document says of the list: at most <see cref="MaxListLength"/> items, each of <see cref="Shape"/>.</summary>
    public TextParameter Parameter => new(Key, Shape?.Pattern, Shape?.MaxLength) { MaxItems = MaxListLength };

    /// <summary>What closes the condition after its list (the parenthesis of an EXISTS).</summary>
    public string Suffix { get; init; } = "";

    /// <summary>The parameter a value is bound as: the text itself, or the number an id stands for.</summary>
    public Func<string, object>? Bind { get; init; }

    public Func<DonationFilterQuery, string[]?> Raw => raw;

    public IReadOnlyList<string> Values(DonationFilter filter) => get(filter);

    public DonationFilter With(DonationFilter filter, IReadOnlyList<string> values) => set(filter, values);

    public override object? Applied(DonationFilter filter) => get(filter) is { Count: > 0 } values ? values : null;

    public override Type AppliedType => typeof(IReadOnlyList<string>);

    public override void AddSql(DonationFilter filter, SqlDialect dialect, bool searchJoined, FilterSql sql) => sql.In(column, Key, get(filter), Bind, Suffix);

    public override bool AddRollupSql(DonationFilter filter, FilterSql sql)
    {
        if (rollupColumn is null) return get(filter).Count == 0;
        sql.In(rollupColumn, Key, get(filter));
        return true;
    }

    /// <summary>Splits the parameter's values, leaving out repeats; each empty item and a list too long is a problem.</summary>
    public List<string> Split(DonationFilterQuery query, FieldErrors errors)
    {
        var items = new List<string>();
        if (raw(query) is not { } values) return items;
        foreach (var value in values)
        {
            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (item.Length == 0) errors.Add(Key, $"{Key} has an empty value.");
                else if (!items.Contains(item, StringComparer.Ordinal)) items.Add(item);
            }
        }
        if (items.Count > MaxListLength) errors.Add(Key, $"{Key} lists {items.Count} values; at most {MaxListLength} are allowed.");
        return items;
    }
}

/// <summary>A date bound, inclusive: <c>column &gt;= @key</c> or <c>&lt;=</c>. Over the rollup only when it falls on a month's edge.</summary>
public sealed class DateFilter(
    string key,
    string description,
    Func<DonationFilterQuery, string?> raw,
    string condition,
    string? rollupCondition,
    Func<DonationFilter, DateOnly?> get,
    Func<DonationFilter, DateOnly?, DonationFilter> set) : FilterField(key, description)
{
    /// <summary>The key of the bound this one must not precede (<c>to</c> names <c>from</c>).</summary>
    public string? NotBefore { get; init; }

    /// <summary>What closes the condition after its parameter (the parenthesis of an EXISTS).</summary>
    public string Suffix { get; init; } = "";

    public Func<DonationFilterQuery, string?> Raw => raw;

    public DateOnly? Value(DonationFilter filter) => get(filter);

    public DonationFilter With(DonationFilter filter, DateOnly? value) => set(filter, value);

    public override object? Applied(DonationFilter filter) => get(filter) is { } date ? Timestamps.Format(date) : null;

    public override void AddSql(DonationFilter filter, SqlDialect dialect, bool searchJoined, FilterSql sql) =>
        sql.Compare(condition, Key, get(filter) is { } date ? Timestamps.Format(date) : null, Suffix);

    public override bool AddRollupSql(DonationFilter filter, FilterSql sql)
    {
        if (get(filter) is not { } date) return true;
        // A month bound: the first day of a month for a lower bound, the last for an upper one.
        var atEdge = condition.EndsWith(">=", StringComparison.Ordinal) ? date.Day == 1 : date.Day == DateTime.DaysInMonth(date.Year, date.Month);
        if (rollupCondition is null || !atEdge) return false;
        sql.Compare(rollupCondition, Key, date.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>A filter whose SQL is its own (the search, the moment): declared with delegates.</summary>
public sealed class OtherFilter(
    string key,
    string description,
    Func<DonationFilter, object?> applied,
    Action<DonationFilter, SqlDialect, bool, FilterSql> addSql,
    Func<DonationFilter, bool> finerThanRollup) : FilterField(key, description)
{
    public override object? Applied(DonationFilter filter) => applied(filter);

    public override void AddSql(DonationFilter filter, SqlDialect dialect, bool searchJoined, FilterSql sql) => addSql(filter, dialect, searchJoined, sql);

    public override bool AddRollupSql(DonationFilter filter, FilterSql sql) => !finerThanRollup(filter);
}

/// <summary>The filters of donations that lists, stats and exports share, in the order their SQL is written.</summary>
public static class DonationFilters
{
    public const string DonorDescription = "Donor country codes (ISO 3166-1 alpha-3, or EU / NATO), in any case.";
    public const string RecipientDescription = "Recipient country codes, as for donor.";
    public const string FunderDescription = "Funder country codes, as for donor: keeps records that name one of them as the country that pays.";
    public const string PackageDescription = "Package ids from /api/v1/packages: keeps the line items of those packages.";
    public const string SourceDescription = "Source ids from /api/v1/sources: keeps records with evidence citing one of them.";
    public const string SourceKindDescription = "Source kinds: keeps records with evidence citing a source of one of these kinds.";
    public const string MinReliabilityDescription = "A reliability grade, A (best) to F: keeps records with evidence citing a source graded this reliable or better (min_reliability=B keeps A and B). Ungraded sources do not count when this is set.";
    public const string FirstReportedFromDescription = "Earliest first_reported_on, inclusive, as yyyy-MM-dd: keeps a record first reported (a day, a month or a year) wholly on or after it.";
    public const string FirstReportedToDescription = "Latest first_reported_on, inclusive, as yyyy-MM-dd: keeps a record first reported wholly on or before it (a month ends on its last day).";
    public const string WeaponSystemDescription = "Weapon system ids from /api/v1/weapon-systems, such as fgm-148-javelin.";
    public const string CategoryDescription = "Weapon categories (of the weapon system).";
    public const string StatusDescription = "Statuses.";
    public const string FromDescription = "Earliest announced_on, inclusive, as yyyy-MM-dd: keeps a record whose announcement (a day, a month or a year) lies wholly on or after it. Records without an announcement date are left out.";
    public const string ToDescription = "Latest announced_on, inclusive, as yyyy-MM-dd: keeps a record whose announcement lies wholly on or before it (a month ends on its last day).";
    public const string DeliveredFromDescription = "Earliest delivered_on, inclusive, as yyyy-MM-dd: keeps a record with a delivery that lies wholly on or after it. Records without a dated delivery are left out.";
    public const string DeliveredToDescription = "Latest delivered_on, inclusive, as yyyy-MM-dd: keeps a record with a delivery that lies wholly on or before it.";
    public const string QDescription = "Full-text search over weapon names and aliases, evidence quotes, source titles and citations, and notes: words (all required), \"quoted phrases\", and prefixes ending in *. Case and accents are ignored. Not with as_of or release: the search index holds today's text only.";
    public const string AsOfDescription = "Answer from the dataset exactly as it stood at this moment (RFC 3339, such as 2026-01-31T00:00:00Z; not in the future): each donation as its last version then, rows deleted since included, rows created since left out, names and categories as they were.";
    public const string ReleaseDescription = "A release id from /api/v1/releases: the same as as_of set to that release's moment.";

    public static readonly ListFilter Donor = new("donor", DonorDescription, "d.donor", "d.donor", q => q.Donor, f => f.Donors, (f, v) => f with { Donors = v })
    {
        Normalize = CountryCodes.Normalize, Known = (KnownCodes.Countries, "country code"), Shape = (CountryCodes.Pattern, null),
    };

    public static readonly ListFilter Recipient = new("recipient", RecipientDescription, "d.recipient", "d.recipient", q => q.Recipient, f => f.Recipients, (f, v) => f with { Recipients = v })
    {
        Normalize = CountryCodes.Normalize, Known = (KnownCodes.Countries, "country code"), Shape = (CountryCodes.Pattern, null),
    };

    public static readonly ListFilter Funder = new("funder", FunderDescription, "d.funder", null, q => q.Funder, f => f.Funders, (f, v) => f with { Funders = v })
    {
        Normalize = CountryCodes.Normalize, Known = (KnownCodes.Countries, "country code"), Shape = (CountryCodes.Pattern, null),
    };

    public static readonly ListFilter WeaponSystem = new("weapon_system", WeaponSystemDescription, "d.weapon_system", null, q => q.WeaponSystem, f => f.WeaponSystems, (f, v) => f with { WeaponSystems = v })
    {
        Normalize = WeaponSystemIds.Normalize, Known = (KnownCodes.WeaponSystems, "weapon system id"), Shape = (WeaponSystemIds.Pattern, WeaponSystemIds.MaxLength),
    };

    public static readonly ListFilter Category = new("category", CategoryDescription, "w.category", "d.category", q => q.Category, f => f.Categories, (f, v) => f with { Categories = v })
    {
        Normalize = c => WeaponCategories.All.Canonical(c)!,
        Distinct = true,
        OneOf = ("a category", WeaponCategories.All),
    };

    public static readonly ListFilter Status = new("status", StatusDescription, "d.status", "d.status", q => q.Status, f => f.Statuses, (f, v) => f with { Statuses = v })
    {
        Normalize = s => WireEnum<DonationStatus>.Names.Canonical(s)!,
        OneOf = ("a status", WireEnum<DonationStatus>.Names),
    };

    public const string ReviewStateDescription =
        "Donations in these review states: published (all the public sees, and what every query selects without this filter), draft (waiting for a reviewer) or rejected. A state other than published needs the key of an editor, reviewer or admin; a release holds published donations only.";

    /// <summary>
    /// <c>review_state</c>: unset, only published donations (<see cref="DonationFilter.ToSql"/> adds that); the rollup
    /// holds published ones only, so a query that sets it reads the donations.
    /// </summary>
    public static readonly ListFilter ReviewState = new("review_state", ReviewStateDescription, "d.review_state", null, q => q.ReviewState, f => f.ReviewStateList, (f, v) => f with { ReviewStateList = v })
    {
        Normalize = s => ReviewStates.All.Canonical(s)!,
        Distinct = true,
        OneOf = ("a review state", ReviewStates.All),
    };

    /// <summary>The pattern of a record's id in a query: a positive integer.</summary>
    public const string IdPattern = "^[1-9][0-9]{0,17}$";

    private static object BindId(string id) => long.Parse(id, CultureInfo.InvariantCulture);

    public static readonly ListFilter Package = new("package", PackageDescription, "d.package_id", null, q => q.Package, f => f.Packages, (f, v) => f with { Packages = v })
    {
        Known = (KnownCodes.Packages, "package id"), Shape = (IdPattern, null), Bind = BindId,
    };

    // The evidence a donation cites, one seek into evidence (donation_id, id) per donation (each delivery's evidence
    // names its donation too); a source's kind and grade one seek into sources by its key.
    private const string SomeEvidence = "EXISTS (SELECT 1 FROM evidence e WHERE e.donation_id = d.id AND ";

    private const string SomeCitedSource = "EXISTS (SELECT 1 FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = d.id AND ";

    public static readonly ListFilter Source = new("source", SourceDescription, SomeEvidence + "e.source_id", null, q => q.Source, f => f.Sources, (f, v) => f with { Sources = v })
    {
        Known = (KnownCodes.Sources, "source id"), Shape = (IdPattern, null), Bind = BindId, Suffix = ")",
    };

    public static readonly ListFilter SourceKind = new("source_kind", SourceKindDescription, SomeCitedSource + "s.kind", null, q => q.SourceKind, f => f.SourceKinds, (f, v) => f with { SourceKinds = v })
    {
        Normalize = k => WireEnum<AidTracker.Api.Sources.SourceKind>.Names.Canonical(k)!,
        Distinct = true,
        OneOf = ("a source kind", WireEnum<AidTracker.Api.Sources.SourceKind>.Names),
        Suffix = ")",
    };

    /// <summary>The grades <c>min_reliability</c> takes, best first (Admiralty: A completely reliable, F cannot be judged).</summary>
    public static readonly ChoiceParameter Grade = new("min_reliability", "a reliability grade", new WireNames(["A", "B", "C", "D", "E", "F"]));

    /// <summary><c>min_reliability</c>: the grades order as text, A first; an ungraded source (null) never passes.</summary>
    public static readonly OtherFilter MinReliability = new("min_reliability", MinReliabilityDescription, f => f.MinReliability,
        (f, _, _, sql) => sql.Compare(SomeCitedSource + "s.reliability IS NOT NULL AND s.reliability <=", "min_reliability", f.MinReliability, ")"),
        f => f.MinReliability is not null);

    // A partial date stands for its interval: a bound keeps a record whose whole interval lies inside it (X >= from AND
    // X_end <= to). The rollup's month cannot tell a year's interval from a month's, so a bound reads the donations.
    public static readonly DateFilter From = new("from", FromDescription, q => q.From, "d.announced_on >=", null, f => f.From, (f, v) => f with { From = v });

    public static readonly DateFilter To = new("to", ToDescription, q => q.To, "d.announced_on_end <=", null, f => f.To, (f, v) => f with { To = v }) { NotBefore = "from" };

    private const string SomeDelivery = "EXISTS (SELECT 1 FROM deliveries x WHERE x.donation_id = d.id AND ";

    public static readonly DateFilter DeliveredFrom = new("delivered_from", DeliveredFromDescription, q => q.DeliveredFrom, SomeDelivery + "x.delivered_on >=", null, f => f.DeliveredFrom, (f, v) => f with { DeliveredFrom = v })
    {
        Suffix = ")",
    };

    public static readonly DateFilter DeliveredTo = new("delivered_to", DeliveredToDescription, q => q.DeliveredTo, SomeDelivery + "x.delivered_on_end <=", null, f => f.DeliveredTo, (f, v) => f with { DeliveredTo = v })
    {
        NotBefore = "delivered_from",
        Suffix = ")",
    };

    public static readonly DateFilter FirstReportedFrom = new("first_reported_from", FirstReportedFromDescription, q => q.FirstReportedFrom, "d.first_reported_on >=", null, f => f.FirstReportedFrom, (f, v) => f with { FirstReportedFrom = v });

    public static readonly DateFilter FirstReportedTo = new("first_reported_to", FirstReportedToDescription, q => q.FirstReportedTo, "d.first_reported_on_end <=", null, f => f.FirstReportedTo, (f, v) => f with { FirstReportedTo = v })
    {
        NotBefore = "first_reported_from",
    };

    /// <summary>
    /// <c>q</c>: with <c>searchJoined</c> the query joins the search index <c>f</c> and lets it drive
    /// (<see cref="DonationRepository.ListAsync"/>), so the condition is a MATCH on it rather than a subquery that lists every match first.
    /// </summary>
    public static readonly OtherFilter Q = new("q", QDescription, f => f.SearchText,
        (f, dialect, searchJoined, sql) =>
        {
            if (f.TextQuery is null) return;
            sql.Where.Append(" AND ").Append(dialect.SearchMatch(searchJoined));
            sql.Parameters.Add("text_query", f.TextQuery);
        },
        f => f.TextQuery is not null);

    /// <summary><c>as_of</c>: no condition, the moment that <see cref="DonationFilter.With"/> reads; the rollup keeps no past.</summary>
    public static readonly OtherFilter AsOf = new("as_of", AsOfDescription, f => f.AsOf,
        (f, _, _, sql) =>
        {
            if (f.AsOf is not null) sql.Parameters.Add("as_of", f.AsOf);
        },
        f => f.AsOf is not null);

    /// <summary><c>release</c>: resolved to its moment, which <see cref="AsOf"/> carries.</summary>
    public static readonly OtherFilter Release = new("release", ReleaseDescription, f => f.Release, (_, _, _, _) => { }, f => f.AsOf is not null);

    public static readonly IReadOnlyList<FilterField> All =
    [
        Donor, Recipient, Funder, WeaponSystem, Category, Status, Package, Source, SourceKind, MinReliability,
        From, To, DeliveredFrom, DeliveredTo, FirstReportedFrom, FirstReportedTo, Q, AsOf, Release, ReviewState,
    ];

    public static readonly IReadOnlyList<ListFilter> Lists = [.. All.OfType<ListFilter>()];

    public static readonly IReadOnlyList<DateFilter> Dates = [.. All.OfType<DateFilter>()];

    /// <summary>
    /// The lists whose values are checked against the allowed ones, in the order they are checked (status before
    /// category, as before the filters were declared), so that a problem's errors name their keys in that order.
    /// </summary>
    public static readonly IReadOnlyList<ListFilter> ValueChecks = [Status, Category, SourceKind, ReviewState];

    /// <summary>The component schema of <see cref="AppliedFilters"/> in the OpenAPI document.</summary>
    public const string AppliedSchemaId = "AppliedFilters";

    /// <summary>
    /// The schema of <c>filters</c> (<see cref="DonationFilter.Applied"/>): one optional member per filter, present when
    /// the filter is set, of the type it echoes, with the values and format its query parameter is checked against
    /// (<see cref="QueryValues"/>), in the form the API writes.
    /// </summary>
    public static OpenApiSchema AppliedSchema(ISchemaGenerator generator, SchemaRepository repository) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The filters that were applied, by their query parameters, in the form the API writes them (codes upper-case, values as listed); a filter that was not set is absent.",
        AdditionalPropertiesAllowed = false,
        Properties = All.ToDictionary(field => field.Key, field =>
        {
            var generated = generator.GenerateSchema(field.AppliedType, repository);
            // A type of its own is a component, which says what it is; only text and lists of text take the checks.
            if (generated is not OpenApiSchema schema) return generated;
            schema.Type &= ~JsonSchemaType.Null;
            var value = schema.Items as OpenApiSchema ?? schema;
            if (field is ListFilter { Choice: { } choice })
            {
                if (schema.Type == JsonSchemaType.Array) schema.Items = QueryValueMetadata.Items(choice.Values, generator, repository, document: null);
                else value.Enum = QueryValueMetadata.Enum(choice.Values);
            }
            if (QueryValues.OfType<FormattedParameter>().FirstOrDefault(formatted => formatted.Name == field.Key) is { } format) value.Format = format.Format;
            schema.Description = field.Description;
            return (IOpenApiSchema)schema;
        }, StringComparer.Ordinal),
    };

    /// <summary>
    /// The declarations the OpenAPI document reads for these filters (<see cref="QueryValueMetadata"/>): the allowed
    /// values of the checked lists, every list's length and the shape of its codes, the dates' format, as_of's, q's
    /// length (<see cref="TextSearch"/>) and the shape of a release id.
    /// </summary>
    public static readonly IReadOnlyList<IQueryValue> QueryValues =
    [
        .. ValueChecks.Select(list => list.Choice!), Grade, .. Lists.Select(list => list.Parameter),
        .. Dates.Select(date => new FormattedParameter(date.Key, "date")), new FormattedParameter(AsOf.Key, "date-time"),
        new TextParameter(Q.Key, MaxLength: TextSearch.MaxLength), new TextParameter(Release.Key, IReleaseMoments.IdPattern),
    ];
}
