// Process configuration from the environment, checked once. Defaults suit a developer machine;
// scripts/start.ts fills DATABASE_URL and REDIS_URL with embedded services when they are unset.
import path from "node:path";
import { z } from "zod";

const ConfigSchema = z.object({
  databaseUrl: z.string().url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  redisUrl: z.string().url({ message: "REDIS_URL must be a redis:// URL" }),
  /** 32 bytes, base64 or hex: encrypts SSH private keys and REST passwords at rest. */
  masterKey: z.string().min(32, "FLEET_MASTER_KEY must be 32 bytes as base64 (44 chars) or hex (64 chars)"),
  dataDir: z.string().min(1),
  /** Multiplies every step deadline; tests against a fast simulator set it below 1. */
  deadlineScale: z.coerce.number().positive().max(10),
  /** Prechecks older than this must be taken again before launch (design.md safety rules). */
  precheckMaxAgeMinutes: z.coerce.number().positive(),
  queuePrefix: z.string().min(1),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const env = process.env;
  const parsed = ConfigSchema.safeParse({
    databaseUrl: env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/fleet",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    masterKey: env.FLEET_MASTER_KEY ?? "",
    dataDir: path.resolve(/*turbopackIgnore: true*/ env.FLEET_DATA_DIR ?? ".data/console"),
    deadlineScale: env.FLEET_DEADLINE_SCALE ?? 1,
    precheckMaxAgeMinutes: env.FLEET_PRECHECK_MAX_AGE_MINUTES ?? 30,
    queuePrefix: env.FLEET_QUEUE_PREFIX ?? "fleet",
    logLevel: env.LOG_LEVEL ?? "info",
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`configuration is invalid:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests and the launcher set the environment, then call this to re-read it. */
export function resetConfig(): void {
  cached = undefined;
}
