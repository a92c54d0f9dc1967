import { AuditView } from "@/components/audit/audit-view";

export default function AuditPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Audit trail</h1>
      <AuditView />
    </>
  );
}
