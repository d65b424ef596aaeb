using AidTracker.Api.Common;
using AidTracker.Api.Storage;

namespace AidTracker.Api.Sources;

/// <summary>A source as Dapper reads it: storage types only (text dates, the partial date as three columns).</summary>
public sealed class SourceRow : VersionedRow
{
    public string Kind { get; set; } = "";
    public string? Publisher { get; set; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public string? ArchivedUrl { get; set; }
    public string PublishedOn { get; set; } = "";
    public string PublishedOnPrecision { get; set; } = "";
    public string PublishedOnEnd { get; set; } = "";
    public string? AccessedOn { get; set; }
    public string? Language { get; set; }
    public string? Reliability { get; set; }
    public string? Citation { get; set; }
    public string? Notes { get; set; }

    public SourceResponse ToResponse() => new(
        Id,
        WireEnum<SourceKind>.Parse(Kind),
        Publisher,
        Title,
        Url,
        ArchivedUrl,
        StoredPartialDate.Wire(PublishedOn, PublishedOnPrecision)!,
        AccessedOn is null ? null : Timestamps.ParseDate(AccessedOn),
        Language,
        Reliability,
        Citation,
        Notes,
        Timestamps.Parse(CreatedAt),
        Timestamps.Parse(UpdatedAt),
        Version);
}

/// <summary>The values a create or update writes, in storage form, named as <see cref="SourceFields"/>' parameters. Built only from a validated request.</summary>
public sealed record SourceWrite(
    string Kind,
    string? Publisher,
    string? Title,
    string? Url,
    string? ArchivedUrl,
    string PublishedOn,
    string PublishedOnPrecision,
    string PublishedOnEnd,
    string? AccessedOn,
    string? Language,
    string? Reliability,
    string? Citation,
    string? Notes)
{
    /// <summary>Maps a request that <see cref="SourceRequestValidator"/> has accepted: the grade upper case, the language tag in its usual case.</summary>
    public static SourceWrite From(SourceRequest request)
    {
        PartialDate.TryParse(request.PublishedOn, out var published);
        var date = StoredPartialDate.From(published);
        return new SourceWrite(
            WireEnum<SourceKind>.Name(request.Kind!.Value),
            request.Publisher,
            request.Title,
            request.Url,
            request.ArchivedUrl,
            date.Start,
            date.Precision,
            date.End,
            request.AccessedOn is { } accessed ? Timestamps.Format(accessed) : null,
            request.Language is { } language ? LanguageTags.Normalize(language) : null,
            request.Reliability?.ToUpperInvariant(),
            request.Citation,
            request.Notes);
    }
}

/// <summary>BCP 47 language tags, in the shape the service takes and the case it writes.</summary>
public static class LanguageTags
{
    /// <summary>A primary language (2 or 3 letters) and subtags of 1 to 8 letters or digits: en, uk, de-CH, sr-Latn-RS.</summary>
    public const string Pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

    public const int MaxLength = 35;

    /// <summary>The usual case of RFC 5646: the language lower case, a script title case, a region upper case.</summary>
    public static string Normalize(string tag) => string.Join('-', tag.Split('-').Select((part, i) => (i, part.Length) switch
    {
        (0, _) => part.ToLowerInvariant(),
        (_, 2) => part.ToUpperInvariant(),
        (_, 4) => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant(),
        _ => part.ToLowerInvariant(),
    }));
}
