using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AidTracker.Api.Auth;
using AidTracker.Api.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Small body limits, so that a test can send a body past each: 2 KB of JSON, 4 KB of import.</summary>
public sealed class SmallBodiesFixture : ApiFixture
{
    public const int MaxBodyBytes = 2048, MaxImportBytes = 4096;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Limits:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:MaxBytes", MaxImportBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The documented statuses against the service. Each general rule (<see cref="OpenApiStatuses.Rules"/>) is provoked on
/// every operation it covers, found from the endpoints' metadata, and each status seen must be documented on the
/// operation that answered it; each operation documents a general status exactly where the document's own facts (a
/// body, a key, a required If-Match) say it can happen.
/// </summary>
public sealed class OpenApiStatusTests(SmallBodiesFixture app) : IClassFixture<SmallBodiesFixture>
{
    [Fact]
    public async Task Every_operation_documents_401_and_a_body_key_or_If_Match_status_exactly_where_it_has_one()
    {
        var document = await StatusDocument.ReadAsync(app);
        var failures = new List<string>();

        foreach (var (endpoint, method, name) in StatusDocument.Operations(app))
        {
            var operation = document.Operation(method, endpoint);
            var documented = StatusDocument.Statuses(operation);
            // Stated from the document itself, not from the rules (OpenApiStatuses.Implied would check the code against
            // itself): a status that needs a body, a key or If-Match is listed on exactly the operations that have one.
            var body = operation.ContainsKey("requestBody");
            var key = operation["security"]!.AsArray().Count > 0;
            var ifMatch = (operation["parameters"]?.AsArray() ?? []).Any(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "If-Match" && p["required"]?.GetValue<bool>() == true);
            foreach (var (status, applies) in new[] { (408, body), (413, body), (415, body), (403, key), (412, ifMatch), (428, ifMatch) })
            {
                if (documented.Contains(status) != applies) failures.Add($"{name} {(applies ? "does not document" : "documents")} {status}");
            }
            if (!documented.Contains(401)) failures.Add($"{name} does not document 401");
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Every_operation_answers_400_naming_a_query_parameter_it_does_not_take()
    {
        var document = await StatusDocument.ReadAsync(app);
        var admin = app.Admin();
        var operations = StatusDocument.Operations(app).ToList();

        foreach (var (endpoint, method, _) in operations)
        {
            // A body of the media type accepted, where one is read: the parameter is refused before anything looks at it.
            var body = endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts ? new StringContent("{}", Encoding.UTF8, accepts.ContentTypes[0]) : null;
            var response = await admin.SendAsync(new HttpMethod(method), endpoint.Path() + "?not_a_parameter=1", body);
            await response.AssertProblemNamingAsync("not_a_parameter");
            document.AssertDocuments(method, endpoint, 400);
        }

        Assert.Equal(document.Documenting(400).Order(), operations.Select(op => op.Name).Order());
    }

    [Fact]
    public async Task Every_operation_that_reads_a_body_answers_415_to_text_plain_and_413_to_a_body_past_its_limit()
    {
        var document = await StatusDocument.ReadAsync(app);
        var admin = app.Admin();
        var provoked = new List<string>();
        var tooLarge = new string('a', SmallBodiesFixture.MaxImportBytes + 1);

        foreach (var (endpoint, method, name) in StatusDocument.Operations(app).Where(op => op.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null))
        {
            var plain = await admin.SendAsync(new HttpMethod(method), endpoint.Path(), new StringContent("{}", Encoding.UTF8, "text/plain"));
            await plain.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
            document.AssertDocuments(method, endpoint, 415);

            // The media type the endpoint accepts, so that only the size is wrong.
            var accepted = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()!.ContentTypes[0];
            var large = await admin.SendAsync(new HttpMethod(method), endpoint.Path(), new StringContent(tooLarge, Encoding.UTF8, accepted));
            await large.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
            document.AssertDocuments(method, endpoint, 413);
            provoked.Add(name);
        }

        Assert.Contains("POST /api/v1/donations", provoked);
        Assert.Contains("POST /api/v1/imports/donations", provoked);
        Assert.Equal(document.Documenting(415).Order(), provoked.Order());
        Assert.Equal(document.Documenting(413).Order(), provoked.Order());
    }

    [Fact]
    public async Task Every_operation_answers_401_to_an_unknown_key_and_each_that_needs_one_401_without_it_and_403_to_a_weaker_role()
    {
        var document = await StatusDocument.ReadAsync(app);
        var unknown = app.WithKey("not-a-key");
        // The strongest key that a policy refuses.
        var weaker = new Dictionary<string, HttpClient> { [Policies.Editor] = app.WithKey(app.ReaderKey), [Policies.Reviewer] = app.Editor(), [Policies.Admin] = app.Editor() };
        var keyed = new List<string>();

        foreach (var (endpoint, method, name) in StatusDocument.Operations(app))
        {
            var refused = await unknown.SendAsync(new HttpMethod(method), endpoint.Path());
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            document.AssertDocuments(method, endpoint, 401);

            if (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not { Policy: { } policy }) continue;
            await (await app.Anonymous().SendAsync(new HttpMethod(method), endpoint.Path())).AssertProblemAsync(HttpStatusCode.Unauthorized);
            await (await weaker[policy].SendAsync(new HttpMethod(method), endpoint.Path())).AssertProblemAsync(HttpStatusCode.Forbidden);
            document.AssertDocuments(method, endpoint, 403);
            keyed.Add(name);
        }

        Assert.Contains("POST /api/v1/countries", keyed);
        Assert.Contains("DELETE /api/v1/donations/{id}", keyed);
        Assert.Equal(document.Documenting(403).Order(), keyed.Order());
    }

    [Fact]
    public async Task Every_operation_that_needs_If_Match_answers_428_without_it_and_412_to_an_ETag_that_is_not_current()
    {
        var document = await StatusDocument.ReadAsync(app);
        var editor = app.Editor();
        // A valid body and an existing record for each collection whose writes need If-Match.
        var bodies = new Dictionary<string, Func<System.Text.Json.Nodes.JsonObject>>
        {
            ["donations"] = () => Donations.Valid(), ["sources"] = SourceCrudTests.Valid, ["packages"] = () => PackageTests.Valid(),
        };
        var ids = new Dictionary<string, string>();
        foreach (var (collection, body) in bodies)
        {
            var created = await editor.PostAsync($"/api/v1/{collection}", Http.Json(body()));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids[collection] = (await created.ReadObjectAsync())["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        // A decision is a reviewer's, on a draft of its kind.
        foreach (var (collection, body) in bodies.ToList())
        {
            var draft = await app.Drafter().PostAsync($"/api/v1/{collection}", Http.Json(body()));
            ids[$"review/{collection}"] = (await draft.ReadObjectAsync())["id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
            bodies[$"review/{collection}"] = () => new System.Text.Json.Nodes.JsonObject { ["decision"] = "publish" };
        }
        var conditional = new List<string>();

        foreach (var (endpoint, method, name) in StatusDocument.Operations(app).Where(op => op.Endpoint.Metadata.OfType<RequestHeader>().Any(h => h.Name == "If-Match" && h.Required)))
        {
            var segments = endpoint.RoutePattern.RawText!.Split('/');
            var collection = segments[3] == "review" ? $"review/{segments[4]}" : segments[3];
            var path = endpoint.Path(new Dictionary<string, string> { ["id"] = ids[collection] });
            HttpContent? Body() => endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is null ? null
                : Http.Json(path.EndsWith("/deliveries", StringComparison.Ordinal) ? Donations.NewDelivery() : bodies[collection]());
            var writer = segments[3] == "review" ? app.Reviewer() : editor;
            await (await writer.SendAsync(new HttpMethod(method), path, Body())).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
            document.AssertDocuments(method, endpoint, 428);
            await (await writer.SendAsync(new HttpMethod(method), path, Body(), ifMatch: "\"not-current\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
            document.AssertDocuments(method, endpoint, 412);
            conditional.Add(name);
        }

        Assert.Equal(["DELETE /api/v1/donations/{id}", "DELETE /api/v1/packages/{id}", "DELETE /api/v1/sources/{id}", "POST /api/v1/donations/{id}/deliveries",
            "POST /api/v1/review/donations/{id}", "POST /api/v1/review/packages/{id}", "POST /api/v1/review/sources/{id}", "PUT /api/v1/donations/{id}", "PUT /api/v1/packages/{id}", "PUT /api/v1/sources/{id}"], conditional.Order());
        Assert.Equal(document.Documenting(428).Order(), conditional.Order());
        Assert.Equal(document.Documenting(412).Order(), conditional.Order());
    }
}

/// <summary>The rate limit's 429, on every operation that spends a budget, with small budgets (<see cref="SmallBudgetsFixture"/>).</summary>
public sealed class OpenApiRateLimitStatusTests(SmallBudgetsFixture app) : IClassFixture<SmallBudgetsFixture>
{
    [Fact]
    public async Task Every_operation_that_spends_a_budget_answers_429_once_it_is_spent_and_the_others_never_do()
    {
        var document = await StatusDocument.ReadAsync(app);
        var client = app.Anonymous();
        var limited = new List<string>();

        foreach (var (endpoint, method, name) in StatusDocument.Operations(app))
        {
            // The limiter runs before the key check and the body: a bare request spends the address's budget.
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 12 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
            {
                var response = await client.SendAsync(new HttpMethod(method), endpoint.Path());
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
                    Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{name}: 429 without Retry-After");
                    document.AssertDocuments(method, endpoint, 429);
                    limited.Add(name);
                }
            }
            Assert.True(statuses.Contains(HttpStatusCode.TooManyRequests) == RateLimits.SpendsBudget(endpoint.Metadata), $"{name} answered {string.Join(", ", statuses.Select(s => (int)s))}");
        }

        Assert.Contains("GET /api/v1/exports/donations.parquet", limited);
        Assert.DoesNotContain("GET /health/live", limited);
        Assert.Equal(document.Documenting(429).Order(), limited.Order());
    }
}

/// <summary>The served OpenAPI document, read for its operations' statuses, and the endpoints it documents.</summary>
public sealed class StatusDocument(JsonObject document)
{
    public static async Task<StatusDocument> ReadAsync(ApiFixture app) => new(await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json"));

    /// <summary>Each documented operation: its endpoint, method and name ("POST /api/v1/donations"), from the service's own routes.</summary>
    public static IEnumerable<(RouteEndpoint Endpoint, string Method, string Name)> Operations(ApiFixture app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<ApiAnswer>() is not null)
            .SelectMany(endpoint => endpoint.Methods().Where(method => method != "HEAD").Select(method => (endpoint, method, $"{method} {PathOf(endpoint)}")));

    public static string PathOf(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.Trim('/');

    public JsonObject Operation(string method, RouteEndpoint endpoint) =>
        document["paths"]?[PathOf(endpoint)]?[method.ToLowerInvariant()]?.AsObject() ?? throw new InvalidOperationException($"{method} {PathOf(endpoint)} is not documented");

    public static HashSet<int> Statuses(JsonObject operation) =>
        operation["responses"]!.AsObject().Select(response => response.Key).Where(key => int.TryParse(key, out _)).Select(int.Parse).ToHashSet();

    /// <summary>The operation documents <paramref name="status"/> as a problem.</summary>
    public void AssertDocuments(string method, RouteEndpoint endpoint, int status)
    {
        var response = Operation(method, endpoint)["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Assert.True(response is not null, $"{method} {PathOf(endpoint)} answered {status}, which it does not document");
        Assert.True(response!["content"]?["application/problem+json"] is not null, $"{method} {PathOf(endpoint)} documents {status} without a problem body");
    }

    /// <summary>The names of the operations that document <paramref name="status"/>.</summary>
    public IEnumerable<string> Documenting(int status) => document["paths"]!.AsObject()
        .SelectMany(path => path.Value!.AsObject()
            .Where(operation => operation.Value!["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not null)
            .Select(operation => $"{operation.Key.ToUpperInvariant()} {path.Key}"));
}
