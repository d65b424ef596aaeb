using System.Globalization;
using System.Reflection;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;

namespace AidTracker.Api.Http;

/// <summary>
/// What a text field may hold: any character but a control character (Unicode category Cc: U+0000 to U+001F and
/// U+007F to U+009F, NUL among them), except tab, line feed, and a carriage return that ends a line (CR LF, as text
/// pasted from Windows has). A lone CR is refused: it is a line break to some readers and none to others. Format
/// characters and U+2028/U+2029 are text; an unpaired surrogate never gets this far (the JSON reader refuses it).
/// </summary>
public static class PlainText
{
    /// <summary>Where the first character that text may not hold is, or -1.</summary>
    public static int FirstRefused(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsControl(c) || c is '\t' or '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')) continue;
            return i;
        }
        return -1;
    }

    public static bool IsPlain(string? text) => text is null || FirstRefused(text) < 0;

    /// <summary>Why <paramref name="text"/> is refused, naming <paramref name="field"/>, the character and where it is.</summary>
    public static string Refusal(string field, string text)
    {
        var at = FirstRefused(text);
        return $"'{field}' holds the control character U+{((int)text[at]).ToString("X4", CultureInfo.InvariantCulture)} at position {at}. Text may hold tab and line breaks (LF or CR LF), no other control character.";
    }
}

/// <summary>
/// The validator of a request body: <see cref="PlainText"/> on every string property of the request first, so that a
/// text field added later is checked without anyone remembering to, then its own rules. The same validator checks an
/// imported CSV row, so its cells meet the same rule.
/// </summary>
public abstract class RequestValidator<T> : AbstractValidator<T>
{
    private static readonly (PropertyInfo Property, string Field)[] TextProperties = typeof(T).GetProperties()
        .Where(property => property.PropertyType == typeof(string))
        .Select(property => (property, JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)))
        .ToArray();

    /// <summary>
    /// Names every text field that holds a control character, and then stops: such text goes no further, to no rule
    /// that looks it up in the database (PostgreSQL refuses a NUL in text outright).
    /// </summary>
    protected override bool PreValidate(ValidationContext<T> context, ValidationResult result)
    {
        foreach (var (property, field) in TextProperties)
        {
            if (property.GetValue(context.InstanceToValidate) is string text && !PlainText.IsPlain(text))
            {
                result.Errors.Add(new ValidationFailure(field, PlainText.Refusal(field, text)));
            }
        }
        return result.Errors.Count == 0;
    }
}
