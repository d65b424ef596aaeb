using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;

namespace AidTracker.Api.Storage;

/// <summary>
/// The engines by name, as a verb's <c>ENGINE:WHERE</c> names a database (<c>sqlite:FILE</c>,
/// <c>postgres:CONNECTION STRING</c>): each engine opens its own kind of location and says what is wrong with it.
/// </summary>
public static class DatabaseEngines
{
    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>Every engine's name: a verb's <c>ENGINE:</c>, and <c>Database:Provider</c> (<see cref="DatabaseOptions"/>).</summary>
    public static readonly IReadOnlyList<string> Names = [Sqlite, Postgres];

    /// <summary>
    /// The database of <paramref name="engine"/> (one of <see cref="Names"/>) at <paramref name="location"/>, or null
    /// and why not. A SQLite file is made whole by <paramref name="fullPath"/> and must be there when
    /// <paramref name="mustExist"/>; a PostgreSQL database must always answer.
    /// </summary>
    public static Task<(Database? Database, string Problem)> OpenAsync(string engine, string location, bool mustExist, Func<string, string> fullPath) =>
        engine switch
        {
            Sqlite => Task.FromResult(SqliteDatabase.OpenFile(fullPath(location), mustExist)),
            Postgres => PostgresDatabase.ConnectAsync(location),
            _ => throw new ArgumentException($"'{engine}' is not one of the engines: {string.Join(", ", Names)}.", nameof(engine)),
        };
}
