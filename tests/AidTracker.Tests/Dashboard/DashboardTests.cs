using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace AidTracker.Tests;

/// <summary>The dashboard's files as the service serves them. The page itself is tested in chromium: scripts/browser-test.</summary>
public sealed partial class DashboardTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_root_serves_the_dashboard_under_a_self_only_content_policy()
    {
        var response = await app.Anonymous().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/", "/app.js")]
    [InlineData("/review.html", "/review.js")]
    public async Task Every_file_a_page_names_is_served_from_this_origin(string page, string script)
    {
        var html = await app.Anonymous().GetStringAsync(page);
        var references = Reference().Matches(html).Select(match => match.Groups["url"].Value).ToList();

        Assert.Contains(script, references);
        Assert.Contains("/app.css", references);
        foreach (var url in references.Where(url => !url.StartsWith('#')))
        {
            Assert.StartsWith("/", url);
            Assert.False(url.StartsWith("//", StringComparison.Ordinal), url);
            if (url == "/swagger") continue;
            Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync(url)).StatusCode);
        }
    }

    [Fact]
    public async Task The_script_is_compressed_for_clients_that_accept_it()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        var response = await client.GetAsync("/app.js");

        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
    }

    [GeneratedRegex(@"\s(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex Reference();
}
