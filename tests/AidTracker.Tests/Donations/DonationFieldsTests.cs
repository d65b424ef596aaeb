using AidTracker.Api.Common;
using AidTracker.Api.Donations;
using AidTracker.Api.Exports;
using AidTracker.Api.Storage;
using AidTracker.Api.Storage.Postgres;
using AidTracker.Api.Storage.Sqlite;

namespace AidTracker.Tests;

/// <summary>What <see cref="DonationFields"/> derives: every list names each field it should, once, in one order.</summary>
public sealed class DonationFieldsTests
{
    private static readonly string[] WrittenColumns = [.. DonationFields.Written.Select(f => f.Column!)];

    [Fact]
    public void Every_written_field_is_inserted_updated_and_copied_into_history()
    {
        foreach (var column in WrittenColumns)
        {
            Assert.Contains(column, DonationFields.Insert.Columns.Split(", "));
            Assert.Contains($"{column} = @", DonationFields.UpdateSet, StringComparison.Ordinal);
            Assert.Contains(column, DonationRepository.CopyToHistory.Split([", ", " ", "(", ")"], StringSplitOptions.None));
        }
    }

    [Fact]
    public void History_copy_lists_the_same_columns_in_the_insert_and_the_select()
    {
        var sql = DonationRepository.CopyToHistory;
        var inserted = sql[(sql.IndexOf('(') + 1)..sql.IndexOf(')')].Split(", ");
        var selected = sql[(sql.IndexOf("SELECT ", StringComparison.Ordinal) + 7)..sql.IndexOf(" FROM", StringComparison.Ordinal)].Split(", ");

        Assert.Equal(inserted.Length, selected.Length);
        Assert.Equal(inserted.Skip(DonationFields.HistoryStamp.Count), selected.Skip(DonationFields.HistoryStamp.Count));
        Assert.Equal(["donation_id", .. DonationFields.Versioned], inserted.Where(c => !DonationFields.HistoryStamp.Skip(1).Contains(c)));
    }

    [Fact]
    public void Each_written_field_has_a_parameter_that_DonationWrite_holds()
    {
        // A partial date's precision and last day are parameters of their own, read from the date the write holds.
        var properties = typeof(DonationWrite).GetProperties().Select(p => p.Name).Except(["Evidence", "Deliveries"]).ToHashSet();
        var parameters = DonationFields.Written.Select(f => f.Parameter).Where(p => !p.EndsWith("Precision", StringComparison.Ordinal) && !p.EndsWith("OnEnd", StringComparison.Ordinal));

        Assert.Equal(properties.Order(), parameters.Order());
        Assert.All(DonationFields.Written, field => Assert.NotNull(field.Value));
    }

    [Fact]
    public void Insert_and_update_stamp_the_times_and_the_version()
    {
        Assert.Equal(
            "donor, recipient, funder, weapon_system, package_id, quantity, quantity_qualifier, status, " +
            "announced_on, announced_on_precision, announced_on_end, committed_on, committed_on_precision, committed_on_end, " +
            "first_reported_on, first_reported_on_precision, first_reported_on_end, value_amount_minor, value_currency, value_basis, " +
            "value_eur_cents, value_eur_method, value_eur_rate, value_eur_rate_date, notes, created_at, updated_at, version",
            DonationFields.Insert.Columns);
        Assert.EndsWith("@Notes, @At, @At, 1", DonationFields.Insert.Values, StringComparison.Ordinal);
        Assert.EndsWith("notes = @Notes, updated_at = @At, version = version + 1", DonationFields.UpdateSet, StringComparison.Ordinal);
        Assert.DoesNotContain("created_at", DonationFields.UpdateSet, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stamps_a_binding_writer_inserts_are_the_moment_and_version_one()
    {
        var stamps = DonationFields.Inserted.Skip(DonationFields.Written.Count).ToList();

        Assert.Equal(["created_at", "updated_at", "version"], stamps.Select(f => f.Name));
        Assert.Equal(["T", "T", 1L], stamps.Select(f => DonationFields.InsertedStamp(f, "T")));
    }

    [Fact]
    public void Each_stored_field_is_read_as_its_column_on_donations()
    {
        foreach (var field in DonationFields.All.Where(f => f.Storage is not FieldStorage.Joined))
        {
            Assert.Equal("d." + field.Column, field.Sql);
        }
    }

    [Theory]
    [InlineData("w.category")]
    [InlineData("d.value_eur_cents / 100")]
    public void A_stored_field_not_read_as_a_donations_column_is_refused(string sql)
    {
        var field = new DonationField { Name = "odd", Storage = FieldStorage.Written, Sql = sql };

        Assert.Throws<InvalidOperationException>(() => field.Column);
    }

    [Fact]
    public void Donations_and_their_history_hold_every_stored_field_and_no_joined_one()
    {
        Assert.Equal(["id", .. DonationFields.Versioned], DonationFields.Stored);
        Assert.Contains("deleted_at", DonationFields.Versioned);
        Assert.Contains("quantity_delivered", DonationFields.Versioned);
        Assert.DoesNotContain(DonationFields.Stored, column => column is "category" or "donor_name");
        Assert.Equal(DonationFields.Versioned.Count + 1, DonationFields.FromHistory.Split(", ").Length);
        Assert.StartsWith("h.donation_id AS id, h.donor,", DonationFields.FromHistory, StringComparison.Ordinal);
    }

    [Fact]
    public void The_row_select_reads_every_field_but_the_id_under_its_row_name()
    {
        var names = DonationFields.Select.Split(", ").Select(item => item.Split(' ')[^1].Split('.')[^1]).ToList();

        Assert.Equal(DonationFields.All.Where(f => f.Storage is not (FieldStorage.Key or FieldStorage.Kept)).Select(f => f.Column ?? f.Name), names);
        Assert.Contains("dc.name AS donor_name", DonationFields.Select, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_object_the_export_header_and_the_codebook_name_the_same_fields_in_one_order()
    {
        var json = DonationJson.Refresh(SqliteDialect.Instance, "true");
        var jsonNames = DonationFields.Wire.Select(f => f.Name).Where(name => json.Contains($"'{name}', ", StringComparison.Ordinal)).ToList();
        var positions = jsonNames.Select(name => json.IndexOf($"'{name}', ", StringComparison.Ordinal)).ToList();

        Assert.Equal(ExportColumns.All.Select(c => c.Name), jsonNames);
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain("deleted_at", json, StringComparison.Ordinal);
        Assert.Equal(ExportColumns.All.Select(c => c.Name), DonationFields.Wire.Select(f => f.Name));
    }

    [Theory]
    [InlineData("value_amount", ColumnType.Decimal)]
    [InlineData("announced_on", ColumnType.Text)]
    [InlineData("created_at", ColumnType.Timestamp)]
    public void Fields_whose_wire_text_is_not_the_stored_value_write_it_in_json_and_exports_alike(string name, ColumnType type)
    {
        var field = DonationFields.All.Single(f => f.Name == name);
        var column = ExportColumns.All.Single(c => c.Name == name);

        Assert.Equal(type, column.Type);
        Assert.NotEqual(field.Sql, field.Wire(PostgresDialect.Instance));
        Assert.Equal(field.Wire(PostgresDialect.Instance), column.Sql(PostgresDialect.Instance));
        Assert.Contains(field.Wire(PostgresDialect.Instance), DonationJson.Refresh(PostgresDialect.Instance, "true"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sort_keys_are_the_sortable_fields_in_their_positions_over_the_stored_values()
    {
        Assert.Equal(
            ["id", "announced_on", "first_reported_on", "donor", "recipient", "weapon_system", "category", "status", "quantity", "value_eur", "created_at", "updated_at"],
            DonationSort.Columns.Keys);
        Assert.Equal(new SortColumn("value_eur", "d.value_eur_cents", true, true), DonationSort.Columns["value_eur"]);
        Assert.Equal(new SortColumn("category", "w.category", false, false), DonationSort.Columns["category"]);
    }

    [Fact]
    public void The_sort_parameter_describes_the_declared_sort_keys_in_order()
    {
        // The OpenAPI document adds the description and pattern of this declaration (OpenApiQueryTests checks it).
        Assert.Equal(DonationSort.Columns.Keys, DonationSort.Parameter.Keys.Names);
        Assert.Equal($"Keys: {string.Join(", ", DonationSort.Columns.Keys)}.", DonationSort.Parameter.Description);
    }

    [Fact]
    public void An_import_takes_the_written_fields_and_sets_aside_the_assigned_ones()
    {
        Assert.Equal(
            ["id", "donor_name", "recipient_name", "weapon_system_name", "category", "quantity_delivered", "first_reported_on",
             "value_eur_method", "value_eur_rate", "value_eur_rate_date", "created_at", "updated_at", "version"],
            Api.Imports.DonationImport.Assigned);
        Assert.Equal(ExportColumns.All.Count, Api.Imports.DonationImport.DonationColumns.Count + Api.Imports.DonationImport.Assigned.Length);
    }
}
