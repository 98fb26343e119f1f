using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Ensemble.Storage.Migrations.Postgres
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
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "review_month",
                table: "households",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "household_tiers",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "bigint", nullable: false),
                    computed = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    missing = table.Column<string>(type: "text", nullable: false),
                    decided_on = table.Column<DateOnly>(type: "date", nullable: false),
                    override_tier = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    override_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    override_until = table.Column<DateOnly>(type: "date", nullable: true),
                    override_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    household_id = table.Column<long>(type: "bigint", nullable: false),
                    member_external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    occurred_on = table.Column<DateOnly>(type: "date", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    recorded_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    contact_instance_id = table.Column<long>(type: "bigint", nullable: true)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    household_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    estimated_assets = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    estimated_revenue = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    owner_role = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    expected_close = table.Column<DateOnly>(type: "date", nullable: true),
                    opened_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    opened_by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    stage_changed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    touchpoint_id = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
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
                    id = table.Column<int>(type: "integer", nullable: false),
                    document = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_service_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    staff_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    link = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    show_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    household_id = table.Column<long>(type: "bigint", nullable: true),
                    read_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    emailed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    household_id = table.Column<long>(type: "bigint", nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    starts_at = table.Column<string>(type: "character varying(19)", maxLength: 19, nullable: false),
                    minutes = table.Column<int>(type: "integer", nullable: false),
                    advisor_id = table.Column<long>(type: "bigint", nullable: true),
                    topic = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    instance_id = table.Column<long>(type: "bigint", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    held_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    from = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    entered_from_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    opportunity_id = table.Column<long>(type: "bigint", nullable: false)
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
