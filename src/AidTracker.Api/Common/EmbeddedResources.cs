using System.Reflection;

namespace AidTracker.Api.Common;

/// <summary>Files built into the assembly: migrations, seed data, currencies.</summary>
public static class EmbeddedResources
{
    public static string ReadText(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static Stream Open(string name) =>
        typeof(EmbeddedResources).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
}
