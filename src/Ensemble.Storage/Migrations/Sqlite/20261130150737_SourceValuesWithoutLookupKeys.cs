using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SourceValuesWithoutLookupKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_source_values_data_sources_source",
                table: "source_values");

            migrationBuilder.DropForeignKey(
                name: "fk_source_values_source_imports_import_id",
                table: "source_values");

            migrationBuilder.DropIndex(
                name: "ix_source_values_import_id",
                table: "source_values");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_source_values_import_id",
                table: "source_values",
                column: "import_id");

            migrationBuilder.AddForeignKey(
                name: "fk_source_values_data_sources_source",
                table: "source_values",
                column: "source",
                principalTable: "data_sources",
                principalColumn: "key",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_source_values_source_imports_import_id",
                table: "source_values",
                column: "import_id",
                principalTable: "source_imports",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }
    }
}
