using System.Text.Json;

namespace AidTracker.Api.Infrastructure;

/// <summary>The snake_case wire and storage names of an enum, the same ones the JSON converter writes.</summary>
public static class WireEnum<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> NamesByValue =
        Enum.GetValues<T>().ToDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly Dictionary<string, T> ValuesByName =
        NamesByValue.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ValuesByName.Keys;

    public static string Name(T value) => NamesByValue[value];

    public static bool TryParse(string? name, out T value) => ValuesByName.TryGetValue(name ?? "", out value);

    /// <summary>Parses a name read from storage, where the schema's CHECK constraints guarantee it is valid.</summary>
    public static T Parse(string name) =>
        TryParse(name, out var value) ? value : throw new InvalidOperationException($"'{name}' is not a {typeof(T).Name}.");
}
