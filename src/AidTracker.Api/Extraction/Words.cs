using System.Text.RegularExpressions;

namespace AidTracker.Api.Extraction;

/// <summary>
/// A word of a text, with its offsets (UTF-16 code units, as the API reports them). <see cref="Exact"/> is the word
/// without inner dots and without a possessive 's (<c>U.S.</c> → <c>US</c>, <c>Estonia's</c> → <c>Estonia</c>);
/// <see cref="Lower"/> is that in lower case, what most names are matched on.
/// </summary>
public sealed record Word(int Start, int End, string Text, string Exact, string Lower, bool Possessive)
{
    /// <summary>Whether the word is a number written in digits (<c>500</c>, <c>1,000</c>, <c>2.5</c>).</summary>
    public bool IsDigits => char.IsAsciiDigit(Text[0]) && Text.All(c => char.IsAsciiDigit(c) || c is ',' or '.');
}

/// <summary>Splits text into <see cref="Word"/>s and the punctuation between them.</summary>
public static partial class Words
{
    /// <summary>
    /// A number with thousands separators, or a run of letters and digits joined by hyphens, apostrophes, inner dots or
    /// slashes (<c>surface-to-air</c>, <c>FIM-92</c>, <c>U.S</c>, <c>Estonia's</c>), or one punctuation mark.
    /// </summary>
    [GeneratedRegex(@"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[\p{L}\p{N}]+(?:[-'’./][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>The words and punctuation marks of <paramref name="text"/> between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static List<Word> Of(string text, int start, int end)
    {
        var words = new List<Word>();
        foreach (var match in Token().EnumerateMatches(text.AsSpan(start, end - start)))
        {
            var at = start + match.Index;
            var value = text.Substring(at, match.Length);
            var possessive = value.Length > 2 && (value.EndsWith("'s", StringComparison.Ordinal) || value.EndsWith("’s", StringComparison.Ordinal));
            var stem = possessive ? value[..^2] : value;
            var exact = stem.Length > 1 && char.IsLetter(stem[0]) ? stem.Replace(".", "", StringComparison.Ordinal) : stem;
            words.Add(new Word(at, at + match.Length, value, exact, exact.ToLowerInvariant(), possessive));
        }
        return words;
    }
}
