using AidTracker.Api.Donations;

namespace AidTracker.Api.Extraction;

/// <summary>
/// A verb that says where aid stands, the words that say it, and whether the recipient is its subject ("Ukraine has
/// received", where the donor follows "from") rather than the donor.
/// </summary>
public sealed record StatusCue(DonationStatus Status, int First, int Last, bool Received = false);

/// <summary>
/// The status a sentence's verbs give, as the design reads them: what will happen (will send, pledged, plans to) is
/// announced; what is decided or under way (approved, agreed, are sending, are being sent, on their way) is
/// committed; what happened (delivered, arrived, handed over, has sent, has received) is delivered. A verb of giving
/// counts only in a verb phrase: "wary of sending weaponry" says nothing, "could send" is not a decision, and a
/// request ("asked Germany to send") is not an announcement.
/// </summary>
public static class StatusCues
{
    private static readonly (string Base, string Ing, string Participle)[] Giving =
    [
        ("send", "sending", "sent"), ("supply", "supplying", "supplied"), ("provide", "providing", "provided"),
        ("give", "giving", "given"), ("deliver", "delivering", "delivered"), ("donate", "donating", "donated"),
        ("transfer", "transferring", "transferred"), ("ship", "shipping", "shipped"), ("hand", "handing", "handed"),
        ("pass", "passing", "passed"), ("gift", "gifting", "gifted"), ("lend", "lending", "lent"), ("loan", "loaning", "loaned"),
        ("contribute", "contributing", "contributed"), ("dispatch", "dispatching", "dispatched"), ("allocate", "allocating", "allocated"),
    ];

    private static readonly HashSet<string> Bases = [.. Giving.Select(g => g.Base)];
    private static readonly HashSet<string> Ings = [.. Giving.Select(g => g.Ing)];
    private static readonly HashSet<string> Participles = [.. Giving.Select(g => g.Participle), "gave"];

    private static readonly HashSet<string> Announcing =
    [
        "pledged", "pledges", "pledge", "promised", "promises", "plans", "planned", "plan", "intends", "intended", "intend",
        "offered", "offers", "announced", "announces", "unveiled", "unveils", "earmarked",
    ];

    private static readonly HashSet<string> Committing =
    [
        "approved", "approves", "approve", "agreed", "agrees", "decided", "decides", "authorised", "authorized", "authorises",
        "authorizes", "cleared", "committed", "commits", "ordered",
    ];

    private static readonly HashSet<string> Arriving = ["arrived", "arrive", "arrives", "reached", "delivered"];

    private static readonly HashSet<string> Receiving = ["received", "receives", "receive", "obtained", "got"];

    private static readonly HashSet<string> Being = ["is", "are", "am", "was", "were"];

    private static readonly HashSet<string> Having = ["has", "have", "had"];

    private static readonly HashSet<string> Future = ["will", "would", "shall", "'ll", "to"];

    private static readonly HashSet<string> Requesting = ["asked", "asks", "requested", "request", "requests", "urged", "urges", "appealed", "wants", "wanted", "called", "calls"];

    private static readonly HashSet<string> Adverbs = ["also", "now", "already", "soon", "still", "further", "currently", "then", "just", "additionally", "immediately", "reportedly"];

    /// <summary>Whether a word (lower case) is a form of a verb of giving, deciding or arriving.</summary>
    public static bool IsVerb(string lower) =>
        Bases.Contains(lower) || Ings.Contains(lower) || Participles.Contains(lower) || Announcing.Contains(lower) || Committing.Contains(lower)
        || Arriving.Contains(lower) || Receiving.Contains(lower);

    /// <summary>The cues in <paramref name="words"/> (one clause), left to right.</summary>
    public static List<StatusCue> In(IReadOnlyList<Word> words)
    {
        var cues = new List<StatusCue>();
        var requested = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i].Lower;
            requested |= Requesting.Contains(word);
            var auxiliaries = Auxiliaries(words, i);
            var before = auxiliaries.ToHashSet();
            // "has not sent", "will not deliver": no status.
            if (before.Contains("not")) continue;
            // "are to be overhauled and then passed on", "will pool funds … and supply them": the first verb says it.
            var coordinated = i > auxiliaries.Count && words[i - auxiliaries.Count - 1].Lower is "and" or "or";
            if (coordinated && Participles.Contains(word)) continue;
            if (coordinated && Bases.Contains(word) && words.Take(i).Any(w => w.Lower is "will" or "would" or "to"))
            {
                cues.Add(new(DonationStatus.Announced, i, i));
                continue;
            }
            if (Participles.Contains(word))
            {
                // "will be sent" (announced), "are being sent" (committed), "has sent", "were delivered", "sent" (delivered).
                var status = before.Contains("being") ? DonationStatus.Committed
                    : before.Contains("be") && before.Overlaps(Future) ? DonationStatus.Announced
                    : before.Contains("be") ? (DonationStatus?)null
                    : DonationStatus.Delivered;
                if (status is { } s && !(word is "provided" && Next(words, i) == "that")) cues.Add(new(s, i - auxiliaries.Count, i));
            }
            else if (Ings.Contains(word) && before.Overlaps(Being)) cues.Add(new(DonationStatus.Committed, i - auxiliaries.Count, i));
            else if (Ings.Contains(word) && i > 0 && words[i - 1].Lower == "by")
            {
                // "will join that effort by supplying": as the verb it hangs on, announced when that is to come.
                var future = words.Take(i).Any(w => w.Lower is "will" or "would" or "plans" or "intends" or "pledged" or "promised");
                cues.Add(new(future ? DonationStatus.Announced : DonationStatus.Committed, i - 1, i));
            }
            else if (Bases.Contains(word) && before.Overlaps(Future) && !(requested && before.Contains("to")) && !before.Contains("could"))
            {
                cues.Add(new(DonationStatus.Announced, i - auxiliaries.Count, i));
            }
            else if (Announcing.Contains(word) && !requested) cues.Add(new(DonationStatus.Announced, i, i));
            else if (Committing.Contains(word)) cues.Add(new(DonationStatus.Committed, i, i));
            else if (Arriving.Contains(word) && !before.Overlaps(Future)) cues.Add(new(DonationStatus.Delivered, i, i));
            else if (Receiving.Contains(word) && !before.Overlaps(Future)) cues.Add(new(DonationStatus.Delivered, i, i, Received: true));
            else if (word == "way" && i >= 2 && words[i - 2].Lower == "on" && words[i - 1].Lower is "their" or "its") cues.Add(new(DonationStatus.Committed, i - 2, i));
            else if (word == "route" && i >= 1 && words[i - 1].Lower == "en") cues.Add(new(DonationStatus.Committed, i - 1, i));
            else if (word == "over" && i >= 1 && words[i - 1].Lower == "handed") cues.Add(new(DonationStatus.Delivered, i - 1, i));
        }
        return cues;
    }

    private static string Next(IReadOnlyList<Word> words, int i) => i + 1 < words.Count ? words[i + 1].Lower : "";

    /// <summary>The auxiliary words right before word <paramref name="i"/> ("will also be", "are being", "has"), adverbs included, nearest last.</summary>
    private static List<string> Auxiliaries(IReadOnlyList<Word> words, int i)
    {
        var found = new List<string>();
        for (var k = i - 1; k >= 0 && found.Count < 4; k--)
        {
            var word = words[k].Lower;
            if (Being.Contains(word) || Having.Contains(word) || Future.Contains(word) || word is "be" or "been" or "being" or "could" or "not" || Adverbs.Contains(word))
            {
                found.Add(word);
                continue;
            }
            break;
        }
        return found;
    }
}
