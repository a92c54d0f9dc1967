import { UsersPanel } from "@/components/users/users-panel";
import { currentUser } from "@/lib/http/route";
import { hasPermission } from "@/lib/domain/permissions";

export default async function UsersPage() {
  const user = await currentUser();
  return (
    <>
      <h1 className="text-xl font-semibold">Users</h1>
      {user && hasPermission(user.role, "users:write")
        ? <UsersPanel currentUserId={user.id} />
        : <p className="text-sm text-slate-600">Only an admin manages users. Your role is {user?.role ?? "unknown"}.</p>}
    </>
  );
}
