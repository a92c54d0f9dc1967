// The only door to an appliance: SSH (pinned host key) and HTTPS (pinned certificate).
export type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";
export { probeAppliance, type ApplianceProbe } from "./probe";
export {
  openSshSession,
  type SshSession,
  type OpenSshSessionOptions,
  type ExecOptions,
  type ExecResult,
  type UploadOptions,
  type UploadResult,
  type RemoteStat,
} from "./ssh-session";
export { commandLineOf } from "./ssh-exec";
export {
  readDiskFree,
  readServiceStatus,
  sha256OfRemoteFile,
  runUpgrade,
  runDowngrade,
  rebootAppliance,
  deleteClusterConfig,
  disableClientTraffic,
  enableClientTraffic,
  type CommandOptions,
  type RawCommandOutput,
  type FirmwareRunOptions,
  type FirmwareRunResult,
} from "./commands";
export { DEFAULT_DRIVER_PROFILE, DriverProfileSchema, parseDriverProfile, renderArgv, type DriverProfile } from "./driver-profile";
export { createRestClient, type RestClient, type RestClientOptions } from "./rest-client";
export type { SystemInfo, ServiceStatus, ClusterInfo, ClusterNode, Backup, BackupKey, Property, DownloadResult } from "./rest-client";
export { waitForAppliance, type WaitForApplianceOptions, type ApplianceReturn } from "./wait-for-return";
export { sshHostKeyFingerprintOf, certFingerprintOf, normalizeSshFingerprint, normalizeCertFingerprint } from "./fingerprints";
export { generateSshKeyPair, type SshKeyPair } from "./ssh-keys";
