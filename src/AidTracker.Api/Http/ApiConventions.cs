using System.Reflection;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace AidTracker.Api.Http;

/// <summary>The policies every route group declares once: strict query strings, validated bodies, problem responses.</summary>
public static class ApiConventions
{
    /// <summary>
    /// Declares the endpoint's <see cref="QueryParameters"/> (see <see cref="UseQueryParameterRules"/>), rejects
    /// any query parameter the endpoint does not declare, and documents the 400 and 500 problems, and each problem that
    /// the endpoint's metadata implies (<see cref="OpenApiStatuses"/>): 401 on every route (a key that is sent is checked
    /// everywhere; with WWW-Authenticate), 429 (<see cref="RateLimits"/>; without <paramref name="rateLimited"/>, the group
    /// spends no budget and has none) and 503 (the request time limit) with Retry-After, and the rest by what the endpoint
    /// reads and needs; a documented 201 gets Location. Its answers are never stored unless they are cached reads
    /// (<see cref="ApiAnswer"/>).
    /// </summary>
    public static RouteGroupBuilder WithApiConventions(this RouteGroupBuilder group, bool rateLimited = true)
    {
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            endpoint.Metadata.Add(new ApiAnswer());
            if (endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault() is { } handler) endpoint.Metadata.Add(QueryParameters.Of(handler));
        });
        // Last, when the metadata inferred from the handler (a body it reads) and added by every convention is there.
        ((IEndpointConventionBuilder)group).Finally(OpenApiStatuses.Declare);
        group.AddEndpointFilterFactory(RejectUnknownQueryParameters);
        group.ProducesValidationProblem();
        // The key check's challenge (ApiKeyAuthentication) answers every 401.
        group.WithResponseHeader("WWW-Authenticate", "The scheme to authenticate with: Bearer.", StatusCodes.Status401Unauthorized);
        if (!rateLimited) group.WithoutRateLimits();
        group.ProducesProblem(StatusCodes.Status500InternalServerError);
        // Every 201 is TypedResults.Created with the new resource's URL (or a replay of one, StoredResponse).
        group.WithResponseHeader("Location", "The URL of what was created.", StatusCodes.Status201Created);
        // RateLimits sets it on a 429. Every 503 carries it: the request time limit (Hardening), the write lock busy past
        // that limit and a query stopped at it (ApiExceptionHandler), the export limit (ExportEndpoints) and a database
        // that is not ready (HealthEndpoints).
        group.WithIntegerResponseHeader("Retry-After", "Seconds to wait before trying again: on every 429 and every 503.",
            StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
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

    /// <summary>
    /// Before binding, what holds for every declared query parameter. One that takes one value (any but a list:
    /// <c>limit</c>, <c>cursor</c>, <c>sort</c>, <c>from</c>, <c>q</c>…) given more than once is a 400 naming it, where
    /// binding would join the values with a comma ("'1,2' is not a valid integer") or take them as one; lists
    /// (<c>donor</c>, <c>status</c>…) may repeat: they take a comma list or repeats. A value is <see cref="PlainText"/>,
    /// as a body's text is.
    /// </summary>
    public static WebApplication UseQueryParameterRules(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<QueryParameters>() is not { } declared) return next(http);
            var errors = new FieldErrors();
            foreach (var (name, values) in http.Request.Query)
            {
                if (values.Count > 1 && declared.SingleValued.TryGetValue(name, out var parameter))
                {
                    errors.Add(parameter, $"'{parameter}' is given {values.Count} times; it takes one value. Give it once.");
                }
                if (values.FirstOrDefault(value => !PlainText.IsPlain(value)) is { } refused) errors.Add(name, PlainText.Refusal(name, refused));
            }
            return errors.Any ? TypedResults.ValidationProblem(errors.ToDictionary()).ExecuteAsync(http) : next(http);
        });
        return app;
    }

    private static EndpointFilterDelegate RejectUnknownQueryParameters(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var allowed = QueryParameters.Of(context.MethodInfo).All;
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

/// <summary>
/// The query parameters an endpoint declares with [FromQuery], on its handler's parameters and on the properties of
/// [AsParameters] ones: all of them, and those that take one value (any type but an array).
/// </summary>
public sealed record QueryParameters(IReadOnlySet<string> All, HashSet<string> SingleValued)
{
    public static QueryParameters Of(MethodInfo handler)
    {
        var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var single = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            var declared = parameter.GetCustomAttribute<AsParametersAttribute>() is null
                ? [(parameter.GetCustomAttribute<FromQueryAttribute>(), parameter.Name!, parameter.ParameterType)]
                : parameter.ParameterType.GetProperties().Select(property => (property.GetCustomAttribute<FromQueryAttribute>(), property.Name, property.PropertyType));
            foreach (var (fromQuery, name, type) in declared)
            {
                if (fromQuery is null) continue;
                all.Add(fromQuery.Name ?? name);
                if (!type.IsArray) single.Add(fromQuery.Name ?? name);
            }
        }
        return new QueryParameters(all, single);
    }
}
