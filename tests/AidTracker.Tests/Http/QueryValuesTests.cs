using System.ComponentModel;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Tests;

/// <summary>The query-string declarations on their own, without HTTP: choice and integer parameters, and which parameters a handler takes.</summary>
public sealed class QueryValuesTests
{
    private static readonly ChoiceParameter Interval = new("interval", "an interval", new WireNames(["month", "quarter", "year"]), absent: "month");

    private static readonly ChoiceParameter Split = new("split", "a split", new WireNames(["donor", "recipient"]));

    [Fact]
    public void An_absent_choice_is_its_declared_default_or_none()
    {
        var errors = new FieldErrors();

        Assert.Equal("month", Interval.Parse(null, errors));
        Assert.Null(Split.Parse(null, errors));
        Assert.False(errors.Any);
    }

    [Fact]
    public void A_choice_matches_in_any_case_and_comes_back_as_declared()
    {
        var errors = new FieldErrors();

        Assert.Equal("quarter", Interval.Parse("QuArTeR", errors));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("week")]
    [InlineData("")]
    public void A_value_outside_the_choices_is_an_error_naming_the_parameter_and_the_choices(string given)
    {
        var errors = new FieldErrors();

        Assert.Null(Interval.Parse(given, errors));
        var (field, messages) = Assert.Single(errors.ToDictionary());
        Assert.Equal("interval", field);
        Assert.Equal($"'{given}' is not an interval. Use one of: month, quarter, year.", Assert.Single(messages));
    }

    [Fact]
    public void Every_bad_parameter_of_a_request_is_named_at_once()
    {
        var errors = new FieldErrors();

        Interval.Parse("week", errors);
        Split.Parse("colour", errors);

        Assert.Equal(["interval", "split"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void A_list_comes_back_as_declared_with_its_repeats()
    {
        var errors = new FieldErrors();

        Assert.Equal(["donor", "recipient", "donor"], Split.ParseList(["Donor", "RECIPIENT", "donor"], errors));
        Assert.False(errors.Any);
    }

    [Fact]
    public void A_required_choice_absent_or_an_empty_required_list_is_an_error_naming_the_parameter_and_the_choices()
    {
        var required = new ChoiceParameter("group_by", "a dimension", new WireNames(["donor", "year"]), useOneOf: "Use one or two of: donor, year.")
        {
            Many = true, Required = true,
        };
        const string Message = "group_by is required. Use one or two of: donor, year.";

        foreach (var parse in new Func<FieldErrors, object?>[]
        {
            errors => required.Parse(null, errors), errors => required.ParseList([], errors),
            errors => required.ParseList((string?)null, errors), errors => required.ParseList(" ", errors),
        })
        {
            var errors = new FieldErrors();
            Assert.Null(parse(errors));
            Assert.Equal(Message, Assert.Single(errors.ToDictionary()["group_by"]));
        }
        var taken = new FieldErrors();
        Assert.Equal(["donor", "year"], required.ParseList("Donor, YEAR", taken));
        Assert.False(taken.Any);
    }

    [Fact]
    public void A_list_names_every_unknown_value_in_one_error()
    {
        var errors = new FieldErrors();
        var groupBy = new ChoiceParameter("group_by", "a dimension", new WireNames(["donor", "year"]), useOneOf: "Use one or two of: donor, year.");

        Assert.Null(groupBy.ParseList(["donor", "colour", "size"], errors));
        var messages = errors.ToDictionary()["group_by"];
        Assert.Equal("'colour', 'size' is not a dimension. Use one or two of: donor, year.", Assert.Single(messages));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(1, 1)]
    [InlineData(250, 250)]
    public void An_integer_within_its_bounds_or_absent_is_taken(int? given, int expected)
    {
        var errors = new FieldErrors();

        Assert.Equal(expected, new IntegerParameter("having_min_count", absent: 1, min: 1).Parse(given, errors));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData(0, null, "having_min_count must be at least 1.")]
    [InlineData(1001, 1000, "having_min_count must be between 1 and 1000.")]
    [InlineData(0, 1000, "having_min_count must be between 1 and 1000.")]
    public void An_integer_out_of_bounds_is_an_error_naming_the_parameter_and_the_bounds(int given, int? max, string message)
    {
        var errors = new FieldErrors();

        Assert.Null(new IntegerParameter("having_min_count", absent: 1, min: 1, max: max).Parse(given, errors));
        Assert.Equal(message, Assert.Single(errors.ToDictionary()["having_min_count"]));
    }

    [Fact]
    public void The_query_parameters_of_a_handler_are_its_from_query_declarations_and_only_lists_repeat()
    {
        var declared = QueryParameters.Of(typeof(QueryValuesTests).GetMethod(nameof(Handler), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);

        Assert.Equal(["category", "interval", "q"], declared.All.Order(StringComparer.Ordinal));
        Assert.Equal(["interval", "q"], declared.SingleValued.Order(StringComparer.Ordinal));
    }

    private sealed record HandlerQuery(
        [property: FromQuery(Name = "interval"), Description("An interval.")] string? Interval,
        [property: FromQuery(Name = "category")] string[]? Category,
        string? NotFromQuery);

    private static void Handler([AsParameters] HandlerQuery query, [FromQuery(Name = "q")] string? text, [FromHeader(Name = "X-Other")] string? header, HttpContext http)
    {
    }
}
