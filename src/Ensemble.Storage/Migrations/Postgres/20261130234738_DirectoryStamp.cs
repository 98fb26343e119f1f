using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Postgres
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
                    id = table.Column<int>(type: "integer", nullable: false),
                    stamp = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_stamp", x => x.id);
                });

            // A random stamp, never a count: a database dropped and created again under the same connection string
            // must not match what a running process remembers of the old one.
            migrationBuilder.Sql("INSERT INTO directory_stamp (id, stamp) VALUES (1, (random() * 9007199254740991)::bigint);");
            migrationBuilder.Sql(@"CREATE FUNCTION directory_stamp_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_stamp SET stamp = (random() * 9007199254740991)::bigint WHERE id = 1;
    RETURN NULL;
END $$;");
            foreach (var table in new[] { "firms", "staff" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_move_directory_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION directory_stamp_move();");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER firms_move_directory_stamp ON firms;");
            migrationBuilder.Sql("DROP TRIGGER staff_move_directory_stamp ON staff;");
            migrationBuilder.Sql("DROP FUNCTION directory_stamp_move();");
            migrationBuilder.DropTable(
                name: "directory_stamp");
        }
    }
}
