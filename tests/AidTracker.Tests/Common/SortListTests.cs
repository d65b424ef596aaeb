using AidTracker.Api.Common;

namespace AidTracker.Tests.Common;

public sealed class SortListTests
{
    private static readonly SortList Keys = new(["id", "donor", "announced_on"], unique: "id");

    private static (List<SortTerm> Terms, List<string> Errors) Parse(SortList keys, string sort)
    {
        var errors = new List<string>();
        return (keys.Parse(sort, errors.Add), errors);
    }

    [Fact]
    public void Keys_come_back_in_order_with_their_direction_and_declared_case()
    {
        var (terms, errors) = Parse(Keys, "-ANNOUNCED_ON, donor");

        Assert.Empty(errors);
        Assert.Equal([new SortTerm("announced_on", true), new SortTerm("donor", false)], terms);
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_keys_there_are()
    {
        var (terms, errors) = Parse(Keys, "donor,-colour");

        Assert.Equal([new SortTerm("donor", false)], terms);
        Assert.Equal(["'-colour' is not a sort key. Use any of: id, donor, announced_on, each with '-' for descending."], errors);
    }

    [Fact]
    public void A_list_whose_keys_depend_on_the_request_says_here()
    {
        var (_, errors) = Parse(new SortList(["count"], here: " here"), "colour");

        Assert.Equal(["'colour' is not a sort key here. Use any of: count, each with '-' for descending."], errors);
    }

    [Fact]
    public void A_repeated_key_is_an_error_whatever_its_direction()
    {
        var (terms, errors) = Parse(Keys, "donor,-donor");

        Assert.Single(terms);
        Assert.Equal(["'donor' appears more than once."], errors);
    }

    [Fact]
    public void A_key_after_the_unique_key_is_an_error()
    {
        var (_, errors) = Parse(Keys, "id,donor");

        Assert.Equal(["'donor' follows 'id', which is unique, so it would never apply. Put 'id' last."], errors);
    }

    [Fact]
    public void Without_a_unique_key_any_order_is_allowed()
    {
        var (terms, errors) = Parse(new SortList(["id", "donor"]), "id,donor");

        Assert.Empty(errors);
        Assert.Equal(2, terms.Count);
    }

    [Fact]
    public void Only_one_dash_means_descending()
    {
        var (terms, errors) = Parse(Keys, "--donor");

        Assert.Empty(terms);
        Assert.Single(errors);
    }
}
