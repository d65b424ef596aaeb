using AidTracker.Api.Auth;
using AidTracker.Api.Cli;
using AidTracker.Api.Countries;
using AidTracker.Api.Dashboard;
using AidTracker.Api.Dataset;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Extraction;
using AidTracker.Api.Health;
using AidTracker.Api.Http;
using AidTracker.Api.Imports;
using AidTracker.Api.Packages;
using AidTracker.Api.Rates;
using AidTracker.Api.Releases;
using AidTracker.Api.Review;
using AidTracker.Api.Sources;
using AidTracker.Api.Stats;
using AidTracker.Api.Storage;
using AidTracker.Api.WeaponSystems;

var builder = WebApplication.CreateBuilder(Commands.HostArguments(args));

builder.Services
    .AddHttpPipeline()
    .AddHardening(builder.Configuration)
    .AddRateLimits(builder.Configuration)
    .AddReadCaching(builder.Configuration)
    .AddDatabase(builder.Configuration, builder.Environment)
    .AddBundledData()
    .AddApiKeyAuthentication()
    .AddCountries()
    .AddWeaponSystems()
    .AddDonations()
    .AddSources()
    .AddPackages()
    .AddStats()
    .AddExports()
    .AddReleases()
    .AddImports(builder.Configuration)
    .AddRates()
    .AddExtraction()
    .AddReview()
    .AddCommands(args);

var app = builder.Build();

if (Commands.IsCommand(args)) return await Commands.RunAsync(app, args);

app.UseHttpPipeline(afterRateLimits: pipeline => pipeline.UseSentKeyCheck());
app.MapDashboard();
app.MapHealth();
app.MapCountries();
app.MapWeaponSystems();
app.MapDonations();
app.MapSources();
app.MapPackages();
app.MapStats();
app.MapExports();
app.MapReleases();
app.MapImports();
app.MapExtractions();
app.MapReview();

await app.RunAsync();
return 0;
