using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Http;
using FluentValidation;
using AidTracker.Api.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Countries;

public static class CountryEndpoints
{
    public static IServiceCollection AddCountries(this IServiceCollection services) => services
        .AddSingleton<CountryRepository>()
        .AddSingleton<IValidator<CountryRequest>, CountryRequestValidator>();

    public static RouteGroupBuilder MapCountries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/countries").WithTag("Countries", "The countries and organisations (EU, NATO) that can donate or receive, with their codes and EU and NATO membership.").WithApiConventions();

        group.MapGet("/", ListCountries).WithName("ListCountries").CacheReads().WithQueryValues(NameSearch.Parameter)
            .WithSummary("List countries")
            .WithDescription("Every country and organisation that can donate or receive: all ISO 3166-1 entries, plus EU (its institutions and the European Peace Facility) and NATO, with EU and NATO membership as of today and the days each began (and the EU's ended), and the aliases that name them in text. q keeps those it finds by name or alias.");
        group.MapGet("/{code}", GetCountry).WithName("GetCountry").CacheReads()
            .WithSummary("Get a country")
            .WithDescription("One country or organisation by its code, in any case: POL, pol, EU.")
            .WithQueryValues(Code)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = group.MapGroup("").RequireApiKey(Policies.Admin).WithValidation();
        admin.MapPost("/", CreateCountry).WithName("CreateCountry")
            .WithSummary("Add a country")
            .WithDescription("Adds a country or organisation. Needs an admin key. 409 when the code or the alpha-2 code is taken. 400 when a membership flag disagrees with the dates read today, or a date is after today.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{code}", UpdateCountry).WithName("UpdateCountry")
            .WithSummary("Replace a country")
            .WithDescription("Replaces a country's name, kind, alpha-2 code, membership flags and dates, and aliases. Needs an admin key. The body's code must equal the path's. A membership date or the aliases left out of the body keep their stored value; null or [] clears them. 400 when a membership flag disagrees with the dates read today, or a date is after today.")
            .WithQueryValues(Code)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>The path's code: no other shape names a country.</summary>
    private static readonly TextParameter Code = new("code", CountryCodes.Pattern);

    public static async Task<Results<Ok<CountryList>, ValidationProblem>> ListCountries(
        [FromQuery(Name = "q"), Description(NameSearch.Description)] string? q, CountryRepository countries, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var query = NameSearch.Parse(q, countries.Dialect, errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var rows = await countries.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new CountryList(rows.Select(row => row.ToResponse()).ToList()));
    }

    public static async Task<Results<Ok<CountryResponse>, ProblemHttpResult>> GetCountry(
        [Description("A country code such as POL, or EU / NATO.")] string code, CountryRepository countries, CancellationToken cancellationToken)
    {
        var row = await countries.FindAsync(code, cancellationToken);
        return row is null ? Problems.NotFound($"No country has the code '{code}'.") : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Created<CountryResponse>, ValidationProblem, ProblemHttpResult>> CreateCountry(
        CountryRequest request, CountryRepository countries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = CountryRow.From(request);
        if (MembershipProblem(row, clock) is { } problem) return problem;
        if (!await countries.CreateAsync(row, cancellationToken))
        {
            return Problems.Conflict(row.Iso2 is null
                ? $"The code '{row.Code}' is already in use."
                : $"The code '{row.Code}' or the alpha-2 code '{row.Iso2}' is already in use.");
        }
        return TypedResults.Created($"/api/v1/countries/{row.Code}", row.ToResponse());
    }

    public static async Task<Results<Ok<CountryResponse>, ValidationProblem, ProblemHttpResult>> UpdateCountry(
        [Description("The code of the country to replace.")] string code, CountryRequest request, CountryRepository countries, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CountryCodes.Normalize(request.Code!) != CountryCodes.Normalize(code))
        {
            return Problems.Validation("code", $"The body's code '{request.Code}' differs from the code in the path, '{code}'.");
        }
        // What the body leaves out of the dates and aliases stays as stored (an older client's body has none of them).
        var stored = await countries.FindAsync(code, cancellationToken);
        if (stored is null) return Problems.NotFound($"No country has the code '{code}'.");
        var row = CountryRow.From(request, stored);
        if (MembershipProblem(row, clock) is { } problem) return problem;
        return await countries.UpdateAsync(row, cancellationToken) switch
        {
            null => Problems.NotFound($"No country has the code '{code}'."),
            false => Problems.Conflict($"The alpha-2 code '{row.Iso2}' is already in use."),
            true => TypedResults.Ok(row.ToResponse()),
        };
    }

    /// <summary>The 400 naming each membership flag or date that contradicts the others or today; null when they agree.</summary>
    private static ValidationProblem? MembershipProblem(CountryRow row, TimeProvider clock)
    {
        var errors = new FieldErrors();
        foreach (var (field, message) in row.MembershipProblems(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))) errors.Add(field, message);
        return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()) : null;
    }
}

public sealed class CountryRequestValidator : RequestValidator<CountryRequest>
{
    public CountryRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().Matches(CountryCodes.Pattern).WithMessage("'code' must be 2 to 4 letters (ISO 3166-1 alpha-3 for a state).");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Kind).NotNull().IsInEnum();
        RuleFor(x => x.Iso2).Matches("^[A-Za-z]{2}$").WithMessage("'iso2' must be two letters (ISO 3166-1 alpha-2).");
        RuleFor(x => x.Aliases).Custom((aliases, context) => Aliases.Problems(aliases).ToList().ForEach(problem => context.AddFailure(problem.Field, problem.Message)));
    }
}
