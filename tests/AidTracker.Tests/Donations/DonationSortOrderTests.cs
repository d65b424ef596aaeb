using AidTracker.Api.Donations;
using AidTracker.Api.Http;

namespace AidTracker.Tests;

/// <summary>The order of <c>GET /donations</c> without HTTP: parsing, the id tiebreak, ORDER BY and the keyset predicate.</summary>
public sealed class DonationSortOrderTests
{
    private static DonationSort Parse(string? sort)
    {
        var errors = new FieldErrors();
        var parsed = DonationSort.Parse(sort, errors);
        Assert.False(errors.Any, string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        return parsed!;
    }

    [Fact]
    public void No_sort_is_by_id()
    {
        Assert.Equal("id", Parse(null).Spec);
        Assert.Equal("id", Parse("").Spec);
    }

    [Fact]
    public void The_id_tiebreak_runs_the_way_the_last_key_does()
    {
        Assert.Equal("donor,-announced_on,-id", Parse("donor,-announced_on").Spec);
        Assert.Equal("-id", Parse("-id").Spec);
    }

    [Fact]
    public void A_nullable_key_sorts_its_nulls_last()
    {
        Assert.Equal("d.announced_on DESC NULLS LAST, d.id DESC", Parse("-announced_on").OrderBy);
        Assert.Equal("d.announced_on ASC NULLS LAST, d.id ASC", Parse("announced_on").OrderBy);
    }

    [Fact]
    public void Errors_before_the_sort_leave_no_sort_so_that_no_cursor_is_read()
    {
        var errors = new FieldErrors();
        errors.Add("donor", "earlier");

        Assert.Null(DonationSort.Parse("donor", errors));
    }

    [Fact]
    public void A_key_after_id_is_refused()
    {
        var errors = new FieldErrors();

        Assert.Null(DonationSort.Parse("id,donor", errors));
        Assert.Equal(["'donor' follows 'id', which is unique, so it would never apply. Put 'id' last."], errors.ToDictionary()["sort"]);
    }

    [Fact]
    public void After_keys_that_run_one_way_and_cannot_be_null_is_one_row_comparison()
    {
        var (sql, parameters) = Parse("-created_at").After(["2024-01-01", 7L]);

        Assert.Equal("(d.created_at, d.id) < (@p0, @p1)", sql);
        Assert.Equal(new Dictionary<string, object?> { ["p0"] = "2024-01-01", ["p1"] = 7L }, parameters);
    }

    [Fact]
    public void After_a_nullable_key_lets_the_nulls_follow()
    {
        var (sql, _) = Parse("quantity").After([5L, 7L]);

        Assert.Equal("(((d.quantity > @p0 OR d.quantity IS NULL)) OR (d.quantity = @p0 AND d.id > @p1))", sql);
    }

    [Fact]
    public void After_a_null_only_the_later_nulls_follow()
    {
        var (sql, _) = Parse("quantity").After([null, 7L]);

        Assert.Equal("((d.quantity IS NULL AND d.id > @p1))", sql);
    }

    [Fact]
    public void After_keys_in_mixed_directions_is_the_lexicographic_chain()
    {
        var (sql, _) = Parse("donor,-created_at").After(["DEU", "2024-01-01", 7L]);

        Assert.Equal(
            "((d.donor > @p0) OR (d.donor = @p0 AND d.created_at < @p1) OR (d.donor = @p0 AND d.created_at = @p1 AND d.id < @p2))",
            sql);
    }
}
