using AidTracker.Api.Common;

namespace AidTracker.Tests.Common;

public sealed class PartialDateTests
{
    [Theory]
    [InlineData("2022", DatePrecision.Year, "2022-01-01", "2022-12-31")]
    [InlineData("2022-02", DatePrecision.Month, "2022-02-01", "2022-02-28")]
    [InlineData("2024-02", DatePrecision.Month, "2024-02-01", "2024-02-29")]
    [InlineData("2022-12", DatePrecision.Month, "2022-12-01", "2022-12-31")]
    [InlineData("2022-03-06", DatePrecision.Day, "2022-03-06", "2022-03-06")]
    [InlineData("9999-12", DatePrecision.Month, "9999-12-01", "9999-12-31")]
    [InlineData("9999", DatePrecision.Year, "9999-01-01", "9999-12-31")]
    public void Each_form_stands_for_its_whole_interval_and_writes_back_as_given(string text, DatePrecision precision, string start, string end)
    {
        Assert.True(PartialDate.TryParse(text, out var date));

        Assert.Equal(precision, date.Precision);
        Assert.Equal(start, Timestamps.Format(date.Start));
        Assert.Equal(end, Timestamps.Format(date.End));
        Assert.Equal(text, date.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("22")]
    [InlineData("022")]
    [InlineData("+2022")]
    [InlineData("2022-")]
    [InlineData("2022-3")]
    [InlineData("2022-13")]
    [InlineData("2022-00")]
    [InlineData("2022-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2022-03-06T00:00:00Z")]
    [InlineData(" 2022")]
    [InlineData("2022/03")]
    [InlineData("2022/03/06")]
    [InlineData("06.03.2022")]
    [InlineData("２０２２")]
    [InlineData(null)]
    public void Anything_looser_than_the_three_forms_is_refused(string? text)
    {
        Assert.False(PartialDate.TryParse(text, out _));
    }

    [Fact]
    public void The_pattern_accepts_the_same_forms_as_the_parser()
    {
        var pattern = new System.Text.RegularExpressions.Regex(PartialDate.Pattern);

        Assert.All(["2022", "2022-03", "2022-03-06"], text => Assert.Matches(pattern, text));
        Assert.All(["2022-3", "2022-13", "2022-03-6", "2022-03-32", "22"], text => Assert.DoesNotMatch(pattern, text));
    }

    [Fact]
    public void A_stored_date_is_its_first_day_and_precision_and_a_misstored_one_is_refused()
    {
        Assert.Equal(PartialDate.Month(2022, 3), PartialDate.FromStorage("2022-03-01", "month"));
        Assert.Equal(PartialDate.Year(2022), PartialDate.FromStorage("2022-01-01", "year"));
        Assert.Equal(PartialDate.Day(new DateOnly(2022, 3, 6)), PartialDate.FromStorage("2022-03-06", "day"));

        Assert.Throws<InvalidOperationException>(() => PartialDate.FromStorage("2022-03-06", "month"));
        Assert.Throws<InvalidOperationException>(() => PartialDate.FromStorage("2022-03-01", "year"));
        Assert.Throws<InvalidOperationException>(() => PartialDate.FromStorage("2022-01-01", "week"));
    }

    [Theory]
    [InlineData("2022-03", "2022-03-01", "2022-03-31", true)]
    [InlineData("2022-03", "2022-03-02", null, false)]
    [InlineData("2022-03", null, "2022-03-30", false)]
    [InlineData("2022", "2022-01-01", "2022-12-31", true)]
    [InlineData("2022", "2022-01-01", "2022-06-30", false)]
    [InlineData("2022-03-06", "2022-03-06", "2022-03-06", true)]
    [InlineData("2022-03-06", null, null, true)]
    public void A_range_keeps_a_date_only_when_its_whole_interval_lies_inside(string text, string? from, string? to, bool kept)
    {
        Assert.True(PartialDate.TryParse(text, out var date));

        Assert.Equal(kept, date.Within(from is null ? null : Timestamps.ParseDate(from), to is null ? null : Timestamps.ParseDate(to)));
    }
}
