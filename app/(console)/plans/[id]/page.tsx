import { PlanRoom } from "@/components/plans/plan-room";

export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PlanRoom id={id} />;
}
