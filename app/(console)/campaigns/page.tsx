import Link from "next/link";
import { CampaignsTable } from "@/components/campaigns/campaigns-table";
import { buttonClass } from "@/components/ui/panel";

export default function CampaignsPage() {
  return (
    <>
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Campaigns</h1>
        <Link href="/campaigns/new" className={buttonClass}>New campaign</Link>
      </div>
      <CampaignsTable />
    </>
  );
}
