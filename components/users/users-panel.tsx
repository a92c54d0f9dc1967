"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/components/api";
import { Badge } from "@/components/ui/badge";
import { formatTime } from "@/components/ui/format";
import { buttonClass, ErrorNote, inputClass, labelClass, Panel, secondaryButtonClass } from "@/components/ui/panel";

const ROLES = ["viewer", "operator", "approver", "admin"] as const;
type Role = (typeof ROLES)[number];

interface UserRow { id: string; email: string; name: string; role: Role; disabled: boolean; createdAt: string; _count: { sessions: number } }

export function UsersPanel({ currentUserId }: { currentUserId: string }) {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => api<UserRow[]>("/api/users") });
  const update = useMutation({
    mutationFn: (v: { id: string; role?: Role; disabled?: boolean }) => api(`/api/users/${v.id}`, { method: "PATCH", json: { role: v.role, disabled: v.disabled } }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });
  return (
    <>
      <Panel title="Users">
        <ErrorNote error={users.error ?? update.error} />
        <table className="w-full text-left text-sm" aria-label="Users">
          <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Email</th><th>Name</th><th>Role</th><th>Status</th><th>Created</th><th /></tr></thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1.5">{u.email}</td>
                <td>{u.name}</td>
                <td>
                  <select aria-label={`Role of ${u.email}`} className={`${inputClass} w-32`} value={u.role} disabled={update.isPending || u.id === currentUserId} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td>
                <td>{u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>} <span className="text-xs text-slate-500">{u._count.sessions} session{u._count.sessions === 1 ? "" : "s"}</span></td>
                <td className="text-xs">{formatTime(u.createdAt)}</td>
                <td>
                  {u.id !== currentUserId && (u.disabled
                    ? <button type="button" className={secondaryButtonClass} disabled={update.isPending} onClick={() => update.mutate({ id: u.id, disabled: false })}>Enable</button>
                    : <button type="button" className={secondaryButtonClass} disabled={update.isPending} onClick={() => { if (window.confirm(`Disable ${u.email}? They are signed out at once.`)) update.mutate({ id: u.id, disabled: true }); }}>Disable</button>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <CreateUserForm />
    </>
  );
}

function CreateUserForm() {
  const qc = useQueryClient();
  const [form, setForm] = useState({ email: "", name: "", role: "viewer" as Role, password: "" });
  const create = useMutation({
    mutationFn: () => api<UserRow>("/api/users", { method: "POST", json: form }),
    onSuccess: () => { setForm({ email: "", name: "", role: "viewer", password: "" }); void qc.invalidateQueries({ queryKey: ["users"] }); },
  });
  const field = (key: "email" | "name" | "password", label: string, type = "text") => (
    <div>
      <label className={labelClass} htmlFor={`new-user-${key}`}>{label}</label>
      <input id={`new-user-${key}`} type={type} autoComplete={key === "password" ? "new-password" : "off"} className={inputClass} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </div>
  );
  return (
    <Panel title="Add a user">
      <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }} className="grid max-w-2xl grid-cols-2 gap-3">
        {field("email", "Email", "email")}
        {field("name", "Name")}
        <div>
          <label className={labelClass} htmlFor="new-user-role">Role</label>
          <select id="new-user-role" className={inputClass} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
        {field("password", "Initial password (at least 12 characters)", "password")}
        <div className="col-span-2 space-y-2">
          <ErrorNote error={create.error} />
          {create.isSuccess && <p role="status" className="text-sm text-emerald-700">Created {create.data.email} ({create.data.role}).</p>}
          <button type="submit" className={buttonClass} disabled={create.isPending}>{create.isPending ? "Creating..." : "Create user"}</button>
        </div>
      </form>
    </Panel>
  );
}
