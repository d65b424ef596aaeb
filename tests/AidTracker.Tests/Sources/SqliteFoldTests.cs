using AidTracker.Api.Storage.Sqlite;

namespace AidTracker.Tests;

/// <summary>SQLite's fold for the sources' and packages' q, which PostgreSQL does with lower(unaccent(…)).</summary>
public sealed class SqliteFoldTests
{
    [Theory]
    [InlineData("Žytómyr", "zytomyr")]
    [InlineData("ŁÓDŹ", "lodz")]
    [InlineData("Ärzte Øresund Đakovo", "arzte oresund dakovo")]
    [InlineData("Київ", "київ")]
    [InlineData("100% _x_", "100% _x_")]
    public void Fold_lower_cases_and_strips_the_diacritics_of_latin_letters(string text, string folded)
    {
        Assert.Equal(folded, SqliteFold.Fold(text));
    }

    [Fact]
    public void Fold_keeps_null()
    {
        Assert.Null(SqliteFold.Fold(null));
    }
}
