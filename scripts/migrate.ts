// npm run migrate: creates the database if needed and applies committed migrations.
import { ensureDatabase, migrateDatabase } from "@/lib/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/fleet)");
  process.exit(2);
}
await ensureDatabase(url);
const result = await migrateDatabase(url);
console.log(result.applied.length ? `applied: ${result.applied.join(", ")}` : "database is up to date");
