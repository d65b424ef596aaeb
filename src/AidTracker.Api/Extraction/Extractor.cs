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

    private static readonly HashSet<string> AidWords = ["arms", "aid", "assistance", "materiel", "equipment", "hardware", "weapons", "weaponry"];

    private static readonly HashSet<string> Approval = ["export", "exports", "re-export", "re-exports", "permission", "licence", "license"];

    private static readonly HashSet<string> Conjunctions = ["and", "but", "while", "whereas", "after", "before", "because", "when", "although", "though", "as", "since", "whilst"];

    private static readonly HashSet<string> Including = ["includes", "include", "included", "including", "comprises", "comprising", "consists", "contains", "contain", "consisting"];

    public ExtractionResult Extract(string text, DateOnly? publishedOn)
    {
        // A sentence longer than a quote holds can give no record: it is not read (its clauses against its names would
        // cost time on a hostile text), and is left unresolved.
        var spans = Sentences.Of(text);
        var unread = spans.Where(span => span.End - span.Start > EvidenceRequestValidator.MaxQuoteLength).ToList();
        var sentences = spans.Except(unread).Select(span => new Sentence(span, Words.Of(text, span.Start, span.End))).ToList();
        foreach (var sentence in sentences)
        {
            sentence.Mentions = gazetteer.Find(sentence.Words);
            // A dateline names a place, not a donor ("BERLIN – …").
            var dateline = EventDates.AfterDateline(sentence.Words);
            sentence.Mentions.RemoveAll(m => m.First < dateline);
        }
        var reading = new TextReading(text, TextRecipient(sentences));
        foreach (var span in unread) reading.Unresolved(span, $"The sentence is longer than {EvidenceRequestValidator.MaxQuoteLength:N0} characters, more than a quote holds: it was not read.");
        foreach (var sentence in sentences)
        {
            var date = EventDates.In(sentence.Words, publishedOn) is { } found
                ? new Dated(found.Date, sentence.Words[found.First].Start, sentence.Words[found.Last].End) : null;
            var (clauses, kept) = Clauses(sentence.Words, sentence.Mentions);
            var cues = StatusCues.In(sentence.Words);
            var inSentence = new List<ExtractedRecord>();
            IReadOnlyList<Mention> sentenceDonors = [];
            foreach (var (first, last) in clauses)
            {
                var clause = new Clause(sentence, first, last, kept, cues.Where(c => c.First >= first && c.Last <= last && kept[c.First]).ToList());
                sentenceDonors = ReadClause(reading, clause, date, sentenceDonors, inSentence);
            }
            foreach (var record in inSentence) reading.Merge(record);
        }
        return reading.Result();
    }

    /// <summary>A date the text states, and where.</summary>
    private sealed record Dated(PartialDate Date, int Start, int End);

    /// <summary>Words <see cref="First"/> to <see cref="Last"/> of a sentence, less those left out (<see cref="Kept"/>), and their verbs.</summary>
    private sealed record Clause(Sentence Sentence, int First, int Last, bool[] Kept, List<StatusCue> Cues)
    {
        public List<Word> Words => Sentence.Words;

        public bool Holds(int from, int to) => from >= First && to <= Last && Kept[from];

        public bool Has(HashSet<string> words, int? before = null) =>
            Enumerable.Range(First, (before ?? Last + 1) - First).Any(i => Kept[i] && words.Contains(Words[i].Lower));

        public List<Mention> Mentions(NameKind kind) => [.. Sentence.Mentions.Where(m => m.Named.Kind == kind && Holds(m.First, m.Last))];
    }

    /// <summary>
    /// What a text has said so far: its records, its unresolved sentences, and what a clause that names no donor of its
    /// own continues: the last donors, status, date and recipient the text gave.
    /// </summary>
    private sealed class TextReading(string text, Mention? recipient)
    {
        public string Text { get; } = text;
        public Mention? Recipient { get; } = recipient;
        public IReadOnlyList<Mention> LastDonors { get; set; } = [];
        public DonationStatus? LastStatus { get; set; }
        public Dated? LastDate { get; set; }
        public Mention? LastRecipient { get; set; }
        private readonly List<ExtractedRecord> _records = [];
        private readonly List<UnresolvedMention> _unresolved = [];
        private readonly HashSet<TextSpan> _unresolvedQuotes = [];
        private readonly Dictionary<string, Named> _weaponSystems = new(StringComparer.Ordinal);

        public FieldWords Field(string field, int start, int end) => new(field, start, end, Text[start..end]);

        public void Named(Named weaponSystem) => _weaponSystems[weaponSystem.Key] = weaponSystem;

        public void Unresolved(TextSpan quote, string reason)
        {
            if (_unresolvedQuotes.Add(quote)) _unresolved.Add(new UnresolvedMention(quote, reason));
        }

        /// <summary>
        /// Adds a record, one per donor and weapon system per text: in one sentence, known quantities of the same pair
        /// add up; across sentences, the record with the most advanced status stays (the earlier one on a tie).
        /// </summary>
        public void Merge(ExtractedRecord record)
        {
            var index = _records.FindIndex(r => r.Donor == record.Donor && r.WeaponSystem == record.WeaponSystem);
            if (index < 0)
            {
                _records.Add(record);
                return;
            }
            var kept = _records[index];
            if (kept.Quote == record.Quote)
            {
                if (kept.Quantity is { } a && record.Quantity is { } b && kept.QuantityQualifier == QuantityQualifier.Exact && record.QuantityQualifier == QuantityQualifier.Exact
                    && a + b <= DonationRequestValidator.MaxQuantity)
                {
                    _records[index] = kept with { Quantity = a + b, Because = [.. kept.Because, .. record.Because.Where(f => f.Field == "quantity")] };
                }
                return;
            }
            if (record.Status > kept.Status) _records[index] = record;
        }

        /// <summary>
        /// The records, a donor's generic entry left out where the text names a model of its category for that donor
        /// elsewhere ("infantry fighting vehicles", then "CV90 infantry fighting vehicles"), but for one that counts
        /// items of its own in the model's sentence; the unresolved sentences that gave no record.
        /// </summary>
        public ExtractionResult Result()
        {
            var records = _records.Where(r => !(_weaponSystems[r.WeaponSystem] is { Generic: true } generic && _records.Any(o => o.Donor == r.Donor
                && _weaponSystems[o.WeaponSystem] is { Generic: false } model && model.Category == generic.Category
                && (r.Quantity is null || o.Quote != r.Quote)))).ToList();
            var quoted = records.Select(r => r.Quote).ToHashSet();
            return new ExtractionResult(records, [.. _unresolved.Where(u => !quoted.Contains(u.Quote)).OrderBy(u => u.Quote.Start)]);
        }
    }

    /// <summary>
    /// Reads one clause into <paramref name="records"/>, or an unresolved mention when it states aid without a whole
    /// record; returns its donors, which a later clause of the sentence without its own continues.
    /// </summary>
    private static IReadOnlyList<Mention> ReadClause(
        TextReading reading, Clause clause, Dated? date, IReadOnlyList<Mention> sentenceDonors, List<ExtractedRecord> records)
    {
        var (words, cues) = (clause.Words, clause.Cues);
        var includes = clause.Has(Including);
        DonationStatus? status = cues.Count > 0 ? cues.Max(c => c.Status) : includes ? reading.LastStatus : null;
        // No verb of giving; or an export approval or a permission, which makes the approving country neither donor nor
        // recipient: before the weapons it approves ("approved the export of 178 Leopard 1"), not after them ("agreed
        // to send 14 Leopard 2 A6 tanks … and to let other countries re-export their Leopards").
        var firstWeapon = clause.Mentions(NameKind.WeaponSystem).Select(m => m.First).DefaultIfEmpty(clause.Last + 1).Min();
        if (status is null || clause.Has(Approval, before: firstWeapon)) return sentenceDonors;
        var cue = cues.MaxBy(c => c.Status);
        var received = cues.Any(c => c.Received);
        var countries = clause.Mentions(NameKind.Country).Where(m => !(m.Last + 1 < words.Count && Belligerent.Contains(words[m.Last + 1].Lower))).ToList();
        // Without a recipient of its own, the clause has the text's, else the last one a clause named ("send Ukraine
        // four HIMARS …. The package also includes …").
        var named = Recipient(words, countries, cues, received);
        if (named is not null) reading.LastRecipient = named;
        // The last recipient named, unless the clause names it (then it is more likely its subject: "Poland has
        // received … from South Korea. Poland will also send …").
        var last = reading.LastRecipient is { } lastNamed && !countries.Any(c => c.Named.Key == lastNamed.Named.Key) ? lastNamed : null;
        var recipient = named ?? reading.Recipient ?? last;
        var donors = Donors(words, countries.Where(c => c.Named.Key != recipient?.Named.Key).ToList(), cues, cues.Count > 0 ? cues.Max(c => c.First) : clause.First, received);
        if (donors.Count == 0) donors = [.. sentenceDonors];
        // A clause without a donor continues the text's last one ("It includes …", "The President approved the delivery
        // of …"), and its event: without a date of its own, it has the one the text gave it.
        if (donors.Count == 0 && reading.LastDonors.Count > 0)
        {
            donors = [.. reading.LastDonors];
            date ??= reading.LastDate;
        }
        var weapons = Weapons(words, clause.Mentions(NameKind.WeaponSystem));
        var quote = clause.Sentence.Span;
        if (donors.Count > 0) (reading.LastDonors, reading.LastStatus, reading.LastDate) = (donors, status, date);
        if (weapons.Count == 0 || donors.Count == 0 || recipient is null)
        {
            if (weapons.Count > 0 || clause.Has(AidWords))
            {
                reading.Unresolved(quote, donors.Count == 0 ? "no donor is named" : weapons.Count == 0 ? "no weapon system is named" : "no recipient is named");
            }
            return donors.Count > 0 ? donors : sentenceDonors;
        }
        foreach (var donor in donors)
        {
            foreach (var (weapon, countedAt) in weapons)
            {
                reading.Named(weapon.Named);
                var quantity = Quantities.Before(words, countedAt);
                var shared = donors.Count > 1 && quantity.Quantity is not null;
                var because = new List<FieldWords>
                {
                    reading.Field("donor", donor.Start, donor.End),
                    reading.Field("recipient", recipient.Start, recipient.End),
                    reading.Field("weapon_system", weapon.Start, weapon.End),
                };
                if (quantity.Last >= quantity.First && !shared) because.Add(reading.Field("quantity", words[quantity.First].Start, words[quantity.Last].End));
                if (cue is not null) because.Add(reading.Field("status", words[cue.First].Start, words[cue.Last].End));
                if (date is not null) because.Add(reading.Field("date", date.Start, date.End));
                records.Add(new ExtractedRecord(
                    donor.Named.Key, recipient.Named.Key, weapon.Named.Key,
                    shared ? null : quantity.Quantity, shared ? QuantityQualifier.Undisclosed : quantity.Qualifier,
                    status.Value, date?.Date, quote, because));
            }
        }
        return donors;
    }

    private sealed class Sentence(TextSpan span, List<Word> words)
    {
        public TextSpan Span { get; } = span;
        public List<Word> Words { get; } = words;
        public List<Mention> Mentions { get; set; } = [];
    }

    /// <summary>
    /// The clauses of a sentence, as word index ranges: split at a semicolon, and at a conjunction ("and", "after",
    /// "while", …) between two verbs; a relative clause (", which …", ", who …") and a stretch between dashes or brackets are left
    /// out (<c>Kept</c> is false for their words).
    /// </summary>
    private static (List<(int First, int Last)> Ranges, bool[] Kept) Clauses(List<Word> words, List<Mention> mentions)
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
        // A conjunction parts clauses only when each side has a verb of its own, and the right side a country before
        // its verb: "pistols, and ammo are being sent" is one clause; "Germany approved X and allowed the Netherlands to
        // send Y" and "Canada will send X, … a day after Germany cleared Y" are two.
        var cues = StatusCues.In(words);
        var clauses = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i <= words.Count; i++)
        {
            var boundary = i == words.Count || words[i].Text == ";"
                || Conjunctions.Contains(words[i].Lower) && cues.Any(c => c.First >= start && c.Last < i) && OwnsVerb(i + 1, NextBoundary(words, i + 1));
            if (!boundary) continue;
            var first = start;
            while (first < i && !kept[first]) first++;
            if (first < i) clauses.Add((first, i - 1));
            start = i + 1;
        }
        return (clauses, kept);

        // Whether words from..to hold a verb with a country before it.
        bool OwnsVerb(int from, int to) => cues.Any(c => c.First >= from && c.First < to
            && mentions.Any(m => m.Named.Kind == NameKind.Country && m.First >= from && m.Last < c.First && kept[m.First]));
    }

    /// <summary>
    /// Where the clause that starts at word <paramref name="from"/> could end at the latest: the next semicolon or
    /// conjunction, or the sentence's end ("500 Stinger missiles from its own stocks and allowed the Netherlands to
    /// send …" owns no verb before its "and").
    /// </summary>
    private static int NextBoundary(List<Word> words, int from)
    {
        var end = words.FindIndex(from, w => w.Text == ";" || Conjunctions.Contains(w.Lower));
        return end < 0 ? words.Count : end;
    }

    /// <summary>
    /// The donors of a clause among its countries but the recipient: the subject of an infinitive of giving ("for the
    /// Estonians to send"); after "by" (a passive) or "from"; else, unless the
    /// recipient is the subject, the countries before its (last) verb ("will ship … to Ukraine, following a request from
    /// Kyiv": the request is the recipient's).
    /// </summary>
    private static List<Mention> Donors(List<Word> words, List<Mention> countries, List<StatusCue> cues, int lastCue, bool received)
    {
        // The subject of an infinitive of giving: "cleared the way for the Estonians to send", "allowed the Netherlands to send".
        var subjects = countries.Where(m => m.Last + 1 < words.Count && words[m.Last + 1].Lower == "to" && cues.Any(c => c.First - m.Last is 1 or 2)).ToList();
        if (subjects.Count > 0) return [.. subjects.DistinctBy(m => m.Named.Key)];
        var after = countries.Where(m => Preceded(words, m.First) is "by" or "from").ToList();
        if (after.Count > 0) return [.. Expand(words, countries, after).DistinctBy(m => m.Named.Key)];
        if (received) return [];
        var before = countries.Where(m => m.Last < lastCue && !NotDonor.Contains(Preceded(words, m.First))).ToList();
        // "The Pentagon said Germany will send …": a country that reports another's giving is not its donor.
        before.RemoveAll(m => m.Last + 1 < words.Count && Reporting.Contains(words[m.Last + 1].Lower) && before.Any(o => o.First > m.Last));
        return [.. before.DistinctBy(m => m.Named.Key)];
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

    /// <summary>Verbs of reporting: a country right before one, with another country after, speaks of that one's giving.</summary>
    private static readonly HashSet<string> Reporting = ["said", "says", "told", "reported", "reports", "stated", "confirmed", "added", "noted"];

    /// <summary>Words of aid that "for" a country makes it the recipient of: "a package for Ukraine", "assistance for Kyiv".</summary>
    private static readonly HashSet<string> AidFor = ["package", "aid", "assistance", "support", "tranche", "weapons", "arms", "equipment", "ammunition"];

    /// <summary>Whether aid goes to the country <paramref name="country"/> names: "to Ukraine", "into Ukraine", "a package for Ukraine".</summary>
    private static bool GoesTo(List<Word> words, Mention country)
    {
        var at = PrecedingAt(words, country.First);
        var before = at >= 0 ? words[at].Lower : "";
        return before is "to" or "into" || before == "for" && at >= 1 && AidFor.Contains(words[at - 1].Lower);
    }

    /// <summary>The word before word <paramref name="at"/>, passing over "the" (lower case), or "".</summary>
    private static string Preceded(List<Word> words, int at) => PrecedingAt(words, at) is var i and >= 0 ? words[i].Lower : "";

    /// <summary>Where the word before word <paramref name="at"/> stands, passing over "the"; -1 when none.</summary>
    private static int PrecedingAt(List<Word> words, int at) => at - (at >= 1 && words[at - 1].Lower == "the" ? 2 : 1);

    /// <summary>The recipient a clause names: the (last) country aid goes to (<see cref="GoesTo"/>), the one right after the verb, or the subject of "received".</summary>
    private static Mention? Recipient(List<Word> words, List<Mention> countries, List<StatusCue> cues, bool received)
    {
        // The last: "ship … to the United States, where they are … passed on to Ukraine" goes to Ukraine.
        var to = countries.LastOrDefault(m => Preceded(words, m.First) is "to" or "into") ?? countries.LastOrDefault(m => GoesTo(words, m));
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
        var models = mentions.Where(m => !m.Named.Generic).Select(m => m.Named.Category).ToHashSet();
        var kept = new List<(Mention, int)>();
        foreach (var mention in mentions)
        {
            // A generic name gives way to a model of its category that names what it is ("AT-4 anti-armor systems",
            // "anti-tank missiles called Javelin"), or to any in the clause unless it counts items of its own ("1,000
            // light anti-armor weapons and 6,000 AT-4 anti-armor systems": both).
            if (mention.Named.Generic && models.Contains(mention.Named.Category)
                && (mentions.Any(m => Tied(words, m, mention)) || Quantities.Before(words, mention.First).Quantity is null)) continue;
            // "the air defence of the Ukrainian Armed Forces" is a capability, not an item.
            if (mention.Named.Generic && mention.Last + 1 < words.Count && words[mention.Last + 1].Lower == "of" && mention.First > 0 && words[mention.First - 1].Lower == "the") continue;
            if (mention.Named.Generic && mention.Named.Category == "other" && mentions.Any(m => m.Named.Category != "other")) continue;
            // A model named after its generic name ("… weapons of the Pansarskott m/86 type") is counted where that stands.
            var generic = mentions.LastOrDefault(m => m.Named.Generic && m.Named.Category == mention.Named.Category && m.Last < mention.First
                && Enumerable.Range(m.Last + 1, mention.First - m.Last - 1).All(i => Naming.Contains(words[i].Lower)));
            kept.Add((mention, generic?.First ?? mention.First));
        }
        return kept;
    }

    /// <summary>
    /// Whether <paramref name="model"/> says what <paramref name="generic"/> is: a model of its category right before it,
    /// with at most two describing words between ("PzH 2000 self-propelled howitzers"), or right after it with only
    /// naming words and the model's own count between ("anti-tank missiles called Javelin", "60 tanks, including 30
    /// PT-91": 30 of the 60, not 90).
    /// </summary>
    private static bool Tied(List<Word> words, Mention model, Mention generic)
    {
        if (model.Named.Generic || model.Named.Category != generic.Named.Category) return false;
        if (model.Last < generic.First)
        {
            return generic.First - model.Last - 1 <= 2
                && Enumerable.Range(model.Last + 1, generic.First - model.Last - 1).All(i => char.IsLetter(words[i].Text[0]) && !Conjunctions.Contains(words[i].Lower) && words[i].Lower != "or");
        }
        // "60 tanks, including 30 PT-91": the model's own count may stand before it.
        var counted = Quantities.Before(words, model.First);
        var end = counted.Last >= counted.First ? counted.First : model.First;
        return end > generic.Last && Enumerable.Range(generic.Last + 1, end - generic.Last - 1).All(i => Naming.Contains(words[i].Lower));
    }

    /// <summary>The text's recipient: the country aid goes to most often in it (<see cref="GoesTo"/>); null when none.</summary>
    private static Mention? TextRecipient(List<Sentence> sentences) =>
        sentences.SelectMany(s => s.Mentions.Where(m => m.Named.Kind == NameKind.Country && GoesTo(s.Words, m)))
            .GroupBy(m => m.Named.Key).OrderByDescending(g => g.Count()).Select(g => g.First()).FirstOrDefault();
}
