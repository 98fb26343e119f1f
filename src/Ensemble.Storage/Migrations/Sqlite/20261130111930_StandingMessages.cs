using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StandingMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "stand_ins",
                table: "process_instances",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "message_key",
                table: "follow_ups",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "alert_rule",
                table: "campaigns",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_message_key",
                table: "follow_ups",
                column: "message_key");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_kind_alert_rule",
                table: "campaigns",
                columns: new[] { "kind", "alert_rule" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_follow_ups_message_key",
                table: "follow_ups");

            migrationBuilder.DropIndex(
                name: "ix_campaigns_kind_alert_rule",
                table: "campaigns");

            migrationBuilder.DropColumn(
                name: "stand_ins",
                table: "process_instances");

            migrationBuilder.DropColumn(
                name: "message_key",
                table: "follow_ups");

            migrationBuilder.DropColumn(
                name: "alert_rule",
                table: "campaigns");
        }
    }
}
