// What GET /api/fleet answers, as the browser receives it: the service's own types with dates as
// ISO strings (type-only imports: nothing of lib/ reaches the bundle).
import type { FleetPage } from "@/lib/fleet/fleet-view";

type Json<T> = T extends Date ? string : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type FleetPageView = Json<FleetPage>;
export type FleetRowView = FleetPageView["rows"][number];
export type FleetNodeView = FleetRowView["nodes"][number];
export interface GoldenRuleView { tag: string; version: string; setBy: string; createdAt: string }
