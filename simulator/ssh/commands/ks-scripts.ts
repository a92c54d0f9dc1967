// /opt/keysecure/ks_upgrade.sh and ks_downgrade.sh: argument handling and the channel's view
// of the firmware job in core/firmware.ts.
import { runFirmwareChange } from "../../core/firmware";
import { resolveRemotePath } from "../remote-path";
import { say, type Command } from "./types";

function firmwareScript(tool: "upgrade" | "downgrade"): Command {
  const script = `ks_${tool}.sh`;
  const usage = `Usage: ${script} -f <FILE> [-o]\n  -f: Path to the signed CipherTrust Manager ${tool === "upgrade" ? "archive" : "installer"} file.\n  -o: ${
    tool === "upgrade" ? "Override the check of the supported upgrade path." : "Clustered node cannot be downgraded. Use this flag to override this behavior."
  }\n`;
  return async ({ node, args, out, err, root }) => {
    let file: string | undefined;
    let override = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === "-f") file = args[++i];
      else if (a?.startsWith("-f") && a.length > 2) file = a.slice(2);
      else if (a === "-o") override = true;
      else if (a === "-h" || a === "--help") {
        say(out, usage);
        return 0;
      } else {
        say(err, `${script}: unexpected argument '${a}'\n${usage}`);
        return 2;
      }
    }
    if (!file) {
      say(err, usage);
      return 2;
    }
    if (!root) {
      say(err, `ERROR: ${script} must be run as root (use sudo)\n`);
      return 1;
    }
    const r = resolveRemotePath(node.homeDir, file);
    if (!r.ok) {
      say(err, `ERROR: file ${file} not found or not readable\n`);
      return 1;
    }
    return runFirmwareChange(node, { tool, shownPath: file, localPath: r.local, override }, {
      out: (line) => say(out, `${line}\n`),
      err: (line) => say(err, `${line}\n`),
    });
  };
}

export const ksUpgrade = firmwareScript("upgrade");
export const ksDowngrade = firmwareScript("downgrade");
