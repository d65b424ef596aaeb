using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class OpenApiDocumentTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Swagger_ui_and_the_openapi_document_are_served()
    {
        var ui = await app.Anonymous().GetAsync("/swagger/index.html");
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.True(document["paths"]!.AsObject().ContainsKey("/api/v1/donations/{id}/history"));
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_document_lists_401_on_every_operation_and_408_on_every_one_that_reads_a_body()
    {
        var document = await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Name: $"{operation.Key} {path.Key}", Operation: operation.Value!.AsObject())))
            .ToList();

        Assert.All(operations, op => Assert.True(op.Operation["responses"]!.AsObject().ContainsKey("401"), $"{op.Name} lists no 401"));
        var withBody = operations.Where(op => op.Operation.ContainsKey("requestBody")).ToList();
        Assert.NotEmpty(withBody);
        Assert.All(withBody, op => Assert.True(op.Operation["responses"]!.AsObject().ContainsKey("408"), $"{op.Name} lists no 408"));
    }
}
