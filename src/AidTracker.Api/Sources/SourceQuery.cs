using System.ComponentModel;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Sources;

/// <summary>The parameters of <c>GET /sources</c>, as bound from HTTP (its order and paging are the donations' own parameters, DonationPageQuery); <see cref="SourceQueryParser"/> checks them.</summary>
public sealed record SourceListQuery(
    [property: FromQuery(Name = "kind"), Description("Sources of these kinds.")]
    string[]? Kind,
    [property: FromQuery(Name = "min_reliability"), Description("Sources graded this reliable or better (A is best, F worst): min_reliability=B keeps A and B. Ungraded sources are left out when this is set.")]
    string? MinReliability,
    [property: FromQuery(Name = "published_on_from"), Description("Sources whose whole publication interval starts on or after this date (yyyy, yyyy-MM or yyyy-MM-dd: its first day). A source known to a month or a year is kept only when all of it is inside the range.")]
    string? PublishedOnFrom,
    [property: FromQuery(Name = "published_on_to"), Description("Sources whose whole publication interval ends on or before this date (yyyy, yyyy-MM or yyyy-MM-dd: its last day).")]
    string? PublishedOnTo,
    [property: FromQuery(Name = "language"), Description("Sources in these languages (BCP 47 tags, in any case).")]
    string[]? Language,
    [property: FromQuery(Name = "q"), Description("Text that the title, publisher, citation or notes contain, ignoring case and accents; % and _ are taken literally.")]
    string? Q,
    [property: FromQuery(Name = "review_state"), Description(RecordListing.ReviewStateDescription)]
    string[]? ReviewState);

/// <summary>Turns the query string of <c>GET /sources</c> into the SQL of one page, or errors naming each parameter that is wrong.</summary>
public sealed class SourceQueryParser(PageCursor cursors, Database connections)
{
    public static readonly RecordListing Listing = new(SourceFields.Table);

    public static readonly ChoiceParameter Kind = new("kind", "a source kind", WireEnum<SourceKind>.Names);

    public static readonly ChoiceParameter MinReliability = new("min_reliability", "a reliability grade", new WireNames(["A", "B", "C", "D", "E", "F"]));

    public static readonly TextParameter PublishedOnFrom = new("published_on_from", PartialDate.Pattern);

    public static readonly TextParameter PublishedOnTo = new("published_on_to", PartialDate.Pattern);

    public static readonly TextParameter Language = new("language", LanguageTags.Pattern, LanguageTags.MaxLength) { MaxItems = RecordLists.MaxListLength };

    public static readonly TextParameter Q = new("q", MaxLength: MaxQLength);

    public const int MaxQLength = 200;

    /// <summary>Every declaration the list's parameters are checked by, for the OpenAPI document.</summary>
    public static IQueryValue[] QueryValues => [Kind, MinReliability, PublishedOnFrom, PublishedOnTo, Language, Q, RecordListing.ReviewState, Listing.Sort, RecordListing.Limit];

    /// <summary>The page <paramref name="query"/> asks for; <paramref name="seesDrafts"/>: the caller's key sees drafts.</summary>
    public async Task<(RecordPageQuery Page, DonationSort Sort)?> ParseAsync(SourceListQuery query, DonationPageQuery page, bool seesDrafts, FieldErrors errors, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var parameters = new Dictionary<string, object?>();
        var conditions = new List<string> { "r.deleted_at IS NULL" };
        if (RecordListing.ReviewCondition(query.ReviewState, seesDrafts, "sources", dialect, parameters, errors) is { } review) conditions.Add(review);

        var kinds = Kind.ParseList(RecordLists.Split(Kind.Name, query.Kind, errors), errors);
        if (kinds is { Count: > 0 })
        {
            conditions.Add(dialect.In("r.kind", "kinds"));
            parameters["kinds"] = kinds.ToArray();
        }
        if (MinReliability.Parse(query.MinReliability, errors) is { } grade)
        {
            // Grades sort as letters, A best: a grade at least as good as B is A or B. Ungraded sources are not.
            conditions.Add("r.reliability IS NOT NULL AND r.reliability <= @min_reliability");
            parameters["min_reliability"] = grade;
        }
        var from = PartialDateBound(PublishedOnFrom.Name, query.PublishedOnFrom, errors);
        var to = PartialDateBound(PublishedOnTo.Name, query.PublishedOnTo, errors);
        if (from is { } start)
        {
            conditions.Add("r.published_on >= @published_on_from");
            parameters["published_on_from"] = Timestamps.Format(start.Start);
        }
        if (to is { } end)
        {
            conditions.Add("r.published_on_end <= @published_on_to");
            parameters["published_on_to"] = Timestamps.Format(end.End);
        }
        if (from is { } f && to is { } t && f.Start > t.End) errors.Add(PublishedOnTo.Name, $"'{PublishedOnTo.Name}' ends before '{PublishedOnFrom.Name}' starts.");

        var languages = RecordLists.Split(Language.Name, query.Language, errors);
        foreach (var language in languages.Where(l => l.Length > LanguageTags.MaxLength || !System.Text.RegularExpressions.Regex.IsMatch(l, LanguageTags.Pattern)))
        {
            errors.Add(Language.Name, $"'{language}' is not a BCP 47 language tag, such as en, uk or de-CH.");
        }
        if (languages.Count > 0)
        {
            conditions.Add(dialect.In("r.language", "languages"));
            parameters["languages"] = languages.Select(LanguageTags.Normalize).ToArray();
        }
        if (Search(query.Q, SourceFields.Searched, dialect, errors) is { } search)
        {
            conditions.Add(search);
            parameters["q_pattern"] = RecordLists.ContainsPattern(query.Q!);
        }

        return await Listing.ParseAsync("WHERE " + string.Join(" AND ", conditions), parameters, page.Sort, page.Limit, page.Cursor, cursors, errors, cancellationToken);
    }

    /// <summary>
    /// The condition that one of <paramref name="columns"/> of <c>r</c> contains <c>@q_pattern</c>, case and accents
    /// folded on both sides; null without <paramref name="q"/>, or with an error naming q when it is blank or too long.
    /// </summary>
    public static string? Search(string? q, IReadOnlyList<string> columns, SqlDialect dialect, FieldErrors errors)
    {
        if (q is null) return null;
        if (string.IsNullOrWhiteSpace(q)) errors.Add("q", "q has no text to search for.");
        else if (q.Length > MaxQLength) errors.Add("q", $"q is longer than {MaxQLength} characters.");
        else return "(" + string.Join(" OR ", columns.Select(c => $"{dialect.Folded("r." + c)} LIKE {dialect.Folded("@q_pattern")} ESCAPE '\\'")) + ")";
        return null;
    }

    /// <summary>A bound of a date range, as a partial date (its first day bounds from, its last day bounds to); null with an error when malformed.</summary>
    public static PartialDate? PartialDateBound(string name, string? value, FieldErrors errors)
    {
        if (value is null) return null;
        if (PartialDate.TryParse(value, out var date)) return date;
        errors.Add(name, $"'{value}' is not {PartialDate.Expected}.");
        return null;
    }
}
