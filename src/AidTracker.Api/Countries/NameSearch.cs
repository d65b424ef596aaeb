using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Countries;

/// <summary>
/// <c>q</c> on the reference lists (countries, weapon systems): words found together in the name or in one alias, in
/// the syntax of the donations' q (<see cref="TextSearch"/>). Each engine folds case and accents and reads each name
/// and alias alone: SQLite's FTS5 tables (a row per name and per alias) and PostgreSQL's functions
/// <c>country_search</c> and <c>weapon_system_search</c> (migration 0016), read alike as
/// <c>SELECT code FROM country_search(@Query)</c>.
/// </summary>
public static class NameSearch
{
    public const string Description = "Finds entries by name or alias (\"Dutch\", \"Holland\", \"FIM-92\"), ignoring case and accents: words (all required, in the name or in one alias), \"quoted phrases\", and prefixes ending in *. Not blank; at most 200 characters.";

    public static readonly TextParameter Parameter = new("q", MaxLength: TextSearch.MaxLength);

    /// <summary>The engine's query for <paramref name="q"/>; null when it is absent, or refused (with an error naming q).</summary>
    public static string? Parse(string? q, SqlDialect dialect, FieldErrors errors)
    {
        if (q is null) return null;
        if (string.IsNullOrWhiteSpace(q))
        {
            errors.Add("q", "q is blank: leave it out to list every entry.");
            return null;
        }
        var query = TextSearch.ToQuery(q, dialect, out var error);
        if (error is not null) errors.Add("q", error);
        return query;
    }
}
