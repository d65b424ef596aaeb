using System.Reflection;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Infrastructure;

/// <summary>The policies every route group declares once: strict query strings, validated bodies, problem responses.</summary>
public static class ApiConventions
{
    /// <summary>
    /// Rejects any query parameter the endpoint does not declare, and documents the 400, 429 (<see cref="RateLimits"/>;
    /// not on /health), 500 and 503 (the request time limit) problems.
    /// </summary>
    public static RouteGroupBuilder WithApiConventions(this RouteGroupBuilder group, bool rateLimited = true)
    {
        group.AddEndpointFilterFactory(RejectUnknownQueryParameters);
        group.ProducesValidationProblem();
        if (rateLimited) group.ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.ProducesProblem(StatusCodes.Status500InternalServerError);
        group.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary>Validates every handler argument that has a registered FluentValidation validator before the handler runs.</summary>
    public static RouteGroupBuilder WithValidation(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory(ValidateArguments);
        return group;
    }

    /// <summary>Names under which clients send an API key in a URL; none is a parameter of any route.</summary>
    private static readonly HashSet<string> KeyNames = new(["key", "api_key", "apikey", "api-key", "access_token", "token", "auth", "authorization"], StringComparer.OrdinalIgnoreCase);

    private const string KeyInQuery =
        "An API key is never taken from the URL (URLs end up in logs and histories): send 'Authorization: Bearer <api key>'. Reads need no key.";

    private static EndpointFilterDelegate RejectUnknownQueryParameters(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var allowed = QueryParameterNames(context.MethodInfo);
        var message = allowed.Count == 0
            ? "This endpoint takes no query parameters."
            : $"Unknown query parameter. This endpoint takes: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.";
        return invocation =>
        {
            var unknown = invocation.HttpContext.Request.Query.Keys.Where(key => !allowed.Contains(key)).ToList();
            if (unknown.Count == 0) return next(invocation);
            return ValueTask.FromResult<object?>(TypedResults.ValidationProblem(
                unknown.ToDictionary(key => key, key => new[] { KeyNames.Contains(key) ? KeyInQuery : message })));
        };
    }

    /// <summary>The names that [FromQuery] declares on the handler's parameters, and on the properties of [AsParameters] ones.</summary>
    private static HashSet<string> QueryParameterNames(MethodInfo handler)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    if (property.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery) names.Add(fromQuery.Name ?? property.Name);
                }
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
            }
        }
        return names;
    }

    private static EndpointFilterDelegate ValidateArguments(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var isService = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var targets = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (Index: index, Validator: typeof(IValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(target => isService.IsService(target.Validator))
            .ToList();
        if (targets.Count == 0) return next;

        return async invocation =>
        {
            foreach (var (index, validatorType) in targets)
            {
                if (invocation.Arguments[index] is not { } argument) continue;
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                if (!result.IsValid) return TypedResults.ValidationProblem(result.ToDictionary());
            }
            return await next(invocation);
        };
    }

    /// <summary>
    /// FluentValidation names fields as the JSON does (<c>announced_on</c>, not <c>AnnouncedOn</c>), and stops at a
    /// field's first failure, so that a lookup never runs on a value already found missing.
    /// </summary>
    public static void ConfigureFluentValidation()
    {
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
    }
}
