// Configuration of one simulated CipherTrust Manager and of a fleet of them.
// Durations are in simulated seconds; `timeScale` turns them into real time.
import { z } from "zod";
import { parseVersion } from "@/lib/domain/version";

const GiB = 1024 ** 3;

const versionString = z
  .string()
  .refine((v) => parseVersion(v)?.build != null, "version must look like 2.10.0+12345");

/** Faults a test or the demo can switch on per appliance, at start or later. */
const faultFields = {
  /** Free bytes on `/` before uploads, replacing `diskFreeBytes`. */
  lowDisk: z.number().int().nonnegative().nullable(),
  /** ks_upgrade.sh verifies, works for a while, then exits non-zero. */
  upgradeFails: z.boolean(),
  /** After a reboot SSH and REST refuse connections until the fault is cleared. */
  neverReturns: z.boolean(),
  /** Extra simulated seconds added to every reboot. */
  slowReturn: z.number().nonnegative(),
  /** After a reboot keysecure stays failed. */
  serviceFails: z.boolean(),
  /** The REST listener is closed (connection refused) while set. */
  restDown: z.boolean(),
  /** The SSH host key is regenerated at the next boot (one shot). */
  hostKeyChanged: z.boolean(),
  /** Free space drops to 0 once an upload received this many bytes (true = 64 KiB). */
  diskFillsDuringUpload: z.union([z.boolean(), z.number().int().nonnegative()]),
  /** The SSH connection is dropped once this many SFTP bytes arrived on it (one shot). */
  dropSshAfterBytes: z.number().int().positive().nullable(),
};

export const NO_FAULTS = {
  lowDisk: null,
  upgradeFails: false,
  neverReturns: false,
  slowReturn: 0,
  serviceFails: false,
  restDown: false,
  hostKeyChanged: false,
  diskFillsDuringUpload: false,
  dropSshAfterBytes: null,
} as const;

export const FaultsSchema = z.object(faultFields).strict();
export type Faults = z.output<typeof FaultsSchema>;
/** A partial change of faults: only the named switches move. */
export const FaultsPatchSchema = FaultsSchema.partial().strict();
export type FaultsPatch = z.input<typeof FaultsPatchSchema>;

export const RestUserSchema = z.object({ username: z.string().min(1), password: z.string() });

export const ApplianceConfigSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "name: letters, digits, . _ -"),
    host: z.string().default("127.0.0.1"),
    sshPort: z.number().int().min(0).max(65535).default(0),
    restPort: z.number().int().min(0).max(65535).default(0),
    stateDir: z.string().min(1),
    version: versionString.default("2.10.0+12345"),
    model: z.string().default("CipherTrust Manager k170v"),
    authorizedKeys: z.array(z.string()).default([]),
    /** Re-read on every authentication, so a key written later is honoured. */
    authorizedKeysFile: z.string().optional(),
    restUsers: z.array(RestUserSchema).min(1).default([{ username: "admin", password: "admin" }]),
    diskTotalBytes: z.number().int().positive().default(200 * GiB),
    diskFreeBytes: z.number().int().nonnegative().default(120 * GiB),
    timeScale: z.number().nonnegative().default(1),
    upgradeSeconds: z.number().nonnegative().default(600),
    rebootSeconds: z.number().nonnegative().default(120),
    serviceStartSeconds: z.number().nonnegative().default(30),
    backupSeconds: z.number().nonnegative().default(20),
    /** Overrides the built-in free-space rule of ks_upgrade.sh (see core/disk-rule.ts). */
    upgradeMinFreeBytes: z.number().int().nonnegative().optional(),
    /** Tested starting versions per target release ("2.14": ["2.13", "2.11.1"]); other starts need -o.
     *  Default: the contract's table (core/upgrade-paths.ts); null turns the check off. */
    testedUpgradePaths: z.record(z.string(), z.array(z.string())).nullable().optional(),
    /** Armored OpenPGP public keys ks_upgrade.sh trusts; default simulator/keys/test-vendor.pub.asc. */
    vendorKeys: z.array(z.string()).optional(),
    faults: FaultsPatchSchema.transform((f): Faults => ({ ...NO_FAULTS, ...f })).prefault({}),
  })
  .strict();

/** What callers pass (defaults optional). */
export type ApplianceConfig = z.input<typeof ApplianceConfigSchema>;
/** What the simulator runs with. */
export type ResolvedApplianceConfig = z.output<typeof ApplianceConfigSchema>;

const AppliancePartialSchema = ApplianceConfigSchema.partial().extend({ name: ApplianceConfigSchema.shape.name });
const ApplianceDefaultsSchema = ApplianceConfigSchema.omit({ name: true, stateDir: true }).partial();

export const FleetConfigSchema = z
  .object({
    /** Each appliance keeps its state in `<stateDir>/<name>` unless it names its own. */
    stateDir: z.string().min(1),
    timeScale: z.number().nonnegative().default(1),
    controlPort: z.number().int().min(0).max(65535).optional(),
    defaults: ApplianceDefaultsSchema.default({}),
    appliances: z.array(AppliancePartialSchema).min(1),
  })
  .strict()
  .refine((f) => new Set(f.appliances.map((a) => a.name)).size === f.appliances.length, "appliance names must be unique");

export type FleetConfig = z.input<typeof FleetConfigSchema>;
