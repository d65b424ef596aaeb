using System.ComponentModel;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Donations;
using AidTracker.Api.Http;
using AidTracker.Api.Sources;
using AidTracker.Api.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Packages;

/// <summary>The parameters of <c>GET /packages</c>, as bound from HTTP (its order and paging are the donations' own parameters, DonationPageQuery); <see cref="PackageQueryParser"/> checks them.</summary>
public sealed record PackageListQuery(
    [property: FromQuery(Name = "donor"), Description("Packages from these donors (country codes, in any case).")]
    string[]? Donor,
    [property: FromQuery(Name = "instrument"), Description("Packages given by these instruments.")]
    string[]? Instrument,
    [property: FromQuery(Name = "announced_on_from"), Description("Packages whose whole announcement interval starts on or after this date (yyyy, yyyy-MM or yyyy-MM-dd: its first day). Packages without a date are left out when this is set.")]
    string? AnnouncedOnFrom,
    [property: FromQuery(Name = "announced_on_to"), Description("Packages whose whole announcement interval ends on or before this date (yyyy, yyyy-MM or yyyy-MM-dd: its last day). Packages without a date are left out when this is set.")]
    string? AnnouncedOnTo,
    [property: FromQuery(Name = "q"), Description("Text that the title or notes contain, ignoring case and accents; % and _ are taken literally.")]
    string? Q,
    [property: FromQuery(Name = "review_state"), Description(RecordListing.ReviewStateDescription)]
    string[]? ReviewState);

/// <summary>Turns the query string of <c>GET /packages</c> into the SQL of one page, or errors naming each parameter that is wrong.</summary>
public sealed class PackageQueryParser(CountryRepository countries, PageCursor cursors, Database connections)
{
    public static readonly RecordListing Listing = new(PackageFields.Table);

    public static readonly TextParameter Donor = new("donor", CountryCodes.Pattern) { MaxItems = RecordLists.MaxListLength };

    public static readonly ChoiceParameter Instrument = new("instrument", "an instrument", WireEnum<PackageInstrument>.Names);

    public static readonly TextParameter AnnouncedOnFrom = new("announced_on_from", PartialDate.Pattern);

    public static readonly TextParameter AnnouncedOnTo = new("announced_on_to", PartialDate.Pattern);

    public static readonly TextParameter Q = new("q", MaxLength: SourceQueryParser.MaxQLength);

    /// <summary>Every declaration the list's parameters are checked by, for the OpenAPI document.</summary>
    public static IQueryValue[] QueryValues => [Donor, Instrument, AnnouncedOnFrom, AnnouncedOnTo, Q, RecordListing.ReviewState, Listing.Sort, RecordListing.Limit];

    /// <summary>The page <paramref name="query"/> asks for; <paramref name="seesDrafts"/>: the caller's key sees drafts.</summary>
    public async Task<(RecordPageQuery Page, DonationSort Sort)?> ParseAsync(PackageListQuery query, DonationPageQuery page, bool seesDrafts, FieldErrors errors, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        var parameters = new Dictionary<string, object?>();
        var conditions = new List<string> { "r.deleted_at IS NULL" };
        if (RecordListing.ReviewCondition(query.ReviewState, seesDrafts, "packages", dialect, parameters, errors) is { } review) conditions.Add(review);

        var donors = RecordLists.Split(Donor.Name, query.Donor, errors).ConvertAll(CountryCodes.Normalize);
        if (donors.Count is > 0 and <= RecordLists.MaxListLength)
        {
            var known = await countries.ExistingCodesAsync(donors, cancellationToken);
            foreach (var donor in donors.Where(d => !known.Contains(d))) errors.Add(Donor.Name, $"'{donor}' is not a known country code.");
            conditions.Add(dialect.In("r.donor", "donors"));
            parameters["donors"] = donors.ToArray();
        }
        var instruments = Instrument.ParseList(RecordLists.Split(Instrument.Name, query.Instrument, errors), errors);
        if (instruments is { Count: > 0 })
        {
            conditions.Add(dialect.In("r.instrument", "instruments"));
            parameters["instruments"] = instruments.ToArray();
        }
        var from = SourceQueryParser.PartialDateBound(AnnouncedOnFrom.Name, query.AnnouncedOnFrom, errors);
        var to = SourceQueryParser.PartialDateBound(AnnouncedOnTo.Name, query.AnnouncedOnTo, errors);
        if (from is { } start)
        {
            conditions.Add("r.announced_on >= @announced_on_from");
            parameters["announced_on_from"] = Timestamps.Format(start.Start);
        }
        if (to is { } end)
        {
            conditions.Add("r.announced_on_end <= @announced_on_to");
            parameters["announced_on_to"] = Timestamps.Format(end.End);
        }
        if (from is { } f && to is { } t && f.Start > t.End) errors.Add(AnnouncedOnTo.Name, $"'{AnnouncedOnTo.Name}' ends before '{AnnouncedOnFrom.Name}' starts.");
        if (SourceQueryParser.Search(query.Q, PackageFields.Searched, dialect, errors) is { } search)
        {
            conditions.Add(search);
            parameters["q_pattern"] = RecordLists.ContainsPattern(query.Q!);
        }

        return await Listing.ParseAsync("WHERE " + string.Join(" AND ", conditions), parameters, page.Sort, page.Limit, page.Cursor, cursors, errors, cancellationToken);
    }
}
