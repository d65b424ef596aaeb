using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AidTracker.Api.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AidTracker.Tests;

/// <summary>The service with every log category at Trace, each line (message, state, exception and scopes) captured.</summary>
public sealed class LogCapturingFixture : ApiFixture
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // As an operator who turns every log up: nothing may depend on a log level being off.
        builder.UseSetting("Logging:LogLevel:Default", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Trace");
        builder.UseSetting("Logging:LogLevel:AidTracker.Api.Requests", "Trace");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Category, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new List<string?> { formatter(state, exception), state?.ToString(), exception?.ToString() };
            AddValues(text, state);
            owner._scopes.ForEachScope((scope, list) =>
            {
                list.Add(scope?.ToString());
                AddValues(list, scope);
            }, text);
            owner.Lines.Enqueue((category, string.Join("\n", text)));
        }

        private static void AddValues(List<string?> text, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values) text.AddRange(values.Select(value => $"{value.Key}={value.Value}"));
        }
    }
}

public sealed class SecretLoggingTests(LogCapturingFixture app) : IClassFixture<LogCapturingFixture>
{
    [Fact]
    public async Task No_secret_sent_in_a_query_string_a_header_or_a_body_reaches_any_log()
    {
        var keys = app.Services.GetRequiredService<ApiKeyRepository>();
        var valid = (await keys.CreateAsync("logged-key", ApiKeyRole.Editor, default))!.Value.Secret;
        var unknown = ApiKeyRepository.SecretPrefix + Guid.NewGuid().ToString("N");
        var anonymous = app.Anonymous();

        foreach (var secret in new[] { valid, unknown })
        {
            foreach (var name in new[] { "key", "api_key", "apikey", "api-key", "access_token", "token", "auth", "authorization" })
            {
                var response = await anonymous.GetAsync($"/api/v1/donations?{name}={Uri.EscapeDataString(secret)}");
                var problem = await response.AssertProblemNamingAsync(name);
                Assert.Contains("Authorization", problem["errors"]![name]![0]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.DoesNotContain(secret, problem.ToJsonString(), StringComparison.Ordinal);
            }
            await (await anonymous.GetAsync($"/api/v1/donations?{secret}")).AssertProblemAsync(HttpStatusCode.BadRequest);
            await (await anonymous.GetAsync($"/api/v1/countries/POL?limit={secret}")).AssertProblemAsync(HttpStatusCode.BadRequest);

            foreach (var header in new[] { $"Bearer {secret}", $"Basic {secret}", secret, $"Bearer {secret} {secret}" })
            {
                var client = app.Anonymous();
                client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
                await client.GetAsync("/api/v1/donations?limit=1");
                await client.PostAsync("/api/v1/donations", Http.Json(Donations.Valid()));
            }

            var editor = app.WithKey(valid);
            await (await editor.PostAsync("/api/v1/donations", Http.Json(new JsonObject { ["api_key"] = secret }))).AssertProblemAsync(HttpStatusCode.BadRequest);
            await (await editor.PostAsync("/api/v1/donations", Http.Json($"{{\"donor\": \"{secret}\""))).AssertProblemAsync(HttpStatusCode.BadRequest);
            await (await editor.PostAsync("/api/v1/donations", Http.Json(Donations.Valid(donor: secret)))).AssertProblemAsync(HttpStatusCode.BadRequest);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(valid).GetAsync("/api/v1/donations?limit=1")).StatusCode);

        var lines = app.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Text.Contains("/api/v1/donations", StringComparison.Ordinal));
        foreach (var secret in new[] { valid, unknown })
        {
            var leaks = lines.Where(line => line.Text.Contains(secret, StringComparison.Ordinal) || line.Text.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"{leaks.Count} log lines carry a secret, in {string.Join(", ", leaks.Select(line => line.Category).Distinct())}: {string.Join(" | ", leaks.Take(3))}");
        }
    }

    [Fact]
    public async Task The_request_log_names_a_head_as_head_without_its_query()
    {
        await app.Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/countries?q=logged-head"));

        var line = Assert.Single(app.Logs.Lines, line => line.Category == "AidTracker.Api.Requests" && line.Text.Contains("/api/v1/countries ", StringComparison.Ordinal) && line.Text.StartsWith("HEAD", StringComparison.Ordinal));
        Assert.DoesNotContain("logged-head", line.Text, StringComparison.Ordinal);
    }
}
