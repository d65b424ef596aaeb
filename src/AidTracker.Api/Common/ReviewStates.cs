namespace AidTracker.Api.Common;

/// <summary>
/// Where a record (a donation, a source, a package) stands in review (DESIGN.md, "Review"): a draft waits for a
/// reviewer, who publishes or rejects it; only published records are public. Stored in <c>review_state</c> (migrations
/// 0022 and 0024) and versioned with the record.
/// </summary>
public static class ReviewStates
{
    public const string Draft = "draft";
    public const string Published = "published";
    public const string Rejected = "rejected";

    public static readonly WireNames All = new([Draft, Published, Rejected]) { SchemaId = "ReviewState" };

    /// <summary>The condition over <c>d</c> that a record is public.</summary>
    public const string IsPublished = $"d.review_state = '{Published}'";
}
