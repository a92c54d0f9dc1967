// Command lines are data: the contract marks some of them as our inference [I], so an operator can
// adapt a profile to their firmware without a code change. Each command is an argv template; a
// `{name}` placeholder is replaced inside one argument and never splits or joins arguments.
import { z } from "zod";
import { AppError } from "@/lib/errors";

const ArgvTemplate = z.array(z.string().min(1)).min(1);

const RegexSource = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, "not a valid regular expression");

export const DriverProfileSchema = z
  .object({
    name: z.string().min(1),
    commands: z
      .object({
        /** [C] (`df -h /`); `-P -B1` gives exact bytes in a stable layout. */
        diskFree: ArgvTemplate,
        /** [I] placeholder {path}. */
        sha256: ArgvTemplate,
        /** [C] placeholder {archive}. */
        upgrade: ArgvTemplate,
        /** [C] placeholder {archive}. */
        downgrade: ArgvTemplate,
        /** [C] appended to upgrade/downgrade when the override is asked for. */
        overrideFlag: z.array(z.string().min(1)),
        /** [C] the session drops. */
        reboot: ArgvTemplate,
        /** [C] */
        serviceStatus: ArgvTemplate,
        /** [C] */
        leaveCluster: ArgvTemplate,
        /** [I] no public command takes client traffic off a node. */
        disableClientTraffic: ArgvTemplate,
        /** [I] */
        enableClientTraffic: ArgvTemplate,
      })
      .strict(),
    patterns: z
      .object({
        /** First capture group is the version the appliance now runs. [C] */
        upgradeSucceeded: RegexSource,
        /** [C] */
        rebootRequested: RegexSource,
      })
      .strict(),
    timeoutsMs: z
      .object({
        command: z.number().int().positive(),
        upgrade: z.number().int().positive(),
        downgrade: z.number().int().positive(),
        reboot: z.number().int().positive(),
      })
      .strict(),
    /** Where archives are copied: the vendor copies into ksadmin's home. [C] */
    uploadDir: z.string().min(1),
  })
  .strict();

export type DriverProfile = z.infer<typeof DriverProfileSchema>;
export type CommandName = keyof DriverProfile["commands"];

export const DEFAULT_DRIVER_PROFILE: DriverProfile = DriverProfileSchema.parse({
  name: "ciphertrust-manager-default",
  commands: {
    diskFree: ["df", "-P", "-B1", "/"],
    sha256: ["sha256sum", "{path}"],
    upgrade: ["sudo", "/opt/keysecure/ks_upgrade.sh", "-f", "{archive}"],
    downgrade: ["sudo", "/opt/keysecure/ks_downgrade.sh", "-f", "{archive}"],
    overrideFlag: ["-o"],
    reboot: ["sudo", "reboot"],
    serviceStatus: ["systemctl", "status", "keysecure"],
    leaveCluster: ["ksctl", "cluster", "delete", "-y"],
    disableClientTraffic: ["sudo", "systemctl", "stop", "api-gateway"],
    enableClientTraffic: ["sudo", "systemctl", "start", "api-gateway"],
  },
  patterns: {
    upgradeSucceeded: "^\\s*Upgrade to (\\S+) succeeded",
    rebootRequested: "Reboot the instance to finish the upgrade",
  },
  // An upgrade runs 10+ minutes on real hardware; the worker's own step deadline may be shorter.
  timeoutsMs: { command: 60_000, upgrade: 90 * 60_000, downgrade: 90 * 60_000, reboot: 60_000 },
  uploadDir: "/home/ksadmin",
});

/** Validates an operator's profile; partial input is merged over the default, command by command. */
export function parseDriverProfile(input: unknown): DriverProfile {
  const partial = z
    .object({
      name: z.string().optional(),
      commands: z.record(z.string(), z.unknown()).optional(),
      patterns: z.record(z.string(), z.unknown()).optional(),
      timeoutsMs: z.record(z.string(), z.unknown()).optional(),
      uploadDir: z.string().optional(),
    })
    .strict()
    .safeParse(input);
  if (!partial.success) throw new AppError("bad-input", `driver profile: ${partial.error.issues[0]?.message ?? "invalid"}`);
  const d = DEFAULT_DRIVER_PROFILE;
  const p = partial.data;
  const merged = DriverProfileSchema.safeParse({
    name: p.name ?? d.name,
    commands: { ...d.commands, ...p.commands },
    patterns: { ...d.patterns, ...p.patterns },
    timeoutsMs: { ...d.timeoutsMs, ...p.timeoutsMs },
    uploadDir: p.uploadDir ?? d.uploadDir,
  });
  if (!merged.success) {
    const issue = merged.error.issues[0];
    throw new AppError("bad-input", `driver profile: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return merged.data;
}

/**
 * Fills `{name}` placeholders. A value may not start with `-` (it would read as an option) and may
 * not be empty; an unknown or missing placeholder is a profile error, not a silent empty argument.
 */
export function renderArgv(template: readonly string[], values: Record<string, string> = {}): string[] {
  return template.map((arg) =>
    arg.replace(/\{([a-zA-Z]+)\}/g, (_m, key: string) => {
      const value = values[key];
      if (value === undefined) throw new AppError("bad-input", `driver profile: no value for {${key}} in "${arg}"`);
      if (value === "" || value.startsWith("-") || value.includes("\0")) {
        throw new AppError("bad-input", `refusing argument ${JSON.stringify(value)} for {${key}}`);
      }
      return value;
    }),
  );
}
