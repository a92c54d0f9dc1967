// One pino logger; secrets are redacted by path so a careless log line cannot leak them.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  redact: { paths: ["*.privateKey", "*.password", "*.restPassword", "*.masterKey", "privateKey", "password"], censor: "[redacted]" },
});
