import { defineConfig } from "drizzle-kit";

// `npm run db:generate -- --name <what>` writes the next numbered migration from the tables.ts files.
// Migrations are committed and applied by the app at start (src/platform/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/platform/*/tables.ts", "./src/modules/*/tables.ts", "./src/modules/*/*/tables.ts"],
  out: "./migrations",
});
