"use client";
// The signed-in user, for showing only the actions their role allows (the server still decides).
import { useQuery } from "@tanstack/react-query";
import { api } from "@/components/api";
import { hasPermission, type Permission, type Role } from "@/lib/domain/permissions";

export interface Me { id: string; email: string; name: string; role: Role }

export function useMe() {
  return useQuery({ queryKey: ["me"], queryFn: async () => (await api<{ user: Me }>("/api/me")).user, staleTime: 60_000 });
}

export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data ? hasPermission(me.data.role, permission) : false;
}
