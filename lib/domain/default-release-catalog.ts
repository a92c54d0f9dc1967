// The catalog the console ships with. Sources, per fact:
//   [C] the appliance contract / seed procedure; [V] the vendor's per-release upgrade page
//   (thalesdocs.com, "System Upgrade/Downgrade" for that release); [A] our assumption: an admin
//   should confirm it against the release notes and edit the catalog.

import { gib } from "./bytes";
import type { ReleaseCatalog } from "./release-catalog";
import { anyPatch, fromPatch, latestPatch, somePatches } from "./version-range";

const U7_FIXED = { kind: "fixed", bytes: gib(12) } as const; // [C] the 2.11-era rule
const FIVE_TIMES_ARCHIVE = { kind: "archive-multiple", factor: 5 } as const; // [C][V] newer releases
const DB_CHANGE_GIB = gib(35); // [C] "25-35 GB": we plan for the top of the range

export const DEFAULT_RELEASE_CATALOG: ReleaseCatalog = {
  releases: [
    // [A] Upgrades into 2.8 predate this console; listed so 2.8 appliances have a known line.
    { version: "2.8", type: "legacy", testedFrom: [], diskRule: U7_FIXED },
    // [C] The seed's online examples: 2.8.0 -> 2.9.0 -> 2.10.0. [A] any patch of the source line.
    { version: "2.9", type: "legacy", testedFrom: [anyPatch("2.8")], diskRule: U7_FIXED },
    { version: "2.10", type: "legacy", testedFrom: [anyPatch("2.9")], diskRule: U7_FIXED },
    {
      version: "2.11",
      type: "lts", // [C]
      testedFrom: [anyPatch("2.10"), anyPatch("2.9"), anyPatch("2.8")], // [C]
      offlineFrom: [anyPatch("2.10")], // [C] "For 2.11, offline upgrade is available from 2.10.x"
      downgradeTo: "2.10.0", // [C] "2.11.0 can be downgraded to 2.10.0"
      downgradeFrom: [somePatches("2.11", 0)], // [C]
      diskRule: U7_FIXED,
    },
    {
      version: "2.12",
      type: "feature",
      testedFrom: [somePatches("2.11", 0), anyPatch("2.10"), anyPatch("2.9")], // [C]
      unsupportedFrom: [fromPatch("2.11", 1)], // [V] later 2.11 patches carry fixes 2.12 lacks
      diskRule: U7_FIXED, // [A] the 2.11-era rule still applies
    },
    {
      version: "2.13",
      type: "feature",
      testedFrom: [anyPatch("2.12"), somePatches("2.11", 0, 1), anyPatch("2.10")], // [V]
      unsupportedFrom: [fromPatch("2.11", 2)], // [V]
      diskRule: U7_FIXED, // [A]
    },
    {
      version: "2.14",
      type: "lts", // [C][T]
      testedFrom: [anyPatch("2.13"), anyPatch("2.12"), somePatches("2.11", 1, 2)], // [C]
      // [V] From 2.11.3+ only as a stop on the way to 2.16, with `-o`; never a final target.
      passThroughFrom: [fromPatch("2.11", 3)],
      offlineFrom: [anyPatch("2.13")], // [A] offline cannot skip versions below 2.15 [M2]
      diskRule: U7_FIXED,
      databaseChange: { fromBefore: "2.14", bytes: DB_CHANGE_GIB }, // [C]
    },
    {
      version: "2.15",
      type: "feature",
      testedFrom: [anyPatch("2.14"), anyPatch("2.13")], // [A]
      latestPatch: 0, // [A] inferred: 2.18 was tested from 2.15.0 alongside the latest 2.16 patch
      diskRule: FIVE_TIMES_ARCHIVE, // [A]
    },
    {
      version: "2.16",
      type: "feature",
      testedFrom: [anyPatch("2.13"), anyPatch("2.14"), anyPatch("2.15"), somePatches("2.16", 0)], // [C][V]
      latestPatch: 1, // [A] inferred from 2.18's tested list (2.16.1)
      diskRule: FIVE_TIMES_ARCHIVE, // [A]
      databaseChange: { fromBefore: "2.16", bytes: DB_CHANGE_GIB }, // [C]
    },
    {
      version: "2.17",
      type: "feature",
      testedFrom: [latestPatch("2.14"), latestPatch("2.15"), latestPatch("2.16")], // [C]
      latestPatch: 0, // [A] inferred from 2.18's tested list (2.17.0)
      diskRule: FIVE_TIMES_ARCHIVE, // [V]
      databaseChange: { fromBefore: "2.16", bytes: DB_CHANGE_GIB }, // [V] "to 2.16.x or higher"
    },
    {
      version: "2.18",
      type: "feature",
      testedFrom: [somePatches("2.17", 0), somePatches("2.16", 1), somePatches("2.15", 0)], // [C]
      diskRule: FIVE_TIMES_ARCHIVE, // [V]
      databaseChange: { fromBefore: "2.16", bytes: DB_CHANGE_GIB }, // [V]
    },
    {
      version: "2.19",
      type: "lts", // [T/I]
      testedFrom: [anyPatch("2.18"), anyPatch("2.17")], // [A]
      offlineFrom: [anyPatch("2.18"), anyPatch("2.17")], // [A]
      diskRule: FIVE_TIMES_ARCHIVE, // [C]
    },
    { version: "2.20", type: "feature", testedFrom: [anyPatch("2.19"), anyPatch("2.18")], diskRule: FIVE_TIMES_ARCHIVE }, // [A]
    // [C] a real 2.20 -> 2.21 run is on record; [A] the rest of the list.
    { version: "2.21", type: "feature", testedFrom: [anyPatch("2.20"), anyPatch("2.19")], diskRule: FIVE_TIMES_ARCHIVE },
    // [A] No 2.22 row: add one when its notes are at hand. 2.23 is LTS per [T/I].
    {
      version: "2.23",
      type: "lts",
      testedFrom: [anyPatch("2.21"), anyPatch("2.20"), anyPatch("2.19")], // [A]
      offlineFrom: [anyPatch("2.21"), anyPatch("2.20"), anyPatch("2.19")], // [A]
      diskRule: FIVE_TIMES_ARCHIVE,
    },
  ],
};
