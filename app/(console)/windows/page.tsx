import { WindowsTable } from "@/components/plans/windows-table";

export default function WindowsPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Maintenance windows</h1>
      <WindowsTable />
    </>
  );
}
