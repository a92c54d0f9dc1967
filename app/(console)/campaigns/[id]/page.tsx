import { CampaignRoom } from "@/components/campaigns/campaign-room";

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CampaignRoom id={id} />;
}
