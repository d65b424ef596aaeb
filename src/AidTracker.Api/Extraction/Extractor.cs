using AidTracker.Api.Common;
using AidTracker.Api.Donations;

namespace AidTracker.Api.Extraction;

/// <summary>Which words of the text gave a field of a record: the field's wire name, the words and their offsets.</summary>
public sealed record FieldWords(string Field, int Start, int End, string Words);

/// <summary>
/// A record read from a text: who gave what to whom, how many, how far it has got and when, the sentence it rests on
/// (<see cref="Quote"/>, offsets into the text) and the words each field came from. What the text does not say is null.
/// </summary>
public sealed record ExtractedRecord(
    string Donor, string Recipient, string WeaponSystem, long? Quantity, QuantityQualifier QuantityQualifier,
    DonationStatus Status, PartialDate? Date, TextSpan Quote, IReadOnlyList<FieldWords> Because);

/// <summary>A sentence that states aid but gives no complete record, and what it lacks.</summary>
public sealed record UnresolvedMention(TextSpan Quote, string Reason);

public sealed record ExtractionResult(IReadOnlyList<ExtractedRecord> Records, IReadOnlyList<UnresolvedMention> Unresolved);

/// <summary>
/// Reads aid records from a text with a gazetteer and rules, deterministically: sentence by sentence, clause by
/// clause, a record for each donor and each weapon system that a clause names with a verb of giving
/// (<see cref="StatusCues"/>). Donors are the countries before the verb ("Germany will supply"), after "by" in a
/// passive ("are being sent by Poland and Latvia") or after "from" ("received … from Germany"); the recipient is the
/// country the aid goes "to", or the one named right after the verb ("supply Ukraine with"), else the text's own
/// (the country it sends aid to most often). A quantity stands right before its weapon's name
/// (<see cref="Quantities"/>); a total shared by several donors is not split, so each donor's is undisclosed. The
/// date is the sentence's (<see cref="EventDates"/>). One record per donor and weapon system per text: the one whose
/// status is the most advanced; in one sentence their quantities add up ("helmets and body armour").
/// </summary>
public sealed class Extractor(Gazetteer gazetteer)
{
    /// <summary>After a country, words that make it a party to the war, not a donor: "Russian invasion", "Ukrainian troops".</summary>
    private static readonly HashSet<string> Belligerent =
        ["invasion", "aggression", "attack", "attacks", "war", "invaders", "occupation", "occupiers", "troops", "soldiers", "offensive", "strikes"];

    /// <summary>Before a country, words that make it a place or a target, not a donor.</summary>
    private static readonly HashSet<string> NotDonor =
        ["to", "into", "in", "at", "against", "for", "toward", "towards", "of", "with", "near", "inside", "across", "bordering", "on"];

    /// <summary>Between a generic name and a model's: "anti-tank missiles called Javelin", "howitzers such as the PzH 2000".</summary>
    private static readonly HashSet<string> Naming = ["called", "named", "dubbed", "known", "as", "such", "like", "including", "namely", "the", "of", "type", ","];

    /// <summary>A clause that names no donor but starts so continues the sentence before: "It includes 20 howitzers."</summary>
    private static readonly HashSet<string> Continuing = ["it", "they", "this", "these", "the", "its", "their", "that", "those", "also"];

    private static readonly HashSet<string> AidWords = ["arms", "aid", "assistance", "materiel", "equipment", "hardware", "weapons", "weaponry"];

    private static readonly HashSet<string> Including = ["includes", "include", "included", "including", "comprises", "comprising", "consists", "contains", "contain", "consisting"];

    public ExtractionResult Extract(string text, DateOnly? publishedOn)
    {
        var sentences = Sentences.Of(text).Select(span => new Sentence(span, Words.Of(text, span.Start, span.End))).ToList();
        foreach (var sentence in sentences) sentence.Mentions = gazetteer.Find(sentence.Words);
        var textRecipient = TextRecipient(sentences);

        var records = new List<ExtractedRecord>();
        var unresolved = new List<UnresolvedMention>();
        IReadOnlyList<Mention> lastDonors = [];
        DonationStatus? lastStatus = null;
        foreach (var sentence in sentences)
        {
            var date = EventDates.In(sentence.Words, publishedOn);
            var inSentence = new List<ExtractedRecord>();
            IReadOnlyList<Mention> clauseDonors = [];
            var words = sentence.Words;
            var (clauses, kept) = Clauses(words);
            var allCues = StatusCues.In(words);
            foreach (var (first, last) in clauses)
            {
                bool Within(int from, int to) => from >= first && to <= last && kept[from];
                var cues = allCues.Where(c => Within(c.First, c.Last)).ToList();
                var includes = Enumerable.Range(first, last - first + 1).Any(i => Including.Contains(words[i].Lower));
                DonationStatus? status = cues.Count > 0 ? cues.Max(c => c.Status) : includes ? lastStatus : null;
                if (status is null) continue;
                var cue = cues.Count > 0 ? cues.MaxBy(c => c.Status) : null;
                var received = cues.Any(c => c.Received);
                var lastCue = cues.Count > 0 ? cues.Max(c => c.First) : first;
                var countries = sentence.Mentions.Where(m => m.Named.Kind == NameKind.Country && Within(m.First, m.Last)
                    && !(m.Last + 1 < words.Count && Belligerent.Contains(words[m.Last + 1].Lower))).ToList();

                var recipient = Recipient(words, countries, cues, received) ?? textRecipient;
                var donors = Donors(words, countries, lastCue, received).Where(d => d.Named.Key != recipient?.Named.Key).ToList();
                if (donors.Count == 0 && clauseDonors.Count > 0) donors = [.. clauseDonors];
                if (donors.Count == 0 && lastDonors.Count > 0 && (Continuing.Contains(words[first].Lower) || includes)) donors = [.. lastDonors];
                var weapons = Weapons(words, sentence.Mentions.Where(m => m.Named.Kind == NameKind.WeaponSystem && Within(m.First, m.Last)).ToList());

                var quote = sentence.Span;
                if (donors.Count > 0)
                {
                    clauseDonors = donors;
                    lastDonors = donors;
                    lastStatus = status;
                }
                if (weapons.Count == 0 || donors.Count == 0 || recipient is null)
                {
                    var aid = weapons.Count > 0 || Enumerable.Range(first, last - first + 1).Any(i => AidWords.Contains(words[i].Lower));
                    if (aid && (weapons.Count > 0 || donors.Count > 0))
                    {
                        var reason = donors.Count == 0 ? "no donor is named" : weapons.Count == 0 ? "no weapon system is named" : "no recipient is named";
                        if (!unresolved.Any(u => u.Quote == quote)) unresolved.Add(new UnresolvedMention(quote, reason));
                    }
                    continue;
                }
                foreach (var donor in donors)
                {
                    foreach (var (weapon, countedAt) in weapons)
                    {
                        var reading = Quantities.Before(words, countedAt);
                        var shared = donors.Count > 1 && reading.Quantity is not null;
                        var because = new List<FieldWords>
                        {
                            Field("donor", text, donor.Start, donor.End),
                            Field("recipient", text, recipient.Start, recipient.End),
                            Field("weapon_system", text, weapon.Start, weapon.End),
                        };
                        if (reading.Last >= reading.First && !shared) because.Add(Field("quantity", text, words[reading.First].Start, words[reading.Last].End));
                        if (cue is not null) because.Add(Field("status", text, words[cue.First].Start, words[cue.Last].End));
                        if (date is not null) because.Add(Field("date", text, words[date.First].Start, words[date.Last].End));
                        inSentence.Add(new ExtractedRecord(
                            donor.Named.Key, recipient.Named.Key, weapon.Named.Key,
                            shared ? null : reading.Quantity, shared ? QuantityQualifier.Undisclosed : reading.Qualifier,
                            status.Value, date?.Date, quote, because));
                    }
                }
            }
            foreach (var record in inSentence) Merge(records, record, sameSentence: inSentence);
        }
        return new ExtractionResult(records, unresolved.Where(u => !records.Any(r => r.Quote == u.Quote)).ToList());
    }

    private sealed class Sentence(TextSpan span, List<Word> words)
    {
        public TextSpan Span { get; } = span;
        public List<Word> Words { get; } = words;
        public List<Mention> Mentions { get; set; } = [];
    }

    private static FieldWords Field(string field, string text, int start, int end) => new(field, start, end, text[start..end]);

    /// <summary>
    /// Adds a record, one per donor and weapon system per text: in one sentence, known quantities of the same pair add
    /// up; across sentences, the record with the most advanced status stays (the earlier one on a tie).
    /// </summary>
    private static void Merge(List<ExtractedRecord> records, ExtractedRecord record, List<ExtractedRecord> sameSentence)
    {
        var index = records.FindIndex(r => r.Donor == record.Donor && r.WeaponSystem == record.WeaponSystem);
        if (index < 0)
        {
            records.Add(record);
            return;
        }
        var kept = records[index];
        if (kept.Quote == record.Quote)
        {
            if (kept.Quantity is { } a && record.Quantity is { } b && kept.QuantityQualifier == QuantityQualifier.Exact && record.QuantityQualifier == QuantityQualifier.Exact)
            {
                records[index] = kept with { Quantity = a + b, Because = [.. kept.Because, .. record.Because.Where(f => f.Field == "quantity")] };
            }
            return;
        }
        if (record.Status > kept.Status) records[index] = record;
    }

    /// <summary>
    /// The clauses of a sentence, as word index ranges: split at a semicolon and at a comma before "and", "but",
    /// "while" or "whereas"; a relative clause (", which …", ", who …") and a stretch between dashes or brackets are left
    /// out (<c>Kept</c> is false for their words).
    /// </summary>
    private static (List<(int First, int Last)> Ranges, bool[] Kept) Clauses(List<Word> words)
    {
        var kept = new bool[words.Count];
        Array.Fill(kept, true);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Text == "," && i + 1 < words.Count && words[i + 1].Lower is "which" or "who" or "whose")
            {
                var end = i + 1;
                while (end < words.Count && words[end].Text is not ("," or ";")) end++;
                for (var k = i; k < end; k++) kept[k] = false;
                i = end - 1;
            }
            else if (words[i].Text is "–" or "—" or "-" or "(")
            {
                var close = words[i].Text == "(" ? ")" : words[i].Text;
                var end = words.FindIndex(i + 1, w => w.Text == close || (close != ")" && w.Text is "–" or "—" or "-"));
                if (end < 0) continue;
                for (var k = i; k <= end; k++) kept[k] = false;
                i = end;
            }
        }
        // A conjunction parts clauses only when each side has a verb of its own: "pistols, and ammo are being sent" is one.
        var cues = StatusCues.In(words);
        var clauses = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i <= words.Count; i++)
        {
            var conjunction = i < words.Count && (words[i].Text == "," && i + 1 < words.Count && words[i + 1].Lower is "and" or "but" or "while" or "whereas"
                || words[i].Lower is "while" or "whereas");
            var boundary = i == words.Count || words[i].Text == ";"
                || conjunction && cues.Any(c => c.First >= start && c.Last < i) && cues.Any(c => c.First > i && c.First < NextBoundary(words, i + 1));
            if (!boundary) continue;
            var first = start;
            while (first < i && !kept[first]) first++;
            if (first < i) clauses.Add((first, i - 1));
            start = i + 1;
        }
        return (clauses, kept);
    }

    /// <summary>Where the clause that starts at word <paramref name="from"/> could end at the latest: the next semicolon, or the sentence's end.</summary>
    private static int NextBoundary(List<Word> words, int from)
    {
        var end = words.FindIndex(from, w => w.Text == ";");
        return end < 0 ? words.Count : end;
    }

    /// <summary>The donors of a clause: after "by" (a passive) or "from"; else, unless the recipient is the subject, the countries before its (last) verb.</summary>
    private static List<Mention> Donors(List<Word> words, List<Mention> countries, int lastCue, bool received)
    {
        var after = countries.Where(m => Preceded(words, m.First) is "by" or "from").ToList();
        if (after.Count > 0) return [.. Expand(words, countries, after).DistinctBy(m => m.Named.Key)];
        if (received) return [];
        return [.. countries.Where(m => m.Last < lastCue && !NotDonor.Contains(Preceded(words, m.First))).DistinctBy(m => m.Named.Key)];
    }

    /// <summary>Countries listed with the ones found: "by Poland and Latvia", "from Denmark, Norway and Sweden".</summary>
    private static List<Mention> Expand(List<Word> words, List<Mention> countries, List<Mention> found)
    {
        var list = new List<Mention>(found);
        foreach (var country in countries)
        {
            if (list.Contains(country)) continue;
            var previous = list.Where(m => m.Last < country.First).MaxBy(m => m.Last);
            if (previous is not null && Enumerable.Range(previous.Last + 1, country.First - previous.Last - 1).All(i => words[i].Text is "," or "and" or "the" or "both"))
            {
                list.Add(country);
            }
        }
        return [.. list.OrderBy(m => m.First)];
    }

    /// <summary>The word before word <paramref name="at"/>, passing over "the" (lower case), or "".</summary>
    private static string Preceded(List<Word> words, int at)
    {
        var i = at - 1;
        if (i >= 0 && words[i].Lower == "the") i--;
        return i >= 0 ? words[i].Lower : "";
    }

    /// <summary>The recipient a clause names: the country aid goes "to" or "into", the one right after the verb, or the subject of "received".</summary>
    private static Mention? Recipient(List<Word> words, List<Mention> countries, List<StatusCue> cues, bool received)
    {
        var to = countries.FirstOrDefault(m => Preceded(words, m.First) is "to" or "into");
        if (to is not null) return to;
        if (received) return countries.FirstOrDefault(m => m.Last < cues.First(c => c.Received).First);
        return countries.FirstOrDefault(m => cues.Any(c => m.First > c.Last && m.First - c.Last <= 2) && Preceded(words, m.First) is not ("by" or "from"));
    }

    /// <summary>
    /// The weapon systems a clause gives, each with the word its quantity stands before: not one named as a purpose
    /// ("For air defence, …"); not a generic name when the clause names a model of its category ("anti-tank missiles
    /// called Javelin", "PzH 2000 howitzers": the model, counted where the generic name was, as in "5,000 anti-tank
    /// weapons of the Pansarskott m/86 type"); not "weapons" when it names any.
    /// </summary>
    private static List<(Mention Weapon, int CountedAt)> Weapons(List<Word> words, List<Mention> mentions)
    {
        mentions = [.. mentions.Where(m => !(m.First > 0 && words[m.First - 1].Lower == "for"))];
        var kept = new List<(Mention, int)>();
        foreach (var mention in mentions)
        {
            if (mention.Named.Generic && mentions.Any(m => !m.Named.Generic && m.Named.Category == mention.Named.Category)) continue;
            if (mention.Named.Generic && mention.Named.Category == "other" && mentions.Any(m => m.Named.Category != "other")) continue;
            // A model named after its generic name ("… weapons of the Pansarskott m/86 type") is counted where that stands.
            var generic = mentions.LastOrDefault(m => m.Named.Generic && m.Named.Category == mention.Named.Category && m.Last < mention.First
                && Enumerable.Range(m.Last + 1, mention.First - m.Last - 1).All(i => Naming.Contains(words[i].Lower)));
            kept.Add((mention, generic?.First ?? mention.First));
        }
        return kept;
    }

    /// <summary>The text's recipient: the country aid goes "to" or "into" most often in it; null when none.</summary>
    private static Mention? TextRecipient(List<Sentence> sentences) =>
        sentences.SelectMany(s => s.Mentions.Where(m => m.Named.Kind == NameKind.Country && Preceded(s.Words, m.First) is "to" or "into"))
            .GroupBy(m => m.Named.Key).OrderByDescending(g => g.Count()).Select(g => g.First()).FirstOrDefault();
}
