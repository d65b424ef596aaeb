using System.Text.Json.Nodes;
using AidTracker.Api.Cli;
using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Extraction;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>
/// The extractor over the reference data of a real database: the seed article yields exactly the bundled records,
/// and each rule (quantities, dates, status, donors and recipients, generic names) on the sentences that test it.
/// The corpus's precision and recall are measured by scripts/extraction-eval, not asserted here.
/// </summary>
public sealed class ExtractorTests(ApiFixture app) : IClassFixture<ApiFixture>
{
    private async Task<ExtractionResult> ExtractAsync(string text, string? publishedOn = null)
    {
        var gazetteer = await app.Services.GetRequiredService<ReferenceNames>().GazetteerAsync(default);
        return new Extractor(gazetteer).Extract(text, publishedOn is null ? null : DateOnly.Parse(publishedOn, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<ExtractedRecord> OneAsync(string text, string? publishedOn = null) => Assert.Single((await ExtractAsync(text, publishedOn)).Records);

    [Fact]
    public async Task The_seed_article_yields_exactly_the_bundled_records_with_their_quotes_in_order()
    {
        var text = EmbeddedResources.ReadText(typeof(Extractor).Assembly, "Dataset/Seed/article.txt");
        var bundled = CsvReader.ReadAll(new StringReader(EmbeddedResources.ReadText(typeof(Extractor).Assembly, "Dataset/Seed/donations.csv")));

        var result = await ExtractAsync(text, "2022-03-06");

        Assert.Equal(
            bundled.Select(row => (row["donor"], row["recipient"], row["weapon_system"], row["status"], row["quote"])),
            result.Records.Select(r => (r.Donor, r.Recipient, r.WeaponSystem, WireEnum<DonationStatus>.Name(r.Status), r.Quote.Of(text))));
        Assert.All(result.Records, r => Assert.Equal((null, QuantityQualifier.Undisclosed, null), (r.Quantity, r.QuantityQualifier, r.Date)));
        // Each field says which words gave it, at their offsets.
        var czech = result.Records.First(r => r.Donor == "CZE");
        Assert.Equal("Czechs", czech.Because.Single(f => f.Field == "donor").Words);
        Assert.All(czech.Because, f => Assert.Equal(f.Words, text[f.Start..f.End]));
    }

    [Theory]
    [InlineData("Germany will send 500 Stinger missiles to Ukraine.", 500L, QuantityQualifier.Exact)]
    [InlineData("Germany will send at least 100 Stingers to Ukraine.", 100L, QuantityQualifier.AtLeast)]
    [InlineData("Germany will send more than 1,000 Javelins to Ukraine.", 1000L, QuantityQualifier.AtLeast)]
    [InlineData("Germany will send about 2,700 Strela-2 missiles to Ukraine.", 2700L, QuantityQualifier.Approximate)]
    [InlineData("Germany will send up to 50 Javelins to Ukraine.", 50L, QuantityQualifier.Approximate)]
    [InlineData("Germany will send Two thousand Javelins to Ukraine.", 2000L, QuantityQualifier.Exact)]
    [InlineData("Germany will send twenty-five Javelins to Ukraine.", 25L, QuantityQualifier.Exact)]
    [InlineData("Germany will send 8 million rounds of ammunition to Ukraine.", 8_000_000L, QuantityQualifier.Exact)]
    [InlineData("Germany will send a Patriot battery to Ukraine.", 1L, QuantityQualifier.Exact)]
    [InlineData("Germany will send dozens of Javelins to Ukraine.", null, QuantityQualifier.Undisclosed)]
    [InlineData("Germany will send several Javelins to Ukraine.", null, QuantityQualifier.Undisclosed)]
    [InlineData("Germany will send $100 million in weapons to Ukraine.", null, QuantityQualifier.Undisclosed)]
    [InlineData("Germany will send D-30 howitzers built in 1945 to Ukraine.", null, QuantityQualifier.Undisclosed)]
    public async Task A_quantity_is_read_right_before_its_weapon_with_its_qualifier(string text, long? quantity, QuantityQualifier qualifier)
    {
        var record = await OneAsync(text);

        Assert.Equal((quantity, qualifier), (record.Quantity, record.QuantityQualifier));
    }

    [Theory]
    [InlineData("Germany will send Stingers to Ukraine.", DonationStatus.Announced)]
    [InlineData("Germany has pledged Stingers to Ukraine.", DonationStatus.Announced)]
    [InlineData("Germany approved the transfer of Stingers to Ukraine.", DonationStatus.Committed)]
    [InlineData("Stingers are being sent to Ukraine by Germany.", DonationStatus.Committed)]
    [InlineData("Germany is sending Stingers to Ukraine.", DonationStatus.Committed)]
    [InlineData("Germany has delivered Stingers to Ukraine.", DonationStatus.Delivered)]
    [InlineData("Stingers from Germany arrived in Ukraine.", DonationStatus.Delivered)]
    [InlineData("Ukraine has received Stingers from Germany.", DonationStatus.Delivered)]
    public async Task Status_comes_from_the_verbs(string text, DonationStatus status)
    {
        var record = await OneAsync(text);

        Assert.Equal(("DEU", "UKR", "fim-92-stinger", status), (record.Donor, record.Recipient, record.WeaponSystem, record.Status));
    }

    [Theory]
    [InlineData("Germany, which has always been wary of sending weaponry into conflict zones, said nothing.")]
    [InlineData("Ukraine had asked Germany to send Leopard 2 tanks.")]
    [InlineData("Germany has not sent Leopard 2 tanks to Ukraine.")]
    [InlineData("Sweden has 48 Archer howitzers.")]
    [InlineData("The Russian invasion of Ukraine brought tanks to the border.")]
    public async Task A_sentence_that_gives_nothing_makes_no_record(string text)
    {
        Assert.Empty((await ExtractAsync(text)).Records);
    }

    [Theory]
    [InlineData("Germany will send Stingers to Ukraine, the spokesman said on Saturday.", "2022-02-27", "2022-02-26")]
    [InlineData("Germany will send Stingers to Ukraine, the minister said today.", "2022-02-27", "2022-02-27")]
    [InlineData("Germany decided on 26 February to send Stingers to Ukraine.", "2022-03-02", "2022-02-26")]
    [InlineData("Germany decided on February 26, 2022 to send Stingers to Ukraine.", "2023-03-02", "2022-02-26")]
    [InlineData("Germany delivered Stingers to Ukraine in late December.", "2023-01-05", "2022-12")]
    [InlineData("BERLIN, Feb 27 – Germany will send Stingers to Ukraine.", "2022-02-27", null)]
    [InlineData("Germany will send Stingers to Ukraine.", "2022-02-27", null)]
    public async Task A_date_is_the_one_the_sentence_states_read_against_publication(string text, string publishedOn, string? date)
    {
        var record = await OneAsync(text, publishedOn);

        Assert.Equal(date, record.Date?.ToString());
    }

    [Fact]
    public async Task Donors_in_a_passive_list_each_get_a_record_and_a_shared_total_is_not_split()
    {
        var records = (await ExtractAsync("100 Leopard 1 tanks are being sent to Ukraine by Germany, Denmark and the Netherlands.")).Records;

        Assert.Equal(["DEU", "DNK", "NLD"], records.Select(r => r.Donor));
        Assert.All(records, r => Assert.Equal(("leopard-1", (long?)null, QuantityQualifier.Undisclosed), (r.WeaponSystem, r.Quantity, r.QuantityQualifier)));
    }

    [Fact]
    public async Task A_model_replaces_its_generic_name_and_is_counted_where_that_stands()
    {
        var records = (await ExtractAsync("Sweden will send 5,000 anti-tank weapons of the Pansarskott m/86 type and 7 PzH 2000 howitzers to Ukraine.")).Records;

        Assert.Equal([("at4", 5000L), ("pzh-2000", 7L)], records.Select(r => (r.WeaponSystem, r.Quantity!.Value)));
    }

    [Fact]
    public async Task A_sentence_continuing_the_last_one_takes_its_donor_and_status()
    {
        var records = (await ExtractAsync("Sweden will send military aid to Ukraine. It includes 5,000 helmets and 5,000 body shields.")).Records;

        var record = Assert.Single(records);
        Assert.Equal(("SWE", "body-armour", 10_000L, DonationStatus.Announced), (record.Donor, record.WeaponSystem, record.Quantity!.Value, record.Status));
    }

    /// <summary>Each case: a text, then its records as "DONOR RECIPIENT weapon-system quantity" (quantity "-" when undisclosed), in order.</summary>
    [Theory]
    // A one-word name in capitals is found in title case when it is five letters or more (MILAN, CAESAR).
    [InlineData("France is supplying Ukraine with Milan anti-tank missiles and Caesar truck-mounted howitzers.", "FRA UKR milan -|FRA UKR caesar -")]
    // A calibre is not a count, before the name or after a unit.
    [InlineData("The United States will send Ukraine 72 155 mm howitzers and 15,000 rounds of 155mm artillery ammunition.", "USA UKR artillery-unspecified 72|USA UKR artillery-ammunition 15000")]
    // A package "for" a country goes to it.
    [InlineData("Sweden announced a new military aid package for Ukraine, including NLAW anti-tank weapons.", "SWE UKR nlaw -")]
    // A clause without a recipient has the last one named ("send Ukraine …").
    [InlineData("The United States will send Ukraine four HIMARS. The package also includes 1,000 Javelin missiles.", "USA UKR m142-himars 4|USA UKR fgm-148-javelin 1000")]
    // An approval after the weapons does not void the clause's giving.
    [InlineData("Germany agreed to send 14 Leopard 2 A6 tanks and to let other countries re-export their Leopards to Ukraine.", "DEU UKR leopard-2 14")]
    // The subject of an infinitive of giving is the donor, not the country that allowed it.
    [InlineData("Germany cleared the way for the Estonians to send howitzers to Ukraine.", "EST UKR artillery-unspecified -")]
    // A request from the recipient does not make it a donor.
    [InlineData("The Netherlands will ship 200 Stinger missiles to Ukraine, following a request from Kyiv.", "NLD UKR fim-92-stinger 200")]
    // A generic name that counts items of its own stays beside a model of its category.
    [InlineData("The United States will send Ukraine 1,000 light anti-armor weapons and 6,000 AT-4 anti-armor systems.", "USA UKR anti-tank-unspecified 1000|USA UKR at4 6000")]
    // A conjunction parts clauses where the right side has its own donor and verb before the next conjunction.
    [InlineData("Germany approved the supply of 1,000 anti-tank weapons and 500 Stinger missiles and allowed the Netherlands to send 400 Panzerfaust 3 to Ukraine.",
        "DEU UKR anti-tank-unspecified 1000|DEU UKR fim-92-stinger 500|NLD UKR panzerfaust-3 400")]
    // The false readings each rule was checked against (a second reading of the rules found them).
    [InlineData("Poland will send Ukraine 60 tanks, including 30 PT-91 Twardy.", "POL UKR pt-91-twardy 30")]
    [InlineData("Speaking in Milan, Italy's defence minister said Italy will send more air defence systems to Ukraine.", "ITA UKR air-defence-unspecified -")]
    [InlineData("The Pentagon said Germany will send 40 Marder vehicles to Ukraine.", "DEU UKR marder-1 40")]
    [InlineData("Germany will send 20 Marder vehicles to Ukraine, the ministry said, adding that a separate package for Lithuania is being prepared.", "DEU UKR marder-1 20")]
    [InlineData("Poland has received 180 K2 tanks from South Korea. Poland will also send 60 PT-91 Twardy tanks.", "KOR POL tank-unspecified 180")]
    public async Task Each_rule_reads_the_records_of_the_sentences_that_need_it(string text, string expected)
    {
        var records = (await ExtractAsync(text)).Records;

        Assert.Equal(expected.Split('|'), records.Select(r => $"{r.Donor} {r.Recipient} {r.WeaponSystem} {r.Quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"));
    }

    [Fact]
    public async Task A_sentence_stating_aid_without_a_donor_is_an_unresolved_mention()
    {
        var result = await ExtractAsync("Stingers are being sent to Ukraine.");

        Assert.Empty(result.Records);
        Assert.Equal("no donor is named", Assert.Single(result.Unresolved).Reason);
    }

    [Fact]
    public async Task The_verb_writes_the_records_of_a_file_as_json_and_refuses_bad_arguments()
    {
        var path = Path.Combine(app.Folder, "statement.txt");
        await File.WriteAllTextAsync(path, "Germany will send 500 Stinger missiles to Ukraine, the spokesman said on Saturday.");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await Commands.RunAsync(app.Services, ["extract", path, "--published-on", "2022-02-27"], output, error);

        Assert.True(exit == 0, error.ToString());
        var record = JsonNode.Parse(output.ToString())!["records"]![0]!;
        Assert.Equal(("DEU", 500, "2022-02-26"), (record["donor"]!.GetValue<string>(), record["quantity"]!.GetValue<int>(), record["date"]!.GetValue<string>()));
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["extract", path, "--published-on", "27/02/2022"], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["extract", Path.Combine(app.Folder, "missing.txt")], new StringWriter(), new StringWriter()));
        Assert.Equal(2, await Commands.RunAsync(app.Services, ["extract", path, "--colour", "red"], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task Hostile_text_gives_a_result_in_bounded_time()
    {
        var names = string.Join(", ", Enumerable.Repeat("Germany Poland Stinger Javelin 5,000 at least about on Saturday", 2000));
        var noSentences = new string('x', 300_000) + " " + string.Join(" ", Enumerable.Repeat("are being sent by", 20_000));
        var markup = string.Concat(Enumerable.Repeat("<p>Die Niederlande liefern <b>200</b> Stinger.</p>\n", 5000));

        foreach (var text in new[] { names, noSentences, markup })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await ExtractAsync(text, "2022-02-27");
            Assert.NotNull(result);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for {text.Length:N0} characters");
        }
    }
}
