using AidTracker.Api.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidTracker.Tests;

public sealed class OpenApiHeadersTests
{
    private static OperationFilterContext Context(params object[] metadata) => new(
        new ApiDescription { ActionDescriptor = new ActionDescriptor { EndpointMetadata = metadata.ToList() } },
        null!, new SchemaRepository(), new OpenApiDocument(), null!);

    private static OpenApiOperation Operation(params string[] statuses)
    {
        var responses = new OpenApiResponses();
        foreach (var status in statuses) responses[status] = new OpenApiResponse { Description = status };
        return new OpenApiOperation { Responses = responses };
    }

    [Fact]
    public void A_response_header_goes_on_the_statuses_it_names_that_the_operation_documents_and_no_other()
    {
        var operation = Operation("200", "304", "400");

        new OpenApiHeaders.Filter().Apply(operation, Context(
            new ResponseHeader("ETag", "validator", JsonSchemaType.String, [200, 304, 412]),
            new ResponseHeader("AidTracker-Row-Count", "rows", JsonSchemaType.Integer, [200])));

        Assert.Equal(["ETag", "AidTracker-Row-Count"], operation.Responses!["200"].Headers!.Keys);
        Assert.Equal(JsonSchemaType.Integer, operation.Responses["200"].Headers!["AidTracker-Row-Count"].Schema!.Type);
        Assert.Equal(["ETag"], operation.Responses["304"].Headers!.Keys);
        Assert.Null(operation.Responses["400"].Headers);
        Assert.False(operation.Responses.ContainsKey("412"));
    }

    [Fact]
    public void A_request_header_becomes_a_header_parameter_once_and_keeps_a_bound_one()
    {
        var operation = Operation("200");
        operation.Parameters = [new OpenApiParameter { Name = "Idempotency-Key", In = ParameterLocation.Header, Description = "bound" }];

        new OpenApiHeaders.Filter().Apply(operation, Context(
            new RequestHeader("If-Match", "etag", Required: true),
            new RequestHeader("idempotency-key", "declared", Required: false)));

        Assert.Equal(2, operation.Parameters.Count);
        Assert.Equal("bound", operation.Parameters[0].Description);
        var ifMatch = operation.Parameters[1];
        Assert.Equal(("If-Match", ParameterLocation.Header, true), (ifMatch.Name, ifMatch.In!.Value, ifMatch.Required));
    }

    [Fact]
    public void Only_a_file_download_has_its_304_listed_as_3XX_with_its_headers()
    {
        var file = Operation("200", "304");
        ((OpenApiResponse)file.Responses!["200"]).Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
        };
        var json = Operation("200", "304");
        ((OpenApiResponse)json.Responses!["200"]).Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
        };
        var etag = new ResponseHeader("ETag", "validator", JsonSchemaType.String, [304]);

        foreach (var operation in new[] { file, json })
        {
            new OpenApiHeaders.Filter().Apply(operation, Context(etag));
            new OpenApiHeaders.FileNotModifiedFilter().Apply(operation, Context(etag));
        }

        Assert.Equal(["200", "3XX"], file.Responses.Keys);
        Assert.Equal(["ETag"], file.Responses["3XX"].Headers!.Keys);
        Assert.Equal(["200", "304"], json.Responses.Keys);
    }
}
