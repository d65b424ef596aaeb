using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using FluentValidation;

namespace AidTracker.Api.Infrastructure;

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
/// The validator of a request body: its own rules, and <see cref="PlainText"/> on every string property of the
/// request, so that a text field added later is checked without anyone remembering to. The same validator checks an
/// imported CSV row, so its cells meet the same rule.
/// </summary>
public abstract class RequestValidator<T> : AbstractValidator<T>
{
    protected RequestValidator()
    {
        foreach (var property in typeof(T).GetProperties().Where(property => property.PropertyType == typeof(string)))
        {
            var request = Expression.Parameter(typeof(T));
            var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            RuleFor(Expression.Lambda<Func<T, string?>>(Expression.Property(request, property), request))
                .Must(PlainText.IsPlain)
                .WithMessage((_, text) => PlainText.Refusal(field, text!));
        }
    }
}
