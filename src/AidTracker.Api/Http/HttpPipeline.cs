using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AidTracker.Api.Common;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Complete);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddRequestLog();
        services.TryAddSingleton(TimeProvider.System);
        ApiConventions.ConfigureFluentValidation();

        // Swashbuckle reads MVC's JSON options, not minimal APIs'; give it ours (with what the features added to them)
        // so that the document says snake_case.
        services.AddSingleton<ISerializerDataContractResolver>(provider =>
            new JsonSerializerDataContractResolver(provider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
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
            options.SupportNonNullableReferenceTypes();
            options.MapType<decimal>(ResponseSchemas.Decimal);
            options.OperationFilter<OpenApiHeaders.Filter>();
            options.OperationFilter<QueryValueMetadata.Filter>();
            options.OperationFilter<OpenApiHeaders.FileNotModifiedFilter>();
            options.OperationFilter<OpenApiStatuses.Order>();
            options.SchemaFilter<ValidatorSchemas.Filter>();
            options.SchemaFilter<ResponseSchemas.Filter>();
            options.SchemaFilter<ComponentSchemas>();
            options.DocumentFilter<OpenApiTags.Filter>();
            options.DocumentFilter<Problems.Document>();
            options.DocumentFilter<ResponseSchemas.Unreferenced>();
        });
        return services;
    }

    /// <summary>
    /// The wire's JSON rules. Types are read by reflection (ASP.NET Core's default resolver); a feature whose responses
    /// are hot puts its source-generated context first in <see cref="JsonSerializerOptions.TypeInfoResolverChain"/>
    /// itself (<see cref="AddJsonContext"/>).
    /// </summary>
    private static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new WireEnumConverter());
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>
    /// Puts <paramref name="context"/> first among the JSON resolvers of minimal APIs (and so of the OpenAPI document),
    /// ahead of reflection: the types it holds are serialised by its generated code.
    /// </summary>
    public static IServiceCollection AddJsonContext(this IServiceCollection services, IJsonTypeInfoResolver context) =>
        services.Configure<JsonOptions>(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, context));

    /// <summary>
    /// The middleware, in order: the request log (no query strings), HEAD as GET, routing, errors, then authentication,
    /// the rate limits and <paramref name="afterRateLimits"/> (the check of a key that was sent: a bad one is a 401 on
    /// every route, before the output cache could answer, and guessing keys spends the address's budget), then Swagger
    /// and the rest.
    /// </summary>
    public static WebApplication UseHttpPipeline(this WebApplication app, Action<WebApplication> afterRateLimits)
    {
        app.UseRequestLog();
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHardening();
        app.UseAuthentication();
        app.UseRateLimiter();
        afterRateLimits(app);
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
