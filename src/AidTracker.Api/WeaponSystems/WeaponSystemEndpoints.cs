using System.ComponentModel;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Countries;
using AidTracker.Api.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.WeaponSystems;

public static class WeaponSystemEndpoints
{
    public static IServiceCollection AddWeaponSystems(this IServiceCollection services) => services
        .AddSingleton<WeaponSystemRepository>()
        .AddSingleton<IValidator<WeaponSystemRequest>, WeaponSystemRequestValidator>();

    public static RouteGroupBuilder MapWeaponSystems(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/weapon-systems").WithTag("Weapon systems", "The weapon catalogue that donations name: named systems and generic entries, with their categories.").WithApiConventions();

        group.MapGet("/", ListWeaponSystems).WithName("ListWeaponSystems").CacheReads().WithQueryValues(Category, NameSearch.Parameter)
            .WithSummary("List weapon systems")
            .WithDescription("The weapon catalogue: named systems and generic entries, each with its category, its SIPRI and UNROCA categories (null where out of that register's scope) and the aliases that name it in text. q keeps those it finds by name or alias.");
        group.MapGet("/{id}", GetWeaponSystem).WithName("GetWeaponSystem").CacheReads()
            .WithSummary("Get a weapon system")
            .WithDescription("One catalogue entry by its id, a slug such as fgm-148-javelin.")
            .WithQueryValues(Id)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = group.MapGroup("").RequireApiKey(Policies.Admin).WithValidation();
        admin.MapPost("/", CreateWeaponSystem).WithName("CreateWeaponSystem")
            .WithSummary("Add a weapon system")
            .WithDescription("Adds a catalogue entry. Needs an admin key. 409 when the id is taken.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPut("/{id}", UpdateWeaponSystem).WithName("UpdateWeaponSystem")
            .WithSummary("Replace a weapon system")
            .WithDescription("Replaces a catalogue entry. Needs an admin key. The body's id must equal the path's. Aliases left out of the body keep their stored value; null or [] clears them.")
            .WithQueryValues(Id)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    internal static readonly ChoiceParameter Category = new("category", "a category", WeaponCategories.All);

    /// <summary>The path's id: no other shape names a catalogue entry.</summary>
    private static readonly TextParameter Id = new("id", WeaponSystemIds.Pattern, WeaponSystemIds.MaxLength);

    public static async Task<Results<Ok<WeaponSystemList>, ValidationProblem>> ListWeaponSystems(
        [FromQuery(Name = "category"), Description("Categories to keep.")] string[]? category,
        [FromQuery(Name = "q"), Description(NameSearch.Description)] string? q,
        WeaponSystemRepository weaponSystems, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var given = (category ?? []).SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries)).ToList();
        var categories = Category.ParseList(given, errors);
        var query = NameSearch.Parse(q, weaponSystems.Dialect, errors);
        if (categories is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var rows = await weaponSystems.ListAsync(categories.Distinct().ToList(), query, cancellationToken);
        return TypedResults.Ok(new WeaponSystemList(rows.Select(row => row.ToResponse()).ToList()));
    }

    public static async Task<Results<Ok<WeaponSystemResponse>, ProblemHttpResult>> GetWeaponSystem(
        [Description("A catalogue id such as fim-92-stinger.")] string id, WeaponSystemRepository weaponSystems, CancellationToken cancellationToken)
    {
        var row = await weaponSystems.FindAsync(id, cancellationToken);
        return row is null ? Problems.NotFound($"No weapon system has the id '{id}'.") : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Created<WeaponSystemResponse>, ProblemHttpResult>> CreateWeaponSystem(
        WeaponSystemRequest request, WeaponSystemRepository weaponSystems, CancellationToken cancellationToken)
    {
        var row = WeaponSystemRow.From(request);
        if (!await weaponSystems.CreateAsync(row, cancellationToken))
        {
            return Problems.Conflict($"The id '{row.Id}' is already in use.");
        }
        return TypedResults.Created($"/api/v1/weapon-systems/{row.Id}", row.ToResponse());
    }

    public static async Task<Results<Ok<WeaponSystemResponse>, ValidationProblem, ProblemHttpResult>> UpdateWeaponSystem(
        [Description("The id of the entry to replace.")] string id, WeaponSystemRequest request, WeaponSystemRepository weaponSystems, CancellationToken cancellationToken)
    {
        if (WeaponSystemIds.Normalize(request.Id!) != WeaponSystemIds.Normalize(id))
        {
            return Problems.Validation("id", $"The body's id '{request.Id}' differs from the id in the path, '{id}'.");
        }
        // Aliases left out of the body stay as stored (an older client's body has none).
        var stored = await weaponSystems.FindAsync(id, cancellationToken);
        if (stored is null) return Problems.NotFound($"No weapon system has the id '{id}'.");
        var row = WeaponSystemRow.From(request, stored);
        return await weaponSystems.UpdateAsync(row, cancellationToken)
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound($"No weapon system has the id '{id}'.");
    }
}

public sealed class WeaponSystemRequestValidator : RequestValidator<WeaponSystemRequest>
{
    public WeaponSystemRequestValidator()
    {
        RuleFor(x => x.Id).NotEmpty().MaximumLength(WeaponSystemIds.MaxLength).Matches(WeaponSystemIds.Pattern)
            .WithMessage("'id' must be a slug: letters, digits and single hyphens, such as 'fgm-148-javelin'.");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Category).NotEmpty().Must(c => WeaponCategories.All.TryMatch(c, out _))
            .WithMessage($"'category' must be one of: {string.Join(", ", WeaponCategories.All)}.");
        RuleFor(x => x.SipriCategory).Must(c => c is null || WeaponCategories.Sipri.TryMatch(c, out _))
            .WithMessage($"'sipri_category' must be null or one of: {string.Join(", ", WeaponCategories.Sipri)}.");
        RuleFor(x => x.UnrocaCategory).Must(c => c is null || WeaponCategories.Unroca.TryMatch(c, out _))
            .WithMessage($"'unroca_category' must be null or one of: {string.Join(", ", WeaponCategories.Unroca)}.");
        RuleFor(x => x.Description).MaximumLength(2000);
        RuleFor(x => x.Aliases).Custom((aliases, context) => Aliases.Problems(aliases).ToList().ForEach(problem => context.AddFailure(problem.Field, problem.Message)));
    }
}
