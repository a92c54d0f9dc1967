import { CampaignForm } from "@/components/campaigns/campaign-form";

export default function NewCampaignPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">New campaign</h1>
      <CampaignForm />
    </>
  );
}
