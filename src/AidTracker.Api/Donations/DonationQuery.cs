using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Donations;

/// <summary>The order and paging parameters of <c>GET /donations</c>.</summary>
public sealed record DonationPageQuery(
    [property: FromQuery(Name = "sort"), Description("Sort keys, comma-separated, '-' for descending, each once; nothing after id. id is always the final tiebreak; nulls sort last. Default: id.")]
    string? Sort,
    [property: FromQuery(Name = "limit"), Description("Rows per page.")]
    int? Limit,
    [property: FromQuery(Name = "cursor"), Description("The opaque position from a previous page's 'next' link. Do not build or edit it.")]
    string? Cursor);

/// <summary>A parsed list request: which rows, in which order, after which position, and how many.</summary>
public sealed record DonationQuery(DonationFilter Filter, DonationSort Sort, IReadOnlyList<object?>? After, int Limit);
