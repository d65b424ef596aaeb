using System.Security.Claims;
using System.Text.Encodings.Web;
using AidTracker.Api.Common;
using AidTracker.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Api.Auth;

public static class Policies
{
    public const string Editor = "editor";
    public const string Reviewer = "reviewer";
    public const string Admin = "admin";
}


/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. Reads are public; a write needs an active key of the right role. A key that
/// is sent is checked on every route, reads included: a malformed header or an unknown, revoked or expired key gets 401
/// saying which; a write without a key gets 401 too, the wrong role 403; all as problem+json.
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string OpenApiScheme = "bearer";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyRepository>();
        services.AddSingleton<KeyUseRecorder>();
        if (!BuildContext.IsGeneratingOpenApi) services.AddHostedService(provider => provider.GetRequiredService<KeyUseRecorder>());
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Editor, policy => policy.RequireRole(Role(ApiKeyRole.Editor), Role(ApiKeyRole.Reviewer), Role(ApiKeyRole.Admin)))
            .AddPolicy(Policies.Reviewer, policy => policy.RequireRole(Role(ApiKeyRole.Reviewer), Role(ApiKeyRole.Admin)))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Role(ApiKeyRole.Admin)));
        services.ConfigureSwaggerGen(options =>
        {
            options.AddSecurityDefinition(OpenApiScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key created with `dotnet run --project src/AidTracker.Api -- keys create --name NAME --role editor`.",
            });
            options.OperationFilter<SecurityRequirementFilter>();
        });
        return services;
    }

    /// <summary>
    /// Requires a key with the policy's role on every endpoint of the group. The 401 and 403 it answers are documented
    /// from the requirement (<see cref="OpenApiStatuses"/>).
    /// </summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group, string policy)
    {
        group.RequireAuthorization(policy);
        group.RequireCors(Hardening.WritePolicy);
        return group;
    }

    /// <summary>
    /// Answers 401 to a request whose Authorization header is malformed or names an unknown, revoked or expired key,
    /// whatever the route: a bad key is never ignored, and never served a cached answer (this runs before the output
    /// cache). After the rate limiter, so that guessing keys spends the address's budget: Program.cs passes it to
    /// <see cref="HttpPipeline.UseHttpPipeline"/> for that slot.
    /// </summary>
    public static WebApplication UseSentKeyCheck(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            // A header that did not authenticate always failed (the handler has no result only without one); the
            // challenge says why.
            if (http.Request.Headers.Authorization.Count > 0 && http.User.Identity?.IsAuthenticated != true)
            {
                await http.ChallengeAsync(Scheme);
                return;
            }
            await next(http);
        });
        return app;
    }

    private static string Role(ApiKeyRole role) => WireEnum<ApiKeyRole>.Name(role);

    private sealed class Handler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        ApiKeyRepository keys,
        KeyUseRecorder uses,
        IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private const string BearerPrefix = "Bearer ";

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var headers = Request.Headers.Authorization;
            if (headers.Count == 0) return AuthenticateResult.NoResult();
            if (headers.Count > 1) return AuthenticateResult.Fail("The request has more than one Authorization header: send one, 'Bearer <api key>'.");
            string header = headers[0] ?? "";
            if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header[BearerPrefix.Length..].Trim() is not { Length: > 0 } secret)
            {
                return AuthenticateResult.Fail("The Authorization header is malformed: it must be 'Bearer <api key>'. Public reads need no header at all.");
            }

            var key = await keys.FindAsync(secret, Context.RequestAborted);
            if (key is null) return AuthenticateResult.Fail("The API key is unknown.");
            if (keys.Refusal(key) is { } refusal) return AuthenticateResult.Fail(refusal);
            uses.Note(key.Id);

            var identity = new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role), new Claim("key_id", key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    // Editors, reviewers and admins see drafts; readers and the public do not.
                    new Claim(KeyRights.SeesDraftsClaim, key.Role == Role(ApiKeyRole.Reader) ? "false" : "true"),
                    new Claim(KeyRights.PublishesClaim, key.Publishes == 1 ? "true" : "false"),
                ],
                ApiKeyAuthentication.Scheme);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            var result = await HandleAuthenticateOnceSafeAsync();
            Response.Headers.WWWAuthenticate = "Bearer";
            await WriteProblemAsync(StatusCodes.Status401Unauthorized,
                result.Failure?.Message ?? "This operation needs an API key: send 'Authorization: Bearer <api key>'.");
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            WriteProblemAsync(StatusCodes.Status403Forbidden,
                $"The key '{Context.User.Identity?.Name}' has the role '{Context.User.FindFirstValue(ClaimTypes.Role)}', which may not do this.");

        private Task WriteProblemAsync(int status, string detail)
        {
            Response.StatusCode = status;
            Response.Headers.CacheControl = "no-store";
            return problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
            }).AsTask();
        }
    }

    /// <summary>
    /// Marks the operations that need a key with the bearer security requirement in the OpenAPI document, and the
    /// public ones with an empty list: the document then says of every operation whether it needs a key, rather than
    /// leaving a reader (and Redocly's security-defined rule) to guess from an absence.
    /// </summary>
    public sealed class SecurityRequirementFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            operation.Security ??= [];
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()) return;
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiScheme, context.Document)] = [] });
        }
    }
}
