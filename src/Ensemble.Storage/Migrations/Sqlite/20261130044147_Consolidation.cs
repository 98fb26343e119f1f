using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Consolidation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "consolidated_values",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    fact = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    arrived_at = table.Column<long>(type: "INTEGER", nullable: false),
                    verified_at = table.Column<long>(type: "INTEGER", nullable: false),
                    chosen_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consolidated_values", x => new { x.household_id, x.fact });
                    table.ForeignKey(
                        name: "fk_consolidated_values_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consolidation_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consolidation_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_sources",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_sources", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "discrepancies",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    fact = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    by_source = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    detected_at = table.Column<long>(type: "INTEGER", nullable: false),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    resolution = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    chosen_source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    chosen_value = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_discrepancies", x => x.id);
                    table.ForeignKey(
                        name: "fk_discrepancies_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "fact_sheets",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sheet = table.Column<byte[]>(type: "BLOB", nullable: false),
                    computed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    known_facts = table.Column<int>(type: "INTEGER", nullable: false),
                    stale_facts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fact_sheets", x => x.household_id);
                    table.ForeignKey(
                        name: "fk_fact_sheets_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "source_imports",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    row_count = table.Column<int>(type: "INTEGER", nullable: false),
                    value_count = table.Column<int>(type: "INTEGER", nullable: false),
                    changed_count = table.Column<int>(type: "INTEGER", nullable: false),
                    applied_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    applied_by = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_source_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_source_imports_data_sources_source",
                        column: x => x.source,
                        principalTable: "data_sources",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "source_values",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    fact = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    arrived_at = table.Column<long>(type: "INTEGER", nullable: false),
                    verified_at = table.Column<long>(type: "INTEGER", nullable: false),
                    import_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_source_values", x => new { x.household_id, x.fact, x.source });
                    table.ForeignKey(
                        name: "fk_source_values_data_sources_source",
                        column: x => x.source,
                        principalTable: "data_sources",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_source_values_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_source_values_source_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "source_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_discrepancies_household_id",
                table: "discrepancies",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_discrepancies_open",
                table: "discrepancies",
                columns: new[] { "household_id", "fact" },
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_source_imports_source_content_hash",
                table: "source_imports",
                columns: new[] { "source", "content_hash" });

            migrationBuilder.CreateIndex(
                name: "ix_source_values_import_id",
                table: "source_values",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_source_values_source",
                table: "source_values",
                column: "source");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "consolidated_values");

            migrationBuilder.DropTable(
                name: "consolidation_settings");

            migrationBuilder.DropTable(
                name: "discrepancies");

            migrationBuilder.DropTable(
                name: "fact_sheets");

            migrationBuilder.DropTable(
                name: "source_values");

            migrationBuilder.DropTable(
                name: "source_imports");

            migrationBuilder.DropTable(
                name: "data_sources");
        }
    }
}
