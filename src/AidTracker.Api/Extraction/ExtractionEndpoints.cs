namespace AidTracker.Api.Extraction;

public static class ExtractionEndpoints
{
    public static IServiceCollection AddExtraction(this IServiceCollection services) => services.AddSingleton<ReferenceNames>();
}
