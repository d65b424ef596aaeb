using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AidTracker.Api.Common;

/// <summary>
/// A closed set of wire values: enum names, categories, dimensions, intervals, sort keys. The one rule for all of them,
/// in queries, bodies, imports and verbs: input matches a value without regard to case, and only the value as
/// declared is ever written (responses, stored rows, history, exports). Nothing else matches: not a C# member name.
/// </summary>
public sealed class WireNames(IEnumerable<string> names) : IReadOnlyList<string>
{
    private readonly List<string> _names = names.ToList();

    /// <summary>
    /// The C# enum whose wire names these are, when there is one: a query parameter over the set then refers to the
    /// component the schema generator writes for it, the one its bodies refer to, so that a generated client has one
    /// type for it everywhere.
    /// </summary>
    public Type? Type { get; init; }

    /// <summary>
    /// The name of the set in the OpenAPI document when it has no C# enum (<see cref="Type"/>) but should still be one
    /// component enum: an id no C# type of the document uses, which the generator could write first.
    /// </summary>
    public string? SchemaId { get; init; }

    public bool TryMatch(string? text, [NotNullWhen(true)] out string? name)
    {
        name = text is null ? null : _names.Find(candidate => string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase));
        return name is not null;
    }

    /// <summary>The declared form of <paramref name="text"/>, or the text itself when it is none of these (a validator refuses it).</summary>
    public string? Canonical(string? text) => TryMatch(text, out var name) ? name : text;

    /// <summary>What a problem says when a value is none of these: "Use one of: a, b, c."</summary>
    public string UseOneOf => $"Use one of: {string.Join(", ", _names)}.";

    public string this[int index] => _names[index];

    public int Count => _names.Count;

    public IEnumerator<string> GetEnumerator() => _names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The snake_case wire and storage names of an enum, the same ones the JSON converter reads and writes.</summary>
public static class WireEnum<T> where T : struct, Enum
{
    private static readonly Dictionary<T, string> NamesByValue =
        Enum.GetValues<T>().ToDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly Dictionary<string, T> ValuesByName =
        NamesByValue.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The names, with the enum, whose component in the document they refer to.</summary>
    public static WireNames Names { get; } = new(NamesByValue.Values) { Type = typeof(T) };

    public static string Name(T value) => NamesByValue[value];

    /// <summary>Matches a wire name in any case (<c>at_least</c>, <c>AT_LEAST</c>); the C# name <c>AtLeast</c> is not one.</summary>
    public static bool TryParse(string? name, out T value)
    {
        value = default;
        return Names.TryMatch(name, out var canonical) && ValuesByName.TryGetValue(canonical, out value);
    }

    /// <summary>Parses a name read from storage, where the schema's CHECK constraints guarantee it is valid.</summary>
    public static T Parse(string name) =>
        TryParse(name, out var value) ? value : throw new InvalidOperationException($"'{name}' is not a {typeof(T).Name}.");
}

/// <summary>
/// Reads and writes every enum of the API by <see cref="WireEnum{T}"/>, in place of JsonStringEnumConverter, which
/// also accepts the C# member names (<c>AtLeast</c>, <c>Delivered</c>). A value that is not one of the wire names is a
/// <see cref="WireValueException"/> whose message lists them.
/// </summary>
public sealed class WireEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (WireEnum<T>.TryParse(text, out var value)) return value;
            var given = text is null ? $"A JSON {reader.TokenType.ToString().ToLowerInvariant()}" : $"'{text}'";
            throw new WireValueException($"{given} is not a value here. {WireEnum<T>.Names.UseOneOf}");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(WireEnum<T>.Name(value));
    }
}

/// <summary>A JSON value outside its closed set of wire names: its message is the client's to read, as it stands.</summary>
public sealed class WireValueException(string message) : JsonException(message);
