using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    entity_type = table.Column<string>(type: "TEXT", nullable: false),
                    entity_id = table.Column<string>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", nullable: false),
                    operation = table.Column<string>(type: "TEXT", nullable: true),
                    before = table.Column<string>(type: "TEXT", nullable: true),
                    after = table.Column<string>(type: "TEXT", nullable: true),
                    previous_hash = table.Column<string>(type: "TEXT", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "audit_head",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    last_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    last_hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_head", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "firms",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    time_zone_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    uses_us_market_holidays = table.Column<bool>(type: "INTEGER", nullable: false),
                    weekend_days = table.Column<string>(type: "TEXT", nullable: false),
                    extra_holidays = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_firms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "households",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    preferred_channels = table.Column<string>(type: "TEXT", nullable: false),
                    do_not_contact = table.Column<bool>(type: "INTEGER", nullable: false),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    trusted_advisors = table.Column<string>(type: "TEXT", nullable: false),
                    stated_household_income = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stated_initial_revenue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stated_investable_assets = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stated_net_worth = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stated_products = table.Column<int>(type: "INTEGER", nullable: true),
                    stated_recurring_revenue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    stated_referrals_given = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_households", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "periodic_cursors",
                columns: table => new
                {
                    trigger_id = table.Column<string>(type: "TEXT", nullable: false),
                    last_swept_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_periodic_cursors", x => x.trigger_id);
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    scope = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    built_in = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roles", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "staff",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    handle = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    roles = table.Column<string>(type: "TEXT", nullable: false),
                    absences = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "template_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    yaml = table.Column<string>(type: "TEXT", nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_template_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trigger_occurrences",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", nullable: false),
                    instance_id = table.Column<long>(type: "INTEGER", nullable: true),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trigger_occurrences", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    custodian = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    opened_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accounts", x => x.id);
                    table.ForeignKey(
                        name: "fk_accounts_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", nullable: false),
                    last_name = table.Column<string>(type: "TEXT", nullable: false),
                    birth_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    relationship = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_members_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    carrier = table.Column<string>(type: "TEXT", nullable: false),
                    coverage = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    annual_premium = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    insured = table.Column<string>(type: "TEXT", nullable: true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_policies", x => x.id);
                    table.ForeignKey(
                        name: "fk_policies_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "team_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    role_key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    staff_id = table.Column<long>(type: "INTEGER", nullable: false),
                    backups = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_team_assignments", x => x.id);
                    table.ForeignKey(
                        name: "fk_team_assignments_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_team_assignments_roles_role_key",
                        column: x => x.role_key,
                        principalTable: "roles",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_team_assignments_staff_staff_id",
                        column: x => x.staff_id,
                        principalTable: "staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "process_instances",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    template_version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    template_key = table.Column<string>(type: "TEXT", nullable: false),
                    template_name = table.Column<string>(type: "TEXT", nullable: false),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    anchors = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    started_by = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ended_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    trigger_key = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_process_instances", x => x.id);
                    table.ForeignKey(
                        name: "fk_process_instances_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_process_instances_template_versions_template_version_id",
                        column: x => x.template_version_id,
                        principalTable: "template_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "work_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    instance_id = table.Column<long>(type: "INTEGER", nullable: false),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    step_key = table.Column<string>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    role_key = table.Column<string>(type: "TEXT", nullable: false),
                    assignee_id = table.Column<long>(type: "INTEGER", nullable: true),
                    routing_note = table.Column<string>(type: "TEXT", nullable: false),
                    estimated_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    due_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    overdue_since = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    activated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    closed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    closed_by = table.Column<string>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_work_tasks", x => x.id);
                    table.ForeignKey(
                        name: "fk_work_tasks_process_instances_instance_id",
                        column: x => x.instance_id,
                        principalTable: "process_instances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_work_tasks_staff_assignee_id",
                        column: x => x.assignee_id,
                        principalTable: "staff",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "audit_head",
                columns: new[] { "id", "last_hash", "last_sequence" },
                values: new object[] { 1, "0000000000000000000000000000000000000000000000000000000000000000", 0L });

            migrationBuilder.CreateIndex(
                name: "ix_accounts_household_id_external_id",
                table: "accounts",
                columns: new[] { "household_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_entity_type_entity_id",
                table: "audit_events",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_household_id",
                table: "audit_events",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_key",
                table: "households",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_household_id_external_id",
                table: "members",
                columns: new[] { "household_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_policies_household_id_external_id",
                table: "policies",
                columns: new[] { "household_id", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_process_instances_household_id",
                table: "process_instances",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_process_instances_template_key_status",
                table: "process_instances",
                columns: new[] { "template_key", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_process_instances_template_version_id",
                table: "process_instances",
                column: "template_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_process_instances_trigger_key",
                table: "process_instances",
                column: "trigger_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_staff_handle",
                table: "staff",
                column: "handle",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_team_assignments_firm_role",
                table: "team_assignments",
                column: "role_key",
                unique: true,
                filter: "household_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_team_assignments_household_id_role_key",
                table: "team_assignments",
                columns: new[] { "household_id", "role_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_team_assignments_staff_id",
                table: "team_assignments",
                column: "staff_id");

            migrationBuilder.CreateIndex(
                name: "ix_template_versions_key_number",
                table: "template_versions",
                columns: new[] { "key", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_due_not_flagged",
                table: "work_tasks",
                column: "due_on",
                filter: "status IN ('Open', 'InProgress') AND overdue_since IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_household_id",
                table: "work_tasks",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_instance_id",
                table: "work_tasks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_open_by_assignee",
                table: "work_tasks",
                columns: new[] { "assignee_id", "due_on" },
                filter: "status IN ('Open', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_open_by_role",
                table: "work_tasks",
                columns: new[] { "role_key", "due_on" },
                filter: "status IN ('Open', 'InProgress')");

            // The audit trail is append-only: the database itself refuses to change or remove an event.
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_events_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_head_no_delete;");
            migrationBuilder.DropTable(
                name: "accounts");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "audit_head");

            migrationBuilder.DropTable(
                name: "firms");

            migrationBuilder.DropTable(
                name: "members");

            migrationBuilder.DropTable(
                name: "periodic_cursors");

            migrationBuilder.DropTable(
                name: "policies");

            migrationBuilder.DropTable(
                name: "team_assignments");

            migrationBuilder.DropTable(
                name: "trigger_occurrences");

            migrationBuilder.DropTable(
                name: "work_tasks");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "process_instances");

            migrationBuilder.DropTable(
                name: "staff");

            migrationBuilder.DropTable(
                name: "households");

            migrationBuilder.DropTable(
                name: "template_versions");
        }
    }
}
