using System.Globalization;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Extraction;

/// <summary>A quantity read before a weapon system's name: its number (null when undisclosed), its qualifier, and the words that gave it.</summary>
public sealed record QuantityReading(long? Quantity, QuantityQualifier Qualifier, int First, int Last);

/// <summary>
/// Reads the quantity of the items a name stands for, from the words before it: "500 Stinger", "nine D-30
/// howitzers", "1,000 anti-tank weapons", "8 million rounds of ammunition", "a Patriot battery" (one). Words before
/// the number qualify it: "at least", "more than", "over" (at least); "about", "around", "up to" (approximate). A
/// vague amount ("dozens of", "several") is undisclosed. Nothing else is a quantity: a number must stand right before
/// the name, with at most a few describing words and a unit ("rounds of") between, so that dates, money, calibres and
/// troop counts elsewhere in the sentence are never read.
/// </summary>
public static class Quantities
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15,
        ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40,
        ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90, ["dozen"] = 12,
    };

    private static readonly Dictionary<string, long> Scales = new(StringComparer.Ordinal)
    {
        ["hundred"] = 100, ["thousand"] = 1_000, ["million"] = 1_000_000, ["billion"] = 1_000_000_000,
    };

    /// <summary>Words between a number and the name it counts that say what is counted: "8 million rounds of ammunition".</summary>
    private static readonly HashSet<string> CountedUnits = new(StringComparer.Ordinal)
    {
        "rounds", "round", "units", "pieces", "items", "sets", "systems", "batteries", "battery", "launchers", "shells", "cartridges",
        "boxes", "crates", "pallets", "tonnes", "tons", "kits", "pairs", "types", "vehicles", "missiles", "copies",
    };

    /// <summary>Words that end the look-back: a quantity never reaches over them to the name.</summary>
    private static readonly HashSet<string> Barriers = new(StringComparer.Ordinal)
    {
        "and", "or", "with", "to", "the", "its", "their", "his", "her", "for", "from", "by", "in", "on", "at", "as", "than", "has",
        "have", "had", "will", "is", "are", "was", "were", "be", "been", "being", "which", "that", "also", "including", "plus", "both",
        "each", "while", "of", "this", "these", "those", "it", "they", "per", "into", "include", "includes",
    };

    private static readonly HashSet<string> Vague = new(StringComparer.Ordinal)
    {
        "dozens", "hundreds", "thousands", "millions", "several", "many", "numerous", "some", "various", "multiple", "few",
    };

    /// <summary>The quantity of the name whose first word is <paramref name="first"/>; undisclosed when none is stated.</summary>
    public static QuantityReading Before(IReadOnlyList<Word> words, int first)
    {
        var i = PastDescribing(words, first - 1);
        // A unit: "rounds of", "batteries of" ("15,000 rounds of 155 mm artillery ammunition").
        if (i >= 1 && words[i].Lower == "of" && CountedUnits.Contains(words[i - 1].Lower)) i = PastDescribing(words, i - 2);
        // "the first IRIS-T SLM system": one.
        if (i >= 1 && words[i].Lower == "first" && words[i - 1].Lower == "the") return new QuantityReading(1, QuantityQualifier.Exact, i - 1, i);
        // Part of a whole: "about 50 of its CV90", "seven of the howitzers".
        if (i >= 2 && words[i].Lower is "its" or "their" or "the" or "these" or "those" && words[i - 1].Lower == "of") i -= 2;
        if (i >= 1 && words[i].Lower == "of" && Vague.Contains(words[i - 1].Lower)) return new QuantityReading(null, QuantityQualifier.Undisclosed, i - 1, i);
        if (i >= 0 && Vague.Contains(words[i].Lower)) return new QuantityReading(null, QuantityQualifier.Undisclosed, i, i);
        if (ReadNumber(words, i) is not { } number)
        {
            // "a Patriot battery", "an air defence system": one, when the name is singular.
            var single = i >= 0 && words[i].Lower is "a" or "an" or "one" && !words[first].Lower.EndsWith('s');
            return single ? new QuantityReading(1, QuantityQualifier.Exact, i, i) : new QuantityReading(null, QuantityQualifier.Undisclosed, first, first - 1);
        }
        var (value, numberFirst) = number;
        var (qualifier, qualifierFirst) = Qualifier(words, numberFirst);
        return new QuantityReading(value, qualifier, qualifierFirst, i);
    }

    /// <summary>
    /// The word before up to three describing words ending at <paramref name="last"/>: "more", "additional",
    /// "Soviet-era", "surface-to-air"; a capitalised one only next to the name ("nine Soviet-era D-30"), so that "23
    /// February Latvia delivered Stinger" reads no 23. A calibre describes too: "72 155 mm howitzers" (72, not 155).
    /// </summary>
    private static int PastDescribing(IReadOnlyList<Word> words, int last)
    {
        var i = last;
        for (var skipped = 0; skipped < 3 && i >= 0; skipped++)
        {
            if (CalibreEndingAt(words, i) is { } calibreFirst) i = calibreFirst - 1;
            else if (IsDescribing(words[i]) && (skipped == 0 || !char.IsUpper(words[i].Text[0]))) i--;
            else break;
        }
        return i;
    }

    private static readonly HashSet<string> CalibreUnits = new(StringComparer.Ordinal) { "mm", "millimetre", "millimeter", "cm", "calibre", "caliber" };

    /// <summary>The first word of a calibre ending at word <paramref name="last"/> ("155 mm", "155mm", "155-mm"), or null.</summary>
    private static int? CalibreEndingAt(IReadOnlyList<Word> words, int last)
    {
        var word = words[last].Lower;
        if (CalibreUnits.Contains(word) && last >= 1 && words[last - 1].IsDigits) return last - 1;
        var digits = word.TakeWhile(char.IsAsciiDigit).Count();
        return digits > 0 && CalibreUnits.Contains(word[digits..].TrimStart('-')) ? last : null;
    }

    private static bool IsDescribing(Word word) =>
        char.IsLetter(word.Text[0]) && !Barriers.Contains(word.Lower) && !Vague.Contains(word.Lower) && !StatusCues.IsVerb(word.Lower)
        && !EventDates.IsCalendarWord(word.Lower)
        && WordValue(word.Lower) == 0 && !Scales.ContainsKey(word.Lower) && word.Lower is not ("a" or "an" or "zero");

    /// <summary>A number ending at word <paramref name="last"/>: digits (with a scale: "8 million"), or number words ("two thousand", "twenty-five").</summary>
    private static (long Value, int First)? ReadNumber(IReadOnlyList<Word> words, int last)
    {
        if (last < 0) return null;
        var i = last;
        long scale = 1;
        if (Scales.TryGetValue(words[i].Lower, out var trailing) && i > 0 && words[i - 1].IsDigits)
        {
            scale = trailing;
            i--;
        }
        if (words[i].IsDigits)
        {
            // Money and calibres are not counts: "$100", "€5", "155 mm".
            if (i > 0 && words[i - 1].Text is "$" or "€" or "£") return null;
            // Past the most a record holds, a number is not a count of items (nor multiplied past decimal's range).
            return decimal.TryParse(words[i].Text.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var digits)
                && digits <= DonationRequestValidator.MaxQuantity / scale && digits * scale == decimal.Truncate(digits * scale)
                ? ((long)(digits * scale), i) : null;
        }
        // Number words: "two thousand five hundred", "twenty-five", "a dozen". Found right to left, read left to right.
        var first = last + 1;
        while (first > 0 && IsNumberWord(words, first - 1, last)) first--;
        if (first > last || words[first].Lower == "and") return null;
        // "hundred hundred hundred …" would overflow: past the most a record holds, it is no count.
        long total = 0, current = 0;
        for (var k = first; k <= last; k++)
        {
            var lower = words[k].Lower;
            if (lower is "a" or "an" or "and") continue;
            if (lower == "hundred") current = Math.Max(current, 1) * 100;
            else if (lower == "dozen") current = Math.Max(current, 1) * 12;
            else if (Scales.TryGetValue(lower, out var scaleWord))
            {
                total += Math.Max(current, 1) * scaleWord;
                current = 0;
            }
            else current += WordValue(lower);
            if (total > DonationRequestValidator.MaxQuantity || current > DonationRequestValidator.MaxQuantity) return null;
        }
        return total + current <= DonationRequestValidator.MaxQuantity ? (total + current, first) : null;
    }

    private static long WordValue(string lower) =>
        Units.TryGetValue(lower, out var unit) ? unit
        : lower.Split('-') is [var tens, var ones] && Units.TryGetValue(tens, out var t) && Units.TryGetValue(ones, out var o) ? t + o
        : 0;

    /// <summary>Whether word <paramref name="at"/> is part of a number in words ending at <paramref name="last"/>: "a" only before "dozen" or a scale, "and" only inside.</summary>
    private static bool IsNumberWord(IReadOnlyList<Word> words, int at, int last)
    {
        var lower = words[at].Lower;
        if (lower is "a" or "an") return at < last && (words[at + 1].Lower == "dozen" || Scales.ContainsKey(words[at + 1].Lower));
        if (lower == "and") return at < last && at > 0 && (Scales.ContainsKey(words[at - 1].Lower) || words[at - 1].Lower == "hundred");
        return Scales.ContainsKey(lower) || WordValue(lower) > 0 || lower == "zero";
    }

    private static (QuantityQualifier, int First) Qualifier(IReadOnlyList<Word> words, int numberFirst)
    {
        string Lower(int at) => at >= 0 ? words[at].Lower : "";
        var (one, two, three) = (Lower(numberFirst - 1), Lower(numberFirst - 2), Lower(numberFirst - 3));
        if ((two, one) is ("at", "least") or ("more", "than") or ("upwards", "of") or ("no", "fewer") or ("not", "less")) return (QuantityQualifier.AtLeast, numberFirst - 2);
        if ((three, two, one) is ("in", "excess", "of") or ("no", "fewer", "than") or ("no", "less", "than")) return (QuantityQualifier.AtLeast, numberFirst - 3);
        if (one is "over") return (QuantityQualifier.AtLeast, numberFirst - 1);
        if ((two, one) is ("up", "to") or ("close", "to") or ("an", "estimated") or ("some", "of")) return (QuantityQualifier.Approximate, numberFirst - 2);
        if (one is "about" or "around" or "roughly" or "approximately" or "some" or "nearly" or "almost" or "circa" or "approx") return (QuantityQualifier.Approximate, numberFirst - 1);
        return (QuantityQualifier.Exact, numberFirst);
    }
}
