using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Sources;

public enum SourceKind { Official, Parliamentary, News, SocialMedia, Dataset, Other }

/// <summary>
/// The body of <c>POST /sources</c> and <c>PUT /sources/{id}</c>. Every field is nullable here so that the validator,
/// not the JSON reader, reports a missing field by name. What the source does not say stays null.
/// </summary>
public sealed record SourceRequest(
    [property: Required] SourceKind? Kind,
    string? Publisher,
    string? Title,
    string? Url,
    string? ArchivedUrl,
    [property: Required, Description("When it was published, as precisely as known: yyyy, yyyy-MM or yyyy-MM-dd.")] string? PublishedOn,
    [property: Description("When it was read; not in the future.")] DateOnly? AccessedOn,
    [property: Description("A BCP 47 language tag, such as en, uk or de-CH.")] string? Language,
    [property: Description("The Admiralty grade of the source, A (completely reliable) to F (cannot be judged), in any case; null when not graded.")] string? Reliability,
    [property: Description("How to cite it where a title or address does not suffice. At least one of title, url and citation is required.")] string? Citation,
    string? Notes);

public sealed record SourceResponse(
    long Id,
    SourceKind Kind,
    string? Publisher,
    string? Title,
    string? Url,
    string? ArchivedUrl,
    [property: Description("yyyy, yyyy-MM or yyyy-MM-dd: as precisely as known.")] string PublishedOn,
    DateOnly? AccessedOn,
    string? Language,
    [property: Description("A to F (Admiralty); null when not graded.")] string? Reliability,
    string? Citation,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    /// <summary>A link rather than a list, so that a source cited by thousands of records keeps a bounded response.</summary>
    [Description("The donations this source supports (whose evidence cites it): a link to the filtered list, which pages.")]
    public string Donations => $"/api/v1/donations?source={Id}";
}

/// <summary>A page of sources. <c>next</c> is absent on the last page.</summary>
public sealed record SourcePage(
    IReadOnlyList<SourceResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);

/// <summary>One version of a source: the whole record as it stood after the change.</summary>
public sealed record SourceHistoryEntry(
    long Version,
    ChangeOperation Operation,
    DateTime ChangedAt,
    string ChangedBy,
    string? RequestId,
    [property: Description("Where this version stood in review: draft (waiting for a reviewer), published (public) or rejected.")] string ReviewState,
    [property: Description("What the reviewer said when publishing or rejecting it; null before any review.")] string? ReviewComment,
    SourceResponse Record);

public sealed record SourceHistory(long SourceId, IReadOnlyList<SourceHistoryEntry> Items);
