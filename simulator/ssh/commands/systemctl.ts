// `systemctl status|is-active <unit>` as systemd 249 prints it: exit 0 only when active, 3
// otherwise, 4 for an unknown unit. As root, start/stop/restart a service (the driver profile
// takes client traffic off a node by stopping api-gateway [I]) and `systemctl reboot`.
import { isServiceName, type ServiceName, type UnitState } from "../../core/services";
import { rebootCommand } from "./reboot";
import { say, type Command } from "./types";

const DENIED = "Interactive authentication required.";

export const systemctl: Command = async (ctx) => {
  const [verb, unitArg] = ctx.args.filter((a) => !a.startsWith("-"));
  if (verb === "reboot") return rebootCommand({ ...ctx, name: "systemctl reboot" });
  if (verb === undefined) {
    say(ctx.err, "systemctl: listing units is not available on this appliance\n");
    return 1;
  }
  const unit = (unitArg ?? "").replace(/\.service$/, "");
  if (verb === "start" || verb === "stop" || verb === "restart") {
    if (!ctx.root) {
      say(ctx.err, `Failed to ${verb} ${unit}.service: ${DENIED}\nSee system logs and 'systemctl status ${unit}.service' for details.\n`);
      return 1;
    }
    if (!isServiceName(unit)) {
      say(ctx.err, `Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.\n`);
      return 5;
    }
    ctx.node.services.set(unit, verb === "stop" ? "disabled" : "started");
    ctx.node.changed();
    return 0;
  }
  if (verb !== "status" && verb !== "is-active") {
    say(ctx.err, `Unknown command verb ${verb}.\n`);
    return 1;
  }
  if (!isServiceName(unit)) {
    if (verb === "is-active") {
      say(ctx.out, "inactive\n");
      return 3;
    }
    say(ctx.err, `Unit ${unit || "(none)"}.service could not be found.\n`);
    return 4;
  }
  const { state, since } = ctx.node.services.unit(unit);
  say(ctx.out, verb === "is-active" ? `${state}\n` : formatStatus(unit, state, since, new Date()));
  return state === "active" ? 0 : 3;
};

const DESCRIPTIONS: Record<ServiceName, string> = {
  keysecure: "CipherTrust Manager services",
  "api-gateway": "CipherTrust Manager API gateway",
  "audit-log": "CipherTrust Manager audit log",
  kmip: "CipherTrust Manager KMIP interface",
  nae: "CipherTrust Manager NAE-XML interface",
  UI: "CipherTrust Manager web console",
};

export function formatStatus(unit: ServiceName, state: UnitState, since: Date, now: Date): string {
  const dot = state === "failed" ? "×" : state === "inactive" ? "○" : "●";
  const when = `since ${systemdDate(since)}; ${timespan(now.getTime() - since.getTime())} ago`;
  const active = {
    active: `active (running) ${when}`,
    activating: `activating (start) ${when}`,
    failed: `failed (Result: exit-code) ${when}`,
    inactive: `inactive (dead) ${when}`,
  }[state];
  const lines = [
    `${dot} ${unit}.service - ${DESCRIPTIONS[unit]}`,
    `     Loaded: loaded (/etc/systemd/system/${unit}.service; enabled; vendor preset: enabled)`,
    `     Active: ${active}`,
  ];
  if (state === "failed") {
    lines.push(`    Process: 2311 ExecStart=/opt/keysecure/bin/${unit}-start (code=exited, status=1/FAILURE)`);
    lines.push("   Main PID: 2311 (code=exited, status=1/FAILURE)");
  } else if (state !== "inactive") {
    lines.push(`   Main PID: 2311 (${unit}-start)`, "      Tasks: 57 (limit: 19021)", "     Memory: 1.4G", `     CGroup: /system.slice/${unit}.service`);
    lines.push(`             └─2311 /opt/keysecure/bin/${unit}-start`);
  }
  return `${lines.join("\n")}\n`;
}

function systemdDate(d: Date): string {
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  return `${day} ${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** systemd's relative time: "5s", "3min 2s", "2h 3min", "1 day 4h". */
export function timespan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}min ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}min`;
  const days = Math.floor(s / 86_400);
  return `${days} ${days === 1 ? "day" : "days"} ${Math.floor((s % 86_400) / 3600)}h`;
}
