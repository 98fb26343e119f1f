using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ensemble.Common;
using Ensemble.Households;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Storage.Import;

/// <summary>
/// Writes households that do not exist yet straight to the table — a prepared statement re-bound per
/// row on SQLite, multi-row inserts on PostgreSQL — and records one "created" audit event for each,
/// as the change tracker would. An import of a whole book of clients is mostly new households, and
/// the change tracker's per-entity work dominated its time.
/// </summary>
internal static class NewHouseholds
{
    private const string Columns = "key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors, stated_household_income, "
        + "stated_initial_revenue, stated_investable_assets, stated_net_worth, stated_products, stated_recurring_revenue, stated_referrals_given, mailing_address";

    private const int Width = 15;
    private const int RowsPerStatement = 250;

    /// <summary>Inserts the households and returns their new ids by key.</summary>
    public static async Task<Dictionary<string, HouseholdId>> InsertAsync(EnsembleDb db, IReadOnlyList<Household> households, Instant now, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, HouseholdId>(StringComparer.Ordinal);
        if (households.Count == 0)
        {
            return ids;
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        if (db.Provider == StorageProvider.Sqlite)
        {
            await using var insert = Command(connection, transaction, 1);
            await ServerPreparation.PrepareAsync(insert, cancellationToken);
            foreach (var household in households)
            {
                Bind(insert, 0, household);
                ids[household.Key] = new HouseholdId((long)(await insert.ExecuteScalarAsync(cancellationToken))!);
            }
        }
        else
        {
            foreach (var chunk in households.Chunk(RowsPerStatement))
            {
                await using var insert = Command(connection, transaction, chunk.Length);
                for (var i = 0; i < chunk.Length; i++)
                {
                    Bind(insert, i, chunk[i]);
                }

                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids[reader.GetString(1)] = new HouseholdId(reader.GetInt64(0));
                }
            }
        }

        var events = households.Select(h => new PendingAuditEvent(ids[h.Key].Value, nameof(Household), ids[h.Key].ToString(), "created", null, Snapshot(h, ids[h.Key]))).ToList();
        await AuditWriter.AppendAsync(db, events, now, cancellationToken);
        return ids;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO households ({Columns}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < Width; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? "" : ", ").Append(name);
                AuditWriter.AddParameter(command, name, null);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(" RETURNING id, key").ToString();
        return command;
    }

    private static void Bind(DbCommand command, int row, Household h)
    {
        object?[] values =
        [
            h.Key, h.Name, h.Stage.ToString(), Conversions.StringList.ConvertToProvider(h.PreferredChannels), h.DoNotContact,
            Conversions.StringList.ConvertToProvider(h.Tags), JsonSerializer.Serialize(h.TrustedAdvisors, Conversions.JsonOptions),
            h.Stated.HouseholdIncome?.Amount, h.Stated.InitialRevenue?.Amount, h.Stated.InvestableAssets?.Amount, h.Stated.NetWorth?.Amount,
            h.Stated.Products, h.Stated.RecurringRevenue?.Amount, h.Stated.ReferralsGiven, h.MailingAddress,
        ];
        for (var c = 0; c < Width; c++)
        {
            command.Parameters[(row * Width) + c].Value = values[c] ?? DBNull.Value;
        }
    }

    private static string Snapshot(Household h, HouseholdId id) => JsonSerializer.Serialize(
        new Dictionary<string, object?>
        {
            ["Id"] = id.Value,
            ["Key"] = h.Key,
            ["Name"] = h.Name,
            ["Stage"] = h.Stage.ToString(),
            ["PreferredChannels"] = string.Join(';', h.PreferredChannels),
            ["DoNotContact"] = h.DoNotContact,
            ["Tags"] = string.Join(';', h.Tags),
            ["Stated.NetWorth"] = h.Stated.NetWorth?.Amount,
            ["Stated.InvestableAssets"] = h.Stated.InvestableAssets?.Amount,
            ["Stated.HouseholdIncome"] = h.Stated.HouseholdIncome?.Amount,
            ["Stated.InitialRevenue"] = h.Stated.InitialRevenue?.Amount,
            ["Stated.RecurringRevenue"] = h.Stated.RecurringRevenue?.Amount,
            ["Stated.ReferralsGiven"] = h.Stated.ReferralsGiven,
            ["Stated.Products"] = h.Stated.Products,
            ["MailingAddress"] = h.MailingAddress,
        },
        SnapshotJson);

    private static readonly JsonSerializerOptions SnapshotJson = new();
}
