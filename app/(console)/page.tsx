import { FleetTable } from "@/components/fleet/fleet-table";

export default function FleetPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Fleet</h1>
      <FleetTable />
    </>
  );
}
