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
  /** The node is down: SSH and REST refuse connections, cluster peers list it `d`. */
  down: z.boolean(),
  /** A join of this node stops in a joining state (`c`) until the fault is cleared. */
  stuckJoining: z.boolean(),
  /** Cluster peers (and the node itself) report it `k` killed. */
  killed: z.boolean(),
  /** Reported with the status "unknown" (code `u`). */
  unknownState: z.boolean(),
  /** Reported as "nodes are in different states across databases" (code `x`). */
  differentStates: z.boolean(),
  /** Switching it on sets ENABLE_RECORDS_DB_STORE to "true" in the node's (or its cluster's) database. */
  auditRecordsToDb: z.boolean(),
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
  down: false,
  stuckJoining: false,
  killed: false,
  unknownState: false,
  differentStates: false,
  auditRecordsToDb: false,
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
    /** A join goes through b, i, c, o in this time; cluster/new shows `creating` for createClusterSeconds. */
    joinSeconds: z.number().nonnegative().default(60),
    createClusterSeconds: z.number().nonnegative().default(10),
    /** A removed node shows `m` this long before it leaves the list. */
    removeSeconds: z.number().nonnegative().default(20),
    /** The first node upgraded to a new version locks the cluster database this long (the seed: under 30 s) [O3]. */
    dbLockSeconds: z.number().min(0).max(30).default(25),
    /** Firmware a factory reset returns to [I]; default `version`. */
    factoryVersion: versionString.optional(),
    /** Overrides the built-in free-space rule of ks_upgrade.sh (see core/disk-rule.ts). */
    upgradeMinFreeBytes: z.number().int().nonnegative().optional(),
    /** Tested starting versions per target release ("2.14": ["2.13", "2.11.1"]); other starts need -o.
     *  Default: the contract's table (core/upgrade-paths.ts); null turns the check off. */
    testedUpgradePaths: z.record(z.string(), z.array(z.string())).nullable().optional(),
    /** Where each release may be downgraded to ("2.11": ["2.10"]); default the release notes' (core/upgrade-paths.ts); null: anywhere older. */
    downgradeTargets: z.record(z.string(), z.array(z.string())).nullable().optional(),
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
const port = z.number().int().min(0).max(65535);

/**
 * Nodes of one cluster: each on its own address (default 127.0.0.11, .12, ... in file order),
 * all on the same SSH and REST ports as real nodes use 22 and 443; `0` picks one port free on every address.
 */
export const ClusterConfigSchema = z
  .object({
    name: ApplianceConfigSchema.shape.name,
    sshPort: port.default(0),
    restPort: port.default(0),
    /** false: the nodes start unclustered, to be formed over REST. */
    formed: z.boolean().default(true),
    defaults: ApplianceDefaultsSchema.omit({ sshPort: true, restPort: true }).default({}),
    // host without its default: an absent one gets a loopback address of its own (fleet.ts).
    nodes: z.array(AppliancePartialSchema.omit({ sshPort: true, restPort: true }).extend({ host: z.string().optional() }).strict()).min(1).max(20, "a cluster has at most 20 nodes"),
  })
  .strict()
  .refine((c) => {
    const hosts = c.nodes.flatMap((n) => (n.host ? [n.host] : []));
    return new Set(hosts).size === hosts.length;
  }, "the nodes of a cluster need distinct hosts");
export type ClusterConfig = z.input<typeof ClusterConfigSchema>;

export const FleetConfigSchema = z
  .object({
    /** Each appliance keeps its state in `<stateDir>/<name>` unless it names its own. */
    stateDir: z.string().min(1),
    timeScale: z.number().nonnegative().default(1),
    controlPort: port.optional(),
    defaults: ApplianceDefaultsSchema.default({}),
    appliances: z.array(AppliancePartialSchema).default([]),
    clusters: z.array(ClusterConfigSchema).default([]),
  })
  .strict()
  .refine((f) => f.appliances.length + f.clusters.length > 0, "a fleet needs at least one appliance or cluster")
  .refine((f) => {
    const names = [...f.appliances.map((a) => a.name), ...f.clusters.flatMap((c) => c.nodes.map((n) => n.name))];
    return new Set(names).size === names.length;
  }, "appliance names must be unique")
  .refine((f) => new Set(f.clusters.map((c) => c.name)).size === f.clusters.length, "cluster names must be unique");

export type FleetConfig = z.input<typeof FleetConfigSchema>;
