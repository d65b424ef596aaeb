using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AidTracker.Api.Auth;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Http;

public static class HttpPipeline
{
    /// <summary>JSON conventions, problem details, exception handling and the OpenAPI generator.</summary>
    public static IServiceCollection AddHttpPipeline(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Type ??= Problems.TypeOf(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            context.ProblemDetails.Extensions["trace_id"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddRequestLog();
        services.TryAddSingleton(TimeProvider.System);
        ApiConventions.ConfigureFluentValidation();

        // Swashbuckle reads MVC's JSON options, not minimal APIs'; give it ours so that the document says snake_case.
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ConfigureJson(json);
        services.AddSingleton<ISerializerDataContractResolver>(new JsonSerializerDataContractResolver(json));
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "AidTracker API",
                Version = "v1",
                Description = "Which donor sent which weapons to whom, and when: announced and delivered, with a source on every row and a full change history. " +
                    "Reads are public. Writes need `Authorization: Bearer <api key>`. Every error is an RFC 9457 problem. " +
                    "Every GET also answers HEAD (RFC 9110): the same status and headers, no body; HEAD operations are not listed apart.",
                Contact = new OpenApiContact { Name = "AidTracker maintainers" },
            });
            options.AddServer(new OpenApiServer { Url = "/", Description = "This server" });
            options.AddSecurityDefinition(ApiKeyAuthentication.OpenApiScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key created with `dotnet run --project src/AidTracker.Api -- keys create --name NAME --role editor`.",
            });
            options.OperationFilter<ApiKeyAuthentication.SecurityRequirementFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(DonationJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.Converters.Add(new WireEnumConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>
    /// The middleware, in order: the request log (no query strings), HEAD as GET, routing, errors, then authentication,
    /// the rate limits and the check of a key that was sent (a bad one is a 401 on every route, before the output cache
    /// could answer), then Swagger and the rest.
    /// </summary>
    public static WebApplication UseHttpPipeline(this WebApplication app)
    {
        app.UseRequestLog();
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHardening();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseSentKeyCheck();
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "AidTracker API";
        });
        app.UseAuthorization();
        app.UseQueryParameterRules();
        app.UseReadCaching();
        return app;
    }
}
