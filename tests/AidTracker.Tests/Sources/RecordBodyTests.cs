using System.Net;
using System.Text;

namespace AidTracker.Tests;

/// <summary>A JSON null as the body of a source's or a package's write is a 400 naming the body, as for donations (the fuzz suite found a 500).</summary>
public sealed class RecordBodyTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/api/v1/sources")]
    [InlineData("/api/v1/packages")]
    public async Task A_null_body_is_a_400_naming_the_body_on_create_and_replace(string collection)
    {
        foreach (var (method, path) in new[] { (HttpMethod.Post, collection), (HttpMethod.Put, $"{collection}/1") })
        {
            var response = await app.Editor().SendAsync(method, path, new StringContent("null", Encoding.UTF8, "application/json"), ifMatch: "\"1\"");

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]?["body"]);
        }
    }
}
