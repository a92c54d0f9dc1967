import { BulkEnrolPanel } from "@/components/fleet/bulk-enrol-panel";
import { EnrolForm } from "@/components/fleet/enrol-form";

export default function EnrolPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Enrol an appliance</h1>
      <EnrolForm />
      <BulkEnrolPanel />
    </>
  );
}
