namespace AidTracker.Api.Common;

public static class BuildContext
{
    /// <summary>True while the build runs the app to write openapi/openapi.json: no database is touched then.</summary>
    public static bool IsGeneratingOpenApi =>
        string.Equals(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, "GetDocument.Insider", StringComparison.Ordinal);
}
