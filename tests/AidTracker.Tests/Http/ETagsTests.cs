using AidTracker.Api.Http;
using Microsoft.Extensions.Primitives;

namespace AidTracker.Tests;

/// <summary>The ETag rules on their own, without HTTP: how tags are formed, and how If-None-Match and If-Match read them.</summary>
public sealed class ETagsTests
{
    [Fact]
    public void A_row_tag_is_its_version_then_the_reference_version()
    {
        Assert.Equal("\"3.7\"", ETags.ForRow(3, 7));
    }

    [Fact]
    public void A_read_tag_is_strong_and_moves_with_the_version_the_request_and_the_coding()
    {
        var tag = ETags.ForRead(5, "/api/v1/donations?donor=DE", null);

        Assert.Matches("^\"5-[0-9a-f]{16}\"$", tag);
        Assert.Equal(tag, ETags.ForRead(5, "/api/v1/donations?donor=DE", null));
        Assert.NotEqual(tag, ETags.ForRead(6, "/api/v1/donations?donor=DE", null));
        Assert.NotEqual(tag, ETags.ForRead(5, "/api/v1/donations?donor=FR", null));
        Assert.Equal($"{tag[..^1]}-br\"", ETags.ForRead(5, "/api/v1/donations?donor=DE", "br"));
    }

    [Fact]
    public void The_coding_goes_inside_the_quotes_and_no_coding_leaves_the_tag_alone()
    {
        Assert.Equal("\"3.7-gzip\"", ETags.WithCoding("\"3.7\"", "gzip"));
        Assert.Equal("\"3.7\"", ETags.WithCoding("\"3.7\"", null));
    }

    [Theory]
    [InlineData("\"3.7\"", true)]
    [InlineData("W/\"3.7\"", true)] // If-None-Match compares weakly
    [InlineData("\"1.1\", \"3.7\"", true)]
    [InlineData("*", true)]
    [InlineData("\"3.8\"", false)]
    [InlineData("\"3.7-br\"", false)] // another coding's bytes
    [InlineData("3.7", false)] // malformed: unquoted
    public void If_none_match_hits_the_current_tag_weakly_in_a_list_or_as_a_star(string header, bool hits)
    {
        Assert.Equal(hits, ETags.IfNoneMatchHits(new StringValues(header), "\"3.7\""));
    }

    [Fact]
    public void An_absent_if_none_match_never_hits()
    {
        Assert.False(ETags.IfNoneMatchHits(StringValues.Empty, "\"3.7\""));
    }

    [Fact]
    public void An_absent_if_match_is_not_read()
    {
        Assert.False(ETags.TryReadIfMatch(StringValues.Empty, out var accepted));
        Assert.Null(accepted);
    }

    [Fact]
    public void If_match_star_accepts_any_version()
    {
        Assert.True(ETags.TryReadIfMatch(new StringValues("*"), out var accepted));
        Assert.Null(accepted);
    }

    [Theory]
    [InlineData("\"3.7\"", new long[] { 3 })]
    [InlineData("\"3.9\"", new long[] { 3 })] // another reference version: the row is what If-Match guards
    [InlineData("\"3.7-gzip\"", new long[] { 3 })]
    [InlineData("\"3\"", new long[] { 3 })]
    [InlineData("\"3.7\", \"4.7\"", new long[] { 3, 4 })]
    [InlineData("W/\"3.7\"", new long[0])] // a weak tag never matches strongly
    [InlineData("\"abc\"", new long[0])]
    [InlineData("\"0.7\"", new long[0])]
    [InlineData("3.7", new long[0])] // malformed: unquoted
    public void If_match_accepts_the_row_versions_of_its_strong_tags(string header, long[] versions)
    {
        Assert.True(ETags.TryReadIfMatch(new StringValues(header), out var accepted));
        Assert.NotNull(accepted);
        Assert.Equal(versions.Order(), accepted.Order());
    }
}
