// Who may do what. Roles are not a ladder: an approver approves windows but does not run plans.
// Every route names one permission; admin holds them all.

export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "fleet:read": ["viewer", "operator", "approver", "admin"],
  "audit:read": ["viewer", "operator", "approver", "admin"],
  "plans:write": ["operator", "admin"],
  "archives:write": ["operator", "admin"],
  "vendor-keys:write": ["admin"],
  "appliances:write": ["admin"],
  "catalog:write": ["admin"],
  "windows:request": ["operator", "admin"],
  "windows:decide": ["approver", "admin"],
  "users:write": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
