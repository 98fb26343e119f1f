using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ensemble.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkListIndexesInListOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_work_tasks_open_by_assignee",
                table: "work_tasks");

            migrationBuilder.DropIndex(
                name: "ix_work_tasks_open_by_role",
                table: "work_tasks");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_open_by_assignee",
                table: "work_tasks",
                columns: new[] { "assignee_id", "due_on", "id" },
                filter: "status IN ('Open', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "ix_work_tasks_open_by_role",
                table: "work_tasks",
                columns: new[] { "role_key", "due_on", "id" },
                filter: "status IN ('Open', 'InProgress')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_work_tasks_open_by_assignee",
                table: "work_tasks");

            migrationBuilder.DropIndex(
                name: "ix_work_tasks_open_by_role",
                table: "work_tasks");

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
        }
    }
}
