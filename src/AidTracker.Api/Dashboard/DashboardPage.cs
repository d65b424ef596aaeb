using Microsoft.Extensions.FileProviders;

namespace AidTracker.Api.Dashboard;

/// <summary>
/// <c>GET /</c>: the dashboard, static HTML, CSS and JavaScript from <c>wwwroot</c>, embedded in the assembly. It reads
/// only this API. Browsers revalidate it on every load (no-cache, with the ETag the static files middleware makes).
/// </summary>
public static class DashboardPage
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DashboardPage).Assembly, "AidTracker.Api.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
