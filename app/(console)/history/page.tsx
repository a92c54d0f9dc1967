import { HistoryTable } from "@/components/plans/history-table";

export default function HistoryPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">History</h1>
      <HistoryTable />
    </>
  );
}
