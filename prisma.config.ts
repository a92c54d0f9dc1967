import { defineConfig } from "prisma/config";

// The CLI's schema engine cannot be downloaded here: migrations are applied by scripts/migrate.ts
// and diffed by scripts/migrate-diff.ts (WASM engine). `prisma migrate deploy` still works where
// the engine exists, because migrations keep Prisma's own layout.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/fleet" },
});
