using AidTracker.Api.Donations;
using AidTracker.Api.Exports;

namespace AidTracker.Tests;

/// <summary>The release digests kept by filter: one entry per filter however spelt, and never more than MaxKept.</summary>
public sealed class ReleaseDigestsTests
{
    private static readonly IReadOnlyDictionary<string, TableExport.CsvDigest> Some = new Dictionary<string, TableExport.CsvDigest>();

    private static DonationFilter Release(string id, params string[] donors) => DonationFilter.All with { Release = id, Donors = donors };

    [Fact]
    public void One_filter_spelt_two_ways_is_one_entry_and_another_filter_is_another()
    {
        var kept = new ReleaseDigests();
        kept.Keep(Release("r1", "POL", "DEU"), Some);

        Assert.True(kept.TryGet(Release("r1", "DEU", "POL", "DEU"), out _));
        Assert.False(kept.TryGet(Release("r1", "POL"), out _));
        Assert.False(kept.TryGet(Release("r2", "POL", "DEU"), out _));
        Assert.Equal(ReleaseDigests.Key(Release("r1", "POL", "DEU")), ReleaseDigests.Key(Release("r1", "DEU", "POL")));
    }

    [Fact]
    public void At_most_max_kept_filters_are_kept_the_least_recently_used_going_first()
    {
        var kept = new ReleaseDigests();
        for (var i = 0; i < ReleaseDigests.MaxKept; i++) kept.Keep(Release($"r{i}"), Some);
        Assert.True(kept.TryGet(Release("r0"), out _));

        kept.Keep(Release("newest"), Some);

        Assert.Equal(ReleaseDigests.MaxKept, kept.Count);
        Assert.True(kept.TryGet(Release("r0"), out _));
        Assert.False(kept.TryGet(Release("r1"), out _));
        Assert.True(kept.TryGet(Release("newest"), out _));
    }
}
