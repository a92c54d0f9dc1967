// Compiled steps as rows to store with a plan. An upload's deadline grows with the archive's size.
import { uploadDeadlineSeconds, type Step } from "@/lib/domain/plan-step";

export function stepRows(steps: readonly Step[]) {
  return steps.map((s, position) => ({
    key: s.key, position, kind: s.kind, title: s.title, applianceId: s.applianceId ?? null, hop: s.hop ?? 0, dependsOn: s.dependsOn,
    deadlineSeconds: s.kind === "upload-archive" ? uploadDeadlineSeconds(s.archiveSizeBytes ?? 0, s.deadlineSeconds) : s.deadlineSeconds,
  }));
}
