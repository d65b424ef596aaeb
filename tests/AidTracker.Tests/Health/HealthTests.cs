using System.Net;
using System.Text.Json.Nodes;

namespace AidTracker.Tests;

public sealed class HealthTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Health_live_and_ready_answer_200()
    {
        Assert.Equal("live", (await app.Anonymous().GetJsonAsync<JsonObject>("/health/live"))["status"]!.GetValue<string>());
        Assert.Equal("ready", (await app.Anonymous().GetJsonAsync<JsonObject>("/health/ready"))["status"]!.GetValue<string>());
    }
}
