using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TeamStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "team_stamps",
                columns: table => new
                {
                    household_id = table.Column<long>(type: "bigint", nullable: false),
                    stamp = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_team_stamps", x => x.household_id);
                    table.ForeignKey(
                        name: "fk_team_stamps_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Random stamps, never counts, for the reason the directory stamp gives. Statement-level triggers read the
            // rows a statement wrote from its transition tables, so an import moves each household's stamp once.
            migrationBuilder.Sql(@"INSERT INTO team_stamps (household_id, stamp)
SELECT household_id, (random() * 9007199254740991)::bigint
FROM (SELECT DISTINCT household_id FROM team_assignments WHERE household_id IS NOT NULL) AS teams;");
            migrationBuilder.Sql(@"CREATE FUNCTION team_stamp_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO team_stamps (household_id, stamp)
        SELECT household_id, (random() * 9007199254740991)::bigint
        FROM (SELECT DISTINCT household_id FROM new_rows WHERE household_id IS NOT NULL) AS written
        ON CONFLICT (household_id) DO UPDATE SET stamp = excluded.stamp;
        IF EXISTS (SELECT 1 FROM new_rows WHERE household_id IS NULL) THEN
            UPDATE directory_stamp SET stamp = (random() * 9007199254740991)::bigint WHERE id = 1;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE team_stamps SET stamp = (random() * 9007199254740991)::bigint
        WHERE household_id IN (SELECT household_id FROM old_rows);
        IF EXISTS (SELECT 1 FROM old_rows WHERE household_id IS NULL) THEN
            UPDATE directory_stamp SET stamp = (random() * 9007199254740991)::bigint WHERE id = 1;
        END IF;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE team_stamps SET stamp = (random() * 9007199254740991)::bigint;
        UPDATE directory_stamp SET stamp = (random() * 9007199254740991)::bigint WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;");
            migrationBuilder.Sql("CREATE TRIGGER team_assignments_insert_moves_team_stamp AFTER INSERT ON team_assignments "
                + "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stamp_move();");
            migrationBuilder.Sql("CREATE TRIGGER team_assignments_update_moves_team_stamp AFTER UPDATE ON team_assignments "
                + "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stamp_move();");
            migrationBuilder.Sql("CREATE TRIGGER team_assignments_delete_moves_team_stamp AFTER DELETE ON team_assignments "
                + "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION team_stamp_move();");
            migrationBuilder.Sql("CREATE TRIGGER team_assignments_truncate_moves_team_stamp AFTER TRUNCATE ON team_assignments "
                + "FOR EACH STATEMENT EXECUTE FUNCTION team_stamp_move();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete", "truncate" })
            {
                migrationBuilder.Sql($"DROP TRIGGER team_assignments_{change}_moves_team_stamp ON team_assignments;");
            }

            migrationBuilder.Sql("DROP FUNCTION team_stamp_move();");
            migrationBuilder.DropTable(
                name: "team_stamps");
        }
    }
}
