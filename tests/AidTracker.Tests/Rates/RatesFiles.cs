using AidTracker.Api.Rates;
using Microsoft.Extensions.DependencyInjection;

namespace AidTracker.Tests;

/// <summary>Small hand-made rates files in the ECB's two layouts. The numbers are made up for the tests, not the ECB's.</summary>
public static class RatesFiles
{
    /// <summary>
    /// The history layout (eurofxref-hist.csv): newest first, a trailing comma, N/A where a currency has no rate.
    /// 2022-03-05 and 06 are a weekend; RUB's last rate is 2022-03-01; CHF is 2 on 2022-03-07 to test rounding.
    /// </summary>
    public const string History = """
        Date,USD,JPY,BHD,RUB,CHF,
        2022-03-07,1.0892,125.87,0.4105,N/A,2.0000,
        2022-03-04,1.0929,126.08,0.4120,N/A,1.0120,
        2022-03-03,1.1076,127.61,0.4170,N/A,1.0210,
        2022-03-02,1.1106,127.38,0.4180,N/A,1.0250,
        2022-03-01,1.1162,128.31,0.4200,117.2010,1.0300,

        """;

    /// <summary>The day's layout (eurofxref.csv): spaces after the commas, a written date, a trailing comma.</summary>
    public const string Daily = """
        Date, USD, JPY, BHD, CHF, 
        08 March 2022, 1.0895, 125.50, 0.4110, 1.0150, 

        """;

    public static string Write(string folder, string content, string name = "eurofxref-hist.csv")
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(folder, Guid.NewGuid().ToString("N"))).FullName, name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>Imports <paramref name="content"/> through the service's repository, as the verb does.</summary>
    public static async Task<RatesImported> ImportAsync(IServiceProvider services, string content)
    {
        var (file, errors, _) = EcbRatesFile.Parse(new StringReader(content.ReplaceLineEndings("\n")));
        Assert.True(file is not null, string.Join("\n", errors));
        return await services.GetRequiredService<ExchangeRateRepository>().ImportAsync(file, new string('0', 64), default);
    }
}
