// The appliance's services as REST reports them, and the systemd view of `keysecure`.

export type ServiceStatus = "started" | "starting" | "disabled" | "error";
export type UnitState = "active" | "activating" | "failed" | "inactive";

/** Names seen in /v1/system/services/status; keysecure is the unit systemctl reports. */
export const SERVICE_NAMES = ["api-gateway", "audit-log", "keysecure", "kmip", "nae", "UI"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

const UNIT_OF: Record<ServiceStatus, UnitState> = {
  started: "active",
  starting: "activating",
  error: "failed",
  disabled: "inactive",
};

export class Services {
  private readonly statuses = new Map<ServiceName, ServiceStatus>();
  private readonly since = new Map<ServiceName, Date>();

  constructor(initial: ServiceStatus = "started") {
    for (const name of SERVICE_NAMES) this.statuses.set(name, initial);
  }

  get(name: ServiceName): ServiceStatus {
    return this.statuses.get(name) ?? "disabled";
  }

  set(name: ServiceName, status: ServiceStatus): void {
    if (this.get(name) !== status || !this.since.has(name)) this.since.set(name, new Date());
    this.statuses.set(name, status);
  }

  setAll(status: ServiceStatus): void {
    for (const name of SERVICE_NAMES) this.set(name, status);
  }

  list(): { name: ServiceName; status: ServiceStatus }[] {
    return SERVICE_NAMES.map((name) => ({ name, status: this.get(name) }));
  }

  allStarted(): boolean {
    return SERVICE_NAMES.every((n) => this.get(n) === "started");
  }

  /** systemd's view of a service's unit and since when it is in that state. */
  unit(name: ServiceName): { state: UnitState; since: Date } {
    return { state: UNIT_OF[this.get(name)], since: this.since.get(name) ?? new Date() };
  }
}
