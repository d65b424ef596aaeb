using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AidTracker.Api.Donations;
using AidTracker.Api.Sources;

namespace AidTracker.Api.Extraction;

/// <summary>The body of <c>POST /extractions</c>: a text and the details of the source it comes from.</summary>
public sealed record ExtractionRequest(
    [property: Required, Description("The text to read (a news article, a ministry statement), as plain text. The whole body is at most 1 MiB (413 past it).")] string? Text,
    [property: Required, Description("The source the text comes from, as POST /api/v1/sources takes it. Its published_on, to the day, dates what the text says relatively (\"on Saturday\").")] SourceRequest? Source);

/// <summary>A sentence an extraction quotes: its character offsets in the text (end exclusive) and its words.</summary>
public sealed record ExtractionQuote(
    [property: Description("The offset of its first character in the text (UTF-16 code units, from 0).")] int Start,
    [property: Description("The offset just past its last character.")] int End,
    string Text);

/// <summary>A draft an extraction made: the donation as it stands now, and what it was read from.</summary>
public sealed record ExtractionDraft(
    [property: Description("The donation's id.")] long Id,
    [property: Description("draft, published or rejected: where it stands in review now.")] string ReviewState,
    [property: Description("The donation's ETag now, for the If-Match of a correction (PUT /api/v1/donations/{id}) or a reviewer's decision.")] string Etag,
    [property: Description("The donation as it stands now; absent once deleted."), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DonationResponse? Record,
    ExtractionQuote Quote,
    [property: Description("The words each field was read from: the field's name, their offsets in the text and the words.")] IReadOnlyList<FieldWords> Because);

/// <summary>A sentence that states aid but gave no complete record, and what it lacks.</summary>
public sealed record ExtractionMention(ExtractionQuote Quote, string Reason);

/// <summary>An extraction: the text, the source it recorded, the drafts it made and the sentences it could not resolve.</summary>
public sealed record ExtractionResponse(
    [property: Description("The extraction's id: that of the source it recorded.")] long Id,
    SourceResponse Source,
    string Text,
    DateTime CreatedAt,
    [property: Description("The key that asked for it.")] string CreatedBy,
    [property: Description("The draft donations, in the order of their sentences: each cites the source, quoting its sentence.")] IReadOnlyList<ExtractionDraft> Drafts,
    [property: Description("Sentences that state aid but gave no complete record (no donor, no weapon, no recipient), with why: for an editor to record by hand.")] IReadOnlyList<ExtractionMention> Unresolved);
