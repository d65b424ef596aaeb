using AidTracker.Api.Infrastructure;

namespace AidTracker.Api.Auth;

/// <summary><c>keys create --name NAME --role reader|editor|admin</c>, <c>keys list</c>, <c>keys revoke --name NAME</c>.</summary>
public static class KeyCommands
{
    public const string Usage = """
        keys create --name NAME --role reader|editor|admin   creates a key and prints its secret, once
        keys list                                            lists keys (never their secrets)
        keys revoke --name NAME                              revokes the active key with that name
        """;

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var keys = services.GetRequiredService<ApiKeyRepository>();
        var options = CommandOptions.Parse(args.Skip(1));
        switch (args.FirstOrDefault())
        {
            case "create" when options.TryGetValue("name", out var name) && options.TryGetValue("role", out var roleName):
                if (name.Length is 0 or > 100) return Fail(error, "--name must be 1 to 100 characters.");
                if (!WireEnum<ApiKeyRole>.TryParse(roleName, out var role)) return Fail(error, $"--role must be one of: {string.Join(", ", WireEnum<ApiKeyRole>.Names)}.");
                if (await keys.CreateAsync(name, role, CancellationToken.None) is not { } created)
                {
                    return Fail(error, $"An active key is already named '{name}'. Revoke it first, or choose another name.");
                }
                await output.WriteLineAsync($"Created key {created.Key.Id} '{created.Key.Name}' with role {created.Key.Role}. Its secret, shown only this once:");
                await output.WriteLineAsync(created.Secret);
                return 0;
            case "list" when options.Count == 0:
                await output.WriteLineAsync("id\tname\trole\tcreated_at\trevoked_at");
                foreach (var key in await keys.ListAsync(CancellationToken.None))
                {
                    await output.WriteLineAsync($"{key.Id}\t{key.Name}\t{key.Role}\t{key.CreatedAt}\t{key.RevokedAt}");
                }
                return 0;
            case "revoke" when options.TryGetValue("name", out var name):
                if (!await keys.RevokeAsync(name, CancellationToken.None)) return Fail(error, $"No active key is named '{name}'.");
                await output.WriteLineAsync($"Revoked the key named '{name}'.");
                return 0;
            default:
                return Fail(error, "Usage:\n" + Usage);
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return 2;
    }
}
