namespace AidTracker.Api.Extraction;

/// <summary>A stretch of the text: from <see cref="Start"/> to <see cref="End"/> (exclusive), in UTF-16 code units.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public string Of(string text) => text[Start..End];
}

/// <summary>
/// Splits a text into sentences: at a full stop, question or exclamation mark followed by a space and a capital, a
/// digit or a quotation mark, and at every line break (a heading, a paragraph). Not after an abbreviation or an
/// initial (<c>Mr.</c>, <c>Feb.</c>, <c>U.S.</c>, <c>J.</c>). Spans are trimmed of white space.
/// </summary>
public static class Sentences
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "adm", "gov", "sen", "rep", "st", "no",
        "vs", "etc", "e.g", "i.e", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    };

    public static List<TextSpan> Of(string text)
    {
        var spans = new List<TextSpan>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                Add(spans, text, start, i);
                start = i + 1;
            }
            else if (c is '.' or '!' or '?' && EndsSentence(text, i))
            {
                // A closing quotation mark or bracket belongs to the sentence it ends.
                var end = i + 1;
                while (end < text.Length && text[end] is '"' or '”' or '’' or '\'' or ')') end++;
                Add(spans, text, start, end);
                start = end;
                i = end - 1;
            }
        }
        Add(spans, text, start, text.Length);
        return spans;
    }

    private static bool EndsSentence(string text, int at)
    {
        var next = at + 1;
        while (next < text.Length && text[next] is '"' or '”' or '’' or '\'' or ')') next++;
        if (next >= text.Length) return true;
        if (!char.IsWhiteSpace(text[next])) return false;
        while (next < text.Length && text[next] is ' ' or '\t') next++;
        if (next >= text.Length || text[next] is '\n' or '\r') return true;
        var following = text[next];
        if (!(char.IsUpper(following) || char.IsDigit(following) || following is '"' or '“' or '‘' or '\'' or '(')) return false;
        if (text[at] != '.') return true;
        // The word before the full stop: an abbreviation or a single initial does not end a sentence.
        var wordStart = at;
        while (wordStart > 0 && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.')) wordStart--;
        var word = text[wordStart..at];
        return !(Abbreviations.Contains(word) || word.Length == 1 && char.IsUpper(word[0]) || word.Contains('.', StringComparison.Ordinal) && word.Length <= 4);
    }

    private static void Add(List<TextSpan> spans, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add(new TextSpan(start, end));
    }
}
