using AidTracker.Api.Common;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Extraction;

/// <summary>
/// What an extraction records of each record it read: a donation that cites the new source, quoting its sentence
/// with the sentence's offsets as locator, its date where its status puts it (announced_on, committed_on, or the
/// delivery's delivered_on), and what the quote supports (its stage, and its quantity when it states one). A record the
/// API could not store as it was read is left unresolved, with why.
/// </summary>
public static class ExtractionDrafts
{
    /// <summary>The records to write, and the ones left unresolved.</summary>
    public static (IReadOnlyList<ExtractedRecord> Drafts, IReadOnlyList<UnresolvedMention> Unresolved) Split(ExtractionResult result, string text, DateOnly today)
    {
        var drafts = new List<ExtractedRecord>();
        var unresolved = result.Unresolved.ToList();
        foreach (var record in result.Records)
        {
            if (Refusal(record, today) is { } reason) unresolved.Add(new UnresolvedMention(record.Quote, reason));
            else drafts.Add(record);
        }
        unresolved.Sort((a, b) => a.Quote.Start.CompareTo(b.Quote.Start));
        return (drafts, unresolved);
    }

    private static string? Refusal(ExtractedRecord record, DateOnly today)
    {
        if (record.Donor == record.Recipient) return $"It names {record.Donor} as both donor and recipient.";
        if (record.Quantity is <= 0 or > DonationRequestValidator.MaxQuantity) return $"The quantity it states ({record.Quantity:N0}) is not a count of items a record holds.";
        if (record.Date is { } date && date.Start > today) return $"The date it states ({date}) is in the future: record it when it has happened.";
        if (record.Date is { } early && early.Start.Year < 1900) return $"The date it states ({early}) is before 1900.";
        return null;
    }

    /// <summary>The donation to write for <paramref name="record"/>, citing source <paramref name="sourceId"/>.</summary>
    public static DonationWrite Write(ExtractedRecord record, long sourceId, string text)
    {
        var stage = record.Status switch
        {
            DonationStatus.Announced => EvidenceSupport.Announcement,
            DonationStatus.Committed => EvidenceSupport.Commitment,
            _ => EvidenceSupport.Delivery,
        };
        IReadOnlyList<EvidenceSupport> supports = record.Quantity is null ? [stage] : [stage, EvidenceSupport.Quantity];
        IReadOnlyList<EvidenceRequest> evidence = [new(sourceId, record.Quote.Of(text), Locator(record.Quote), null, supports)];
        var date = record.Date?.ToString();
        var delivered = stage == EvidenceSupport.Delivery;
        return DonationWrite.From(new DonationRequest(
            record.Donor, record.Recipient, null, record.WeaponSystem, null, record.Quantity, record.QuantityQualifier, record.Status,
            record.Status == DonationStatus.Announced ? date : null, record.Status == DonationStatus.Committed ? date : null,
            null, null, null, null, null, evidence,
            delivered ? [new DeliveryRequest(null, date, record.Quantity, record.QuantityQualifier, null, evidence)] : null));
    }

    /// <summary>Where the quote stands in the text the extraction keeps.</summary>
    private static string Locator(TextSpan quote) => $"characters {quote.Start}-{quote.End} of the extracted text";
}
