using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ArchiveAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "communication_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    retention_years = table.Column<int>(type: "INTEGER", nullable: false),
                    fiscal_year_end_month = table.Column<int>(type: "INTEGER", nullable: false),
                    fiscal_year_end_day = table.Column<int>(type: "INTEGER", nullable: false),
                    app_address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_communication_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_notification_preferences",
                columns: table => new
                {
                    staff_id = table.Column<long>(type: "INTEGER", nullable: false),
                    daily_digest = table.Column<bool>(type: "INTEGER", nullable: false),
                    meeting_reminders = table.Column<bool>(type: "INTEGER", nullable: false),
                    alerts_in_digest = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_notification_preferences", x => x.staff_id);
                    table.ForeignKey(
                        name: "fk_staff_notification_preferences_staff_staff_id",
                        column: x => x.staff_id,
                        principalTable: "staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_kind_sent_at",
                table: "outbox_messages",
                columns: new[] { "kind", "sent_at" });

            // Books and records: a message is kept until its retain_until. The database itself refuses to delete it
            // earlier, to shorten its retention, or to change what was sent once it went out.
            migrationBuilder.Sql("CREATE TRIGGER outbox_messages_retained BEFORE DELETE ON outbox_messages WHEN old.retain_until > strftime('%Y-%m-%d %H:%M:%f', 'now') "
                + "BEGIN SELECT RAISE(ABORT, 'outbox message is retained as a book and record until its retain_until: DELETE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER outbox_messages_retention_kept BEFORE UPDATE OF retain_until ON outbox_messages WHEN new.retain_until < old.retain_until "
                + "BEGIN SELECT RAISE(ABORT, 'outbox message is retained as a book and record: its retention cannot be shortened'); END;");
            migrationBuilder.Sql("CREATE TRIGGER outbox_messages_kept_as_sent BEFORE UPDATE OF key, kind, channel, household_id, staff_id, campaign_id, recipient_name, address, subject, text_body, html_body, message_id, queued_at, sent_at ON outbox_messages "
                + "WHEN old.sent_at IS NOT NULL AND (new.key IS NOT old.key OR new.kind IS NOT old.kind OR new.channel IS NOT old.channel OR new.household_id IS NOT old.household_id "
                + "OR new.staff_id IS NOT old.staff_id OR new.campaign_id IS NOT old.campaign_id OR new.recipient_name IS NOT old.recipient_name OR new.address IS NOT old.address "
                + "OR new.subject IS NOT old.subject OR new.text_body IS NOT old.text_body OR new.html_body IS NOT old.html_body OR new.message_id IS NOT old.message_id "
                + "OR new.queued_at IS NOT old.queued_at OR new.sent_at IS NOT old.sent_at) "
                + "BEGIN SELECT RAISE(ABORT, 'outbox message was sent and is retained as sent: its content cannot change'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_retained;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_retention_kept;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_kept_as_sent;");
            migrationBuilder.DropTable(
                name: "communication_settings");

            migrationBuilder.DropTable(
                name: "staff_notification_preferences");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_kind_sent_at",
                table: "outbox_messages");
        }
    }
}
