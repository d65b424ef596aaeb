using AidTracker.Api.Storage.Postgres;
using Dapper;
using Npgsql;

namespace AidTracker.Tests.Storage;

/// <summary>The server settings of the service's PostgreSQL sessions, on the PostgreSQL leg's server.</summary>
public sealed class PostgresSessionTests
{
    [PostgresFact]
    public async Task Sessions_do_not_jit_so_their_parallel_workers_never_load_llvm()
    {
        // The same server as the reads' too, so that both data sources are built and asked.
        using var database = new PostgresDatabase(ApiFixture.PostgresServer!, ApiFixture.PostgresServer);
        await using var plain = new NpgsqlConnection(ApiFixture.PostgresServer);
        await plain.OpenAsync();

        Assert.Equal("on", await plain.ExecuteScalarAsync<string>("SHOW jit")); // the server's default, which the service's sessions change
        Assert.Equal(("off", "off"), (await SettingAsync(database, "jit", primary: true), await SettingAsync(database, "jit", primary: false)));
    }

    [PostgresTheory]
    [InlineData("Options=-c work_mem=8MB", "on", "8MB")]
    [InlineData("Options=-c jit=on", "on", "4MB")]
    public async Task A_connection_string_that_names_options_keeps_its_own(string options, string jit, string workMem)
    {
        using var database = new PostgresDatabase($"{ApiFixture.PostgresServer};{options}", null);

        Assert.Equal((jit, workMem), (await SettingAsync(database, "jit"), await SettingAsync(database, "work_mem")));
    }

    private static async Task<string> SettingAsync(PostgresDatabase database, string name, bool primary = true)
    {
        await using var connection = primary ? await database.OpenPrimaryAsync() : await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT current_setting(@Name)", new { Name = name }) ?? "";
    }
}
