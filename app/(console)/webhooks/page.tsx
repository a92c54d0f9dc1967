import { WebhooksPanel } from "@/components/notifications/webhooks-panel";
import { currentUser } from "@/lib/http/route";
import { hasPermission } from "@/lib/domain/permissions";

export default async function WebhooksPage() {
  const user = await currentUser();
  return (
    <>
      <div>
        <h1 className="text-xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600">Tell a chat room or another system when an approval is needed, a plan starts, a node fails or a plan finishes. Calls are signed, retried with backoff, and recorded below.</p>
      </div>
      {user && hasPermission(user.role, "appliances:write")
        ? <WebhooksPanel />
        : <p className="text-sm text-slate-600">Only an admin manages webhooks (they send plan news off the console and hold a signing secret). Your role is {user?.role ?? "unknown"}.</p>}
    </>
  );
}
