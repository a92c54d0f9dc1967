// `sha256sum` and `cat` over files in ksadmin's home, streamed from disk (archives are GBs).
import crypto from "node:crypto";
import fs from "node:fs";
import { resolveRemotePath } from "../remote-path";
import { say, type Command, type CommandContext } from "./types";

/** Opens a file for reading, or prints the coreutils-style reason and returns null. */
function openable(ctx: CommandContext, p: string): string | null {
  const r = resolveRemotePath(ctx.node.homeDir, p);
  if (!r.ok) {
    say(ctx.err, `${ctx.name}: ${p}: Permission denied\n`);
    return null;
  }
  const st = fs.statSync(r.local, { throwIfNoEntry: false });
  if (!st) say(ctx.err, `${ctx.name}: ${p}: No such file or directory\n`);
  else if (st.isDirectory()) say(ctx.err, `${ctx.name}: ${p}: Is a directory\n`);
  else return r.local;
  return null;
}

function operands(args: string[]): string[] {
  return args.filter((a) => a !== "--" && a !== "-b" && a !== "--binary" && a !== "-t" && a !== "--text");
}

export const sha256sum: Command = async (ctx) => {
  const files = operands(ctx.args);
  const bad = files.find((f) => f.startsWith("-") && f !== "-");
  if (bad) {
    say(ctx.err, `sha256sum: unrecognized option '${bad}'\nTry 'sha256sum --help' for more information.\n`);
    return 1;
  }
  if (files.length === 0) {
    say(ctx.err, "sha256sum: reading standard input is not supported here\n");
    return 1;
  }
  let code = 0;
  for (const f of files) {
    const local = openable(ctx, f);
    if (!local) {
      code = 1;
      continue;
    }
    const hash = crypto.createHash("sha256");
    for await (const chunk of fs.createReadStream(local)) hash.update(chunk as Buffer);
    say(ctx.out, `${hash.digest("hex")}  ${f}\n`);
  }
  return code;
};

export const cat: Command = async (ctx) => {
  let code = 0;
  for (const f of operands(ctx.args)) {
    const local = openable(ctx, f);
    if (!local) {
      code = 1;
      continue;
    }
    await new Promise<void>((resolve) => {
      const stream = fs.createReadStream(local);
      // end:false keeps the channel open for the exit status (toolchain.md).
      stream.pipe(ctx.out, { end: false });
      stream.on("end", resolve);
      stream.on("error", () => resolve());
      ctx.out.once("close", () => {
        stream.destroy();
        resolve();
      });
    });
  }
  return code;
};
