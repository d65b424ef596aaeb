using Microsoft.Data.Sqlite;

namespace AidTracker.Api.Infrastructure;

public static class SqliteErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static bool IsUniqueViolation(SqliteException e) =>
        e.SqliteErrorCode == SqliteConstraint && e.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique;
}
