import { Suspense } from "react";
import { FleetView } from "@/components/fleet/fleet-view";

export default function FleetPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Fleet</h1>
      {/* The view reads its filters from the URL. */}
      <Suspense fallback={<p className="text-sm text-slate-500">Loading the fleet...</p>}>
        <FleetView />
      </Suspense>
    </>
  );
}
