using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;
using AidTracker.Api.Packages;
using AidTracker.Api.Sources;

namespace AidTracker.Api.Review;

public enum ReviewDecision { Publish, Reject }

/// <summary>The body of <c>POST /review/donations/{id}</c>, <c>/review/sources/{id}</c> and <c>/review/packages/{id}</c>.</summary>
public sealed record ReviewRequest(
    [property: Required, Description("publish (the record becomes public) or reject (it stays out of public view; an editor may correct it, which makes it a draft again).")] ReviewDecision? Decision,
    [property: Description("What the reviewer says: required to reject, optional to publish; kept in the record's history.")] string? Comment);

/// <summary>
/// A draft in the review queue: the record as it stands (in <c>record</c> for a donation, <c>source</c> for a source,
/// <c>package</c> for a package; the other two absent), who last changed it, and the sources a donation's evidence cites.
/// </summary>
public sealed record ReviewItem(
    [property: Description("What kind of record it is: donation, source or package; its decision is POST /api/v1/review/{kind}s/{id}.")] string Kind,
    long Id,
    [property: Description("draft, published or rejected.")] string ReviewState,
    [property: Description("What the last reviewer said; null before any review.")] string? ReviewComment,
    [property: Description("The key that made the current version.")] string ChangedBy,
    DateTime ChangedAt,
    [property: Description("The record's ETag, for the If-Match of a decision.")] string Etag,
    [property: Description("The donation, when kind is donation; else absent."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DonationResponse? Record,
    [property: Description("The sources a donation's evidence (and its deliveries' evidence) cites, whole; empty for a source or a package. A donation is published only once they are.")] IReadOnlyList<SourceResponse> Sources,
    [property: Description("The source, when kind is source; else absent."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SourceResponse? Source = null,
    [property: Description("The package, when kind is package; else absent."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PackageResponse? Package = null);

/// <summary>A page of the review queue, oldest first. <c>next</c> is absent on the last page.</summary>
public sealed record ReviewQueue(
    IReadOnlyList<ReviewItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);
