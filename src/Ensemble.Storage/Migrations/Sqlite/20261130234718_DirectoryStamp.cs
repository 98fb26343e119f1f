using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DirectoryStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "directory_stamp",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    stamp = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_stamp", x => x.id);
                });

            // A random stamp, never a count: a database file deleted and created again at the same path must not
            // match what a running process remembers of the old one.
            migrationBuilder.Sql("INSERT INTO directory_stamp (id, stamp) VALUES (1, random());");
            foreach (var table in new[] { "firms", "staff" })
            {
                foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql($"CREATE TRIGGER {table}_{change.ToLowerInvariant()}_moves_directory_stamp AFTER {change} ON {table} "
                        + "BEGIN UPDATE directory_stamp SET stamp = random() WHERE id = 1; END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "firms", "staff" })
            {
                foreach (var change in new[] { "insert", "update", "delete" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER {table}_{change}_moves_directory_stamp;");
                }
            }

            migrationBuilder.DropTable(
                name: "directory_stamp");
        }
    }
}
