using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Advisory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "advisory_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    actor = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    framework_version = table.Column<int>(type: "INTEGER", nullable: false),
                    households = table.Column<int>(type: "INTEGER", nullable: false),
                    raised = table.Column<int>(type: "INTEGER", nullable: false),
                    variant_changed = table.Column<int>(type: "INTEGER", nullable: false),
                    resolved = table.Column<int>(type: "INTEGER", nullable: false),
                    could_not_evaluate = table.Column<int>(type: "INTEGER", nullable: false),
                    failure = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisory_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "advisory_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advisory_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    rule_key = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    variant_key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    type_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    snoozed_until = table.Column<int>(type: "INTEGER", nullable: true),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status_changed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status_changed_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    variant_changed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolution = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    resolution_note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    explanation = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    previous_alert_id = table.Column<long>(type: "INTEGER", nullable: true),
                    reopen_count = table.Column<int>(type: "INTEGER", nullable: false),
                    holds_until_cleared = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_alerts_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "could_not_evaluate",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    rule_key = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_could_not_evaluate", x => new { x.household_id, x.rule_key });
                    table.ForeignKey(
                        name: "fk_could_not_evaluate_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    alert_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    what = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    from_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    to_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 2040, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_changes_alerts_alert_id",
                        column: x => x.alert_id,
                        principalTable: "alerts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_changes_alert_id",
                table: "alert_changes",
                column: "alert_id");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_held",
                table: "alerts",
                column: "household_id",
                filter: "holds_until_cleared");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_household_id",
                table: "alerts",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_open",
                table: "alerts",
                columns: new[] { "household_id", "rule_key" },
                unique: true,
                filter: "status <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_open_types",
                table: "alerts",
                columns: new[] { "household_id", "type_key", "snoozed_until" },
                filter: "status <> 'Resolved'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "advisory_runs");

            migrationBuilder.DropTable(
                name: "advisory_settings");

            migrationBuilder.DropTable(
                name: "alert_changes");

            migrationBuilder.DropTable(
                name: "could_not_evaluate");

            migrationBuilder.DropTable(
                name: "alerts");
        }
    }
}
