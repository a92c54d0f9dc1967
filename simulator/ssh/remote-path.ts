// ksadmin sees /home/ksadmin; on the host that is <stateDir>/home/ksadmin. Everything else on
// the appliance is out of reach, as a permission error would put it.
import path from "node:path";
import { HOME } from "../core/appliance-node";

export type ResolvedPath = { ok: true; remote: string; local: string } | { ok: false; remote: string };

export function resolveRemotePath(homeDir: string, input: string): ResolvedPath {
  let text = input === "" ? "." : input;
  if (text === "~") text = HOME;
  else if (text.startsWith("~/")) text = HOME + text.slice(1);
  const remote = path.posix.normalize(text.startsWith("/") ? text : path.posix.join(HOME, text)).replace(/(.)\/+$/, "$1");
  if (remote !== HOME && !remote.startsWith(`${HOME}/`)) return { ok: false, remote };
  const rel = remote.slice(HOME.length).replace(/^\//, "");
  return { ok: true, remote, local: rel ? path.join(homeDir, ...rel.split("/")) : homeDir };
}
