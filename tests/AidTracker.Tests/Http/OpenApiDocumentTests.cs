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
    public async Task Every_operation_says_whether_it_needs_a_key_writes_the_bearer_requirement_reads_an_empty_list()
    {
        var operations = Operations(await DocumentAsync()).ToList();

        Assert.All(operations, op =>
        {
            var security = op.Operation["security"]?.ToJsonString();
            // Reads are public, but for the review queue and extractions: drafts are not.
            var keyed = !op.Name.StartsWith("get ", StringComparison.Ordinal) || op.Name is "get /api/v1/review" or "get /api/v1/extractions/{id}";
            Assert.True(security == (keyed ? """[{"bearer":[]}]""" : "[]"), $"{op.Name} has security {security ?? "(none)"}");
        });
        Assert.Contains(operations, op => op.Operation["security"]!.AsArray().Count == 0);
        Assert.Contains(operations, op => op.Operation["security"]!.AsArray().Count == 1);
    }

    [Fact]
    public async Task Every_tag_an_operation_uses_is_listed_with_a_description()
    {
        var document = await DocumentAsync();
        var described = document["tags"]!.AsArray()
            .Where(tag => !string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>()))
            .Select(tag => tag!["name"]!.GetValue<string>())
            .ToHashSet();

        var used = Operations(document).SelectMany(op => op.Operation["tags"]!.AsArray().Select(tag => tag!.GetValue<string>())).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, tag => Assert.Contains(tag, described));
    }

    private async Task<JsonObject> DocumentAsync() => await app.Anonymous().GetJsonAsync<JsonObject>("/swagger/v1/swagger.json");

    private static JsonObject Operation(JsonObject document, string method, string path) => document["paths"]![path]![method]!.AsObject();

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) => document["paths"]!.AsObject()
        .SelectMany(path => path.Value!.AsObject().Select(operation => ($"{operation.Key} {path.Key}", operation.Value!.AsObject())));

    private static IEnumerable<string> HeaderParameters(JsonObject operation) =>
        (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>());

    /// <summary>The key of the operation's 304: 304, or 3XX on a file download.</summary>
    private static string? NotModified(JsonObject operation) =>
        new[] { "304", "3XX" }.FirstOrDefault(operation["responses"]!.AsObject().ContainsKey);

    private static IEnumerable<string> ResponseHeaders(JsonObject operation, string status) =>
        operation["responses"]![status]!["headers"]?.AsObject().Select(header => header.Key) ?? [];

    [Theory]
    [InlineData("/api/v1/exports/donations.csv")]
    [InlineData("/api/v1/exports/donations.ndjson")]
    [InlineData("/api/v1/exports/donations.parquet")]
    [InlineData("/api/v1/codebook.csv")]
    [InlineData("/api/v1/codebook.md")]
    public async Task A_file_download_is_documented_as_a_binary_body_of_the_media_type_the_service_sends(string path)
    {
        var document = await DocumentAsync();
        var content = Operation(document, "get", path)["responses"]!["200"]!["content"]!.AsObject();

        var response = await app.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (mediaType, body) = Assert.Single(content);
        Assert.Equal(response.Content.Headers.ContentType!.ToString(), mediaType);
        Assert.Equal("string", body!["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("binary", body["schema"]!["format"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/exports/donations.csv")]
    [InlineData("/api/v1/exports/donations.parquet")]
    [InlineData("/api/v1/codebook.md")]
    public async Task A_file_download_lists_the_304_it_answers_as_3XX_so_that_Kiota_returns_its_body(string path)
    {
        var document = await DocumentAsync();
        var responses = Operation(document, "get", path)["responses"]!.AsObject();
        var first = await app.Anonymous().GetAsync(path);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        var again = await app.Anonymous().SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.False(responses.ContainsKey("304"));
        Assert.Contains("ETag", ResponseHeaders(Operation(document, "get", path), "3XX"));
        Assert.True(Operation(document, "get", "/api/v1/donations")["responses"]!.AsObject().ContainsKey("304"), "a JSON read keeps its 304");
    }

    [Fact]
    public async Task The_csv_import_body_is_documented_as_a_binary_text_csv_file()
    {
        var document = await DocumentAsync();
        var content = Operation(document, "post", "/api/v1/imports/donations")["requestBody"]!["content"]!.AsObject();

        var (mediaType, body) = Assert.Single(content);
        Assert.Equal("text/csv", mediaType);
        Assert.Equal("binary", body!["schema"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_headers_the_code_reads_are_parameters_of_the_operations_that_read_them()
    {
        var document = await DocumentAsync();

        foreach (var method in new[] { "put", "delete" })
        {
            var ifMatch = (Operation(document, method, "/api/v1/donations/{id}")["parameters"]!.AsArray())
                .Single(p => p!["name"]!.GetValue<string>() == "If-Match" && p["in"]!.GetValue<string>() == "header");
            Assert.True(ifMatch!["required"]!.GetValue<bool>(), $"If-Match is not required on {method}");
        }
        Assert.Contains("Idempotency-Key", HeaderParameters(Operation(document, "post", "/api/v1/donations")));
        Assert.Contains("Idempotency-Key", HeaderParameters(Operation(document, "post", "/api/v1/imports/donations")));
        var cached = Operations(document).Where(op => NotModified(op.Operation) is not null).ToList();
        Assert.Contains(cached, op => op.Name == "get /api/v1/donations/{id}");
        Assert.All(cached, op => Assert.Contains("If-None-Match", HeaderParameters(op.Operation)));
        Assert.DoesNotContain("If-None-Match", HeaderParameters(Operation(document, "post", "/api/v1/donations")));
    }

    [Fact]
    public async Task The_response_headers_the_code_sets_are_declared_on_the_statuses_that_carry_them()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();

        foreach (var (status, header) in new[] { ("401", "WWW-Authenticate"), ("429", "Retry-After"), ("503", "Retry-After") })
        {
            var with = operations.Where(op => op.Operation["responses"]!.AsObject().ContainsKey(status)).ToList();
            Assert.NotEmpty(with);
            Assert.All(with, op => Assert.True(ResponseHeaders(op.Operation, status).Contains(header), $"{op.Name} {status} has no {header}"));
        }
        Assert.All(operations.Where(op => NotModified(op.Operation) is not null),
            op => Assert.Contains("ETag", ResponseHeaders(op.Operation, NotModified(op.Operation)!)));
        Assert.Equal(["Location", "ETag", "Idempotent-Replayed"], ResponseHeaders(Operation(document, "post", "/api/v1/donations"), "201"));
        Assert.Equal(["Location", "Idempotent-Replayed"], ResponseHeaders(Operation(document, "post", "/api/v1/imports/donations"), "201"));
        Assert.Contains("ETag", ResponseHeaders(Operation(document, "put", "/api/v1/donations/{id}"), "200"));
        Assert.Contains("ETag", ResponseHeaders(Operation(document, "put", "/api/v1/donations/{id}"), "412"));
        Assert.Contains("ETag", ResponseHeaders(Operation(document, "get", "/api/v1/donations/{id}"), "200"));
        Assert.Contains("Link", ResponseHeaders(Operation(document, "get", "/api/v1/donations"), "200"));
        foreach (var export in new[] { "csv", "ndjson", "parquet" })
        {
            Assert.Superset(
                new HashSet<string> { "Content-Disposition", "Repr-Digest", "AidTracker-Row-Count", "AidTracker-As-Of", "AidTracker-Release" },
                ResponseHeaders(Operation(document, "get", $"/api/v1/exports/donations.{export}"), "200").ToHashSet());
        }
    }

    [Fact]
    public async Task An_export_sends_every_header_its_200_declares_but_the_release_it_was_not_asked_for()
    {
        var document = await DocumentAsync();
        var declared = ResponseHeaders(Operation(document, "get", "/api/v1/exports/donations.csv"), "200").ToList();

        var response = await app.Anonymous().GetAsync("/api/v1/exports/donations.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(declared.Where(name => name != "AidTracker-Release"), name => Assert.Contains(name, sent));
    }
}
