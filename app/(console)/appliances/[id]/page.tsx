import { ApplianceDetail } from "@/components/fleet/appliance-detail";

export default async function AppliancePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ApplianceDetail id={id} />;
}
