using AidTracker.Api.Donations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidTracker.Tests;

/// <summary>The JSON options that Http sets and a feature adds to, as the running service has them.</summary>
public sealed class JsonOptionsTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public void The_donations_context_comes_first_so_their_responses_are_source_generated_and_reflection_serves_the_rest()
    {
        var options = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Same(DonationJsonContext.Default, options.TypeInfoResolverChain[0]);
        Assert.Same(DonationJsonContext.Default, options.GetTypeInfo(typeof(DonationResponse)).OriginatingResolver);
        Assert.NotNull(options.GetTypeInfo(typeof(AidTracker.Api.Releases.ReleaseResponse)));
        Assert.Equal(System.Text.Json.JsonNamingPolicy.SnakeCaseLower, options.PropertyNamingPolicy);
    }
}
