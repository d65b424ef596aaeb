using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Every problem has a <c>type</c> (RFC 9457), whichever status it has and whichever part of the service writes it.</summary>
public sealed class ProblemTypeTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_problem_status_an_endpoint_declares_is_written_with_the_type_of_its_rfc_section()
    {
        var statuses = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(endpoint => endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
            .Where(produces => produces.Type is { } type && typeof(ProblemDetails).IsAssignableFrom(type))
            .Select(produces => produces.StatusCode)
            .Append(StatusCodes.Status413PayloadTooLarge) // Hardening's body limit, on every route
            .Distinct()
            .Order()
            .ToList();
        Assert.Contains(StatusCodes.Status428PreconditionRequired, statuses);
        Assert.Contains(StatusCodes.Status429TooManyRequests, statuses);

        foreach (var status in statuses)
        {
            var problem = await WriteAsync(status);
            var type = problem["type"]?.GetValue<string>();
            Assert.True(type is not null && type.StartsWith("https://tools.ietf.org/html/rfc", StringComparison.Ordinal), $"{status}: {problem.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData(StatusCodes.Status428PreconditionRequired, "https://tools.ietf.org/html/rfc6585#section-3")]
    [InlineData(StatusCodes.Status429TooManyRequests, "https://tools.ietf.org/html/rfc6585#section-4")]
    [InlineData(StatusCodes.Status410Gone, "https://tools.ietf.org/html/rfc9110#section-15.5.11")]
    [InlineData(StatusCodes.Status413PayloadTooLarge, "https://tools.ietf.org/html/rfc9110#section-15.5.14")]
    public async Task A_status_that_aspnet_core_leaves_without_a_type_gets_its_rfc_section(int status, string type)
    {
        var problem = await WriteAsync(status);

        Assert.Equal(type, problem["type"]!.GetValue<string>());
    }

    /// <summary>Writes a bare problem of <paramref name="status"/> as the service writes every problem, and reads it back.</summary>
    private async Task<JsonObject> WriteAsync(int status)
    {
        using var scope = app.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Response.Body = new MemoryStream();
        http.Response.StatusCode = status;
        var written = await scope.ServiceProvider.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status },
        });
        Assert.True(written);
        http.Response.Body.Position = 0;
        return JsonNode.Parse(http.Response.Body)!.AsObject();
    }
}
