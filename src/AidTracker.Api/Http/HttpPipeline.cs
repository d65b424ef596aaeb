using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AidTracker.Api.Common;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
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

    /// <summary>The database of <c>Database:Provider</c>, and the start-up work that prepares it.</summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.Provider is "sqlite" or "postgres", "Database:Provider must be sqlite or postgres.")
            .Validate(o => o.Provider != "postgres" || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:Provider is postgres: set Database:ConnectionString to the primary's Npgsql connection string.")
            .Validate(o => o.Provider != "sqlite" || (o.ConnectionString is null && o.ReadConnectionString is null),
                "Database:ConnectionString and Database:ReadConnectionString are for Database:Provider=postgres; SQLite takes Database:Path.")
            .ValidateOnStart();
        var databasePath = Path.GetFullPath(options.Path, environment.ContentRootPath);
        // Through IOptions, so that a bad Database section fails with the validation's message wherever it is first
        // used (at start-up, or in a verb, which does not start the host).
        services.AddSingleton<Database>(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value switch
        {
            { Provider: "postgres" } postgres => new PostgresDatabase(postgres.ConnectionString!, postgres.ReadConnectionString),
            var sqlite => new SqliteDatabase(databasePath, sqlite.BusyTimeoutMilliseconds),
        });
        // ASP.NET Core's data protection (which authentication brings along) would otherwise keep its key ring in the
        // user's home folder: the fuzz suite caught the service writing outside its data folder. Nothing here
        // protects data today; if something ever does, its keys live beside the database.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetDirectoryName(databasePath)!, "data-protection-keys")));
        services.AddSingleton(new ScratchFiles(Path.Combine(Path.GetDirectoryName(databasePath)!, "scratch")));
        services.AddSingleton<DatabaseInitializer>();
        if (!BuildContext.IsGeneratingOpenApi)
        {
            services.AddHostedService(provider => provider.GetRequiredService<ScratchFiles>());
            services.AddHostedService(provider => provider.GetRequiredService<DatabaseInitializer>());
        }
        return services;
    }
}

public static class BuildContext
{
    /// <summary>True while the build runs the app to write openapi/openapi.json: no database is touched then.</summary>
    public static bool IsGeneratingOpenApi =>
        string.Equals(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);
}
