using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Postgres
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
                    id = table.Column<int>(type: "integer", nullable: false),
                    retention_years = table.Column<int>(type: "integer", nullable: false),
                    fiscal_year_end_month = table.Column<int>(type: "integer", nullable: false),
                    fiscal_year_end_day = table.Column<int>(type: "integer", nullable: false),
                    app_address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_communication_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_notification_preferences",
                columns: table => new
                {
                    staff_id = table.Column<long>(type: "bigint", nullable: false),
                    daily_digest = table.Column<bool>(type: "boolean", nullable: false),
                    meeting_reminders = table.Column<bool>(type: "boolean", nullable: false),
                    alerts_in_digest = table.Column<bool>(type: "boolean", nullable: false)
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
            // earlier (or to truncate the table), to shorten its retention, or to change what was sent once it went out.
            migrationBuilder.Sql(@"CREATE FUNCTION outbox_keep_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.retain_until > now() THEN
            RAISE EXCEPTION 'outbox message % is retained as a book and record until %: DELETE refused', OLD.id, OLD.retain_until;
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.retain_until < OLD.retain_until THEN
        RAISE EXCEPTION 'outbox message % is retained as a book and record until %: its retention cannot be shortened', OLD.id, OLD.retain_until;
    END IF;
    IF OLD.sent_at IS NOT NULL AND (NEW.key, NEW.kind, NEW.channel, NEW.household_id, NEW.staff_id, NEW.campaign_id, NEW.recipient_name, NEW.address,
            NEW.subject, NEW.text_body, NEW.html_body, NEW.message_id, NEW.queued_at, NEW.sent_at)
        IS DISTINCT FROM (OLD.key, OLD.kind, OLD.channel, OLD.household_id, OLD.staff_id, OLD.campaign_id, OLD.recipient_name, OLD.address,
            OLD.subject, OLD.text_body, OLD.html_body, OLD.message_id, OLD.queued_at, OLD.sent_at) THEN
        RAISE EXCEPTION 'outbox message % was sent and is retained as sent: its content cannot change', OLD.id;
    END IF;
    RETURN NEW;
END $$;");
            migrationBuilder.Sql(@"CREATE FUNCTION outbox_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'outbox messages are retained as books and records: TRUNCATE refused';
END $$;");
            migrationBuilder.Sql("CREATE TRIGGER outbox_messages_keep_records BEFORE UPDATE OR DELETE ON outbox_messages FOR EACH ROW EXECUTE FUNCTION outbox_keep_records();");
            migrationBuilder.Sql("CREATE TRIGGER outbox_messages_no_truncate BEFORE TRUNCATE ON outbox_messages FOR EACH STATEMENT EXECUTE FUNCTION outbox_refuse_truncate();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_keep_records ON outbox_messages;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS outbox_messages_no_truncate ON outbox_messages;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS outbox_keep_records();");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS outbox_refuse_truncate();");
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
