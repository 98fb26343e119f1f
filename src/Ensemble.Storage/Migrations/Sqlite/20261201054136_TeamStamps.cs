using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Sqlite
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
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    stamp = table.Column<long>(type: "INTEGER", nullable: false)
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

            // Random stamps, never counts, for the reason the directory stamp gives. The stamp row is updated, or added
            // when missing, without an ON CONFLICT clause: a trigger's own clause would give way to the writing statement's.
            migrationBuilder.Sql("INSERT INTO team_stamps (household_id, stamp) "
                + "SELECT household_id, random() FROM (SELECT DISTINCT household_id FROM team_assignments WHERE household_id IS NOT NULL);");
            const string MoveNew = "UPDATE team_stamps SET stamp = random() WHERE household_id = NEW.household_id; "
                + "INSERT INTO team_stamps (household_id, stamp) SELECT NEW.household_id, random() "
                + "WHERE NEW.household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team_stamps WHERE household_id = NEW.household_id); "
                + "UPDATE directory_stamp SET stamp = random() WHERE id = 1 AND NEW.household_id IS NULL; ";
            const string MoveOld = "UPDATE team_stamps SET stamp = random() WHERE household_id = OLD.household_id; "
                + "UPDATE directory_stamp SET stamp = random() WHERE id = 1 AND OLD.household_id IS NULL; ";
            migrationBuilder.Sql($"CREATE TRIGGER team_assignments_insert_moves_team_stamp AFTER INSERT ON team_assignments BEGIN {MoveNew}END;");
            migrationBuilder.Sql($"CREATE TRIGGER team_assignments_update_moves_team_stamp AFTER UPDATE ON team_assignments BEGIN {MoveOld}{MoveNew}END;");
            migrationBuilder.Sql($"CREATE TRIGGER team_assignments_delete_moves_team_stamp AFTER DELETE ON team_assignments BEGIN {MoveOld}END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER team_assignments_{change}_moves_team_stamp;");
            }

            migrationBuilder.DropTable(
                name: "team_stamps");
        }
    }
}
