using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "married_on",
                table: "households",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "review_month",
                table: "households",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "household_tiers",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    computed = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    missing = table.Column<string>(type: "TEXT", nullable: false),
                    decided_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    override_tier = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    override_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    override_until = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    override_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_household_tiers", x => x.household_id);
                    table.ForeignKey(
                        name: "fk_household_tiers_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "life_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    member_external_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    occurred_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    contact_instance_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_life_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_life_events_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "opportunities",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    estimated_assets = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    estimated_revenue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    owner_role = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    expected_close = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    opened_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    opened_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    stage_changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    closed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    touchpoint_id = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_opportunities", x => x.id);
                    table.ForeignKey(
                        name: "fk_opportunities_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_opportunities_roles_owner_role",
                        column: x => x.owner_role,
                        principalTable: "roles",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "service_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    staff_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    link = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    show_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    read_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    emailed_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_notifications", x => x.id);
                    table.ForeignKey(
                        name: "fk_staff_notifications_staff_staff_id",
                        column: x => x.staff_id,
                        principalTable: "staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "touchpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    starts_at = table.Column<string>(type: "TEXT", maxLength: 19, nullable: false),
                    minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    advisor_id = table.Column<long>(type: "INTEGER", nullable: true),
                    topic = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    instance_id = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    held_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_touchpoints", x => x.id);
                    table.ForeignKey(
                        name: "fk_touchpoints_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_touchpoints_staff_advisor_id",
                        column: x => x.advisor_id,
                        principalTable: "staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "opportunity_stage_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    from = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    to = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    entered_from_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    opportunity_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_opportunity_stage_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_opportunity_stage_changes_opportunities_opportunity_id",
                        column: x => x.opportunity_id,
                        principalTable: "opportunities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_household_tiers_computed",
                table: "household_tiers",
                column: "computed");

            migrationBuilder.CreateIndex(
                name: "ix_life_events_household_id_occurred_on",
                table: "life_events",
                columns: new[] { "household_id", "occurred_on" });

            migrationBuilder.CreateIndex(
                name: "ix_opportunities_household_id_stage",
                table: "opportunities",
                columns: new[] { "household_id", "stage" });

            migrationBuilder.CreateIndex(
                name: "ix_opportunities_owner_role",
                table: "opportunities",
                column: "owner_role");

            migrationBuilder.CreateIndex(
                name: "ix_opportunities_stage",
                table: "opportunities",
                column: "stage");

            migrationBuilder.CreateIndex(
                name: "ix_opportunity_stage_changes_opportunity_id",
                table: "opportunity_stage_changes",
                column: "opportunity_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_notifications_key",
                table: "staff_notifications",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_staff_notifications_staff_id_show_at",
                table: "staff_notifications",
                columns: new[] { "staff_id", "show_at" });

            migrationBuilder.CreateIndex(
                name: "ix_touchpoints_advisor_id_starts_at",
                table: "touchpoints",
                columns: new[] { "advisor_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_touchpoints_household_id_year_sequence",
                table: "touchpoints",
                columns: new[] { "household_id", "year", "sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "household_tiers");

            migrationBuilder.DropTable(
                name: "life_events");

            migrationBuilder.DropTable(
                name: "opportunity_stage_changes");

            migrationBuilder.DropTable(
                name: "service_settings");

            migrationBuilder.DropTable(
                name: "staff_notifications");

            migrationBuilder.DropTable(
                name: "touchpoints");

            migrationBuilder.DropTable(
                name: "opportunities");

            migrationBuilder.DropColumn(
                name: "married_on",
                table: "households");

            migrationBuilder.DropColumn(
                name: "review_month",
                table: "households");
        }
    }
}
