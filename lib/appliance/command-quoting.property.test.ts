// Every command the console sends is an argv quoted by commandLineOf (shell-quote), never a string
// built from input. Hostile values ($(reboot), backticks, ; | & newlines, quotes, globs, unicode)
// go through the real builders and come out of a real POSIX shell and bash as exactly one argument.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { parse } from "shell-quote";
import { afterAll, describe, expect, it } from "vitest";
import { commandLineOf } from "@/lib/appliance/ssh-exec";
import { DEFAULT_DRIVER_PROFILE, renderArgv, type CommandName } from "@/lib/appliance/driver-profile";
import { AppError } from "@/lib/errors";

const HOSTILE = [..."$`'\"\\;|&<>(){}[]*?!~#=% \t\n\r^,-./:@"];
const hostileString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...HOSTILE, "a", "0", "\u202E", "é") }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("$(reboot)", "`reboot`", "; reboot", "| sh", "&& reboot", "\nreboot", "'$(reboot)'", "\"`id`\"", "${IFS}reboot", "-o"),
).filter((s) => !s.includes("\0"));

// A shell with no PATH in an empty folder: if quoting ever failed, an injected command would not be found.
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "quoting-"));
afterAll(() => fs.rmSync(sandbox, { recursive: true, force: true }));
function argvSeenBy(shell: "sh" | "bash", commandLine: string): string[] {
  const flags = shell === "bash" ? ["--norc", "--noprofile"] : [];
  const out = execFileSync(`/bin/${shell}`, [...flags, "-c", commandLine], { cwd: sandbox, env: { PATH: "/nonexistent" } as unknown as NodeJS.ProcessEnv, encoding: "utf8" });
  return out.split("\0").slice(0, -1);
}
/** How many words shell-quote reads back, and whether any is an operator (; | && ...). Its parse
 *  mis-reads a few escapes inside double quotes, so the exact words are checked by real shells below. */
function wordsOf(line: string): { count: number; operators: number } {
  const tokens = parse(line);
  return { count: tokens.length, operators: tokens.filter((t) => typeof t !== "string" && !("pattern" in t)).length };
}

describe("[U8] command lines are quoted argv", () => {
  it("every value placed in a driver-profile command stays one argument or is refused", () => {
    const templates = Object.entries(DEFAULT_DRIVER_PROFILE.commands).filter(([, argv]) => argv.some((a) => /\{\w+\}/.test(a))) as [CommandName, string[]][];
    expect(templates.map(([name]) => name).sort()).toEqual(["downgrade", "sha256", "upgrade"]);
    fc.assert(
      fc.property(fc.constantFrom(...templates), hostileString, ([, template], value) => {
        let argv: string[];
        try {
          argv = renderArgv(template, { path: value, archive: value });
        } catch (e) {
          // Refused values: empty, or starting with '-' (an option).
          expect(e).toBeInstanceOf(AppError);
          expect(value === "" || value.startsWith("-")).toBe(true);
          return;
        }
        expect(argv).toHaveLength(template.length);
        expect(argv.filter((a) => a === value)).toHaveLength(1);
        expect(wordsOf(commandLineOf(argv))).toEqual({ count: argv.length, operators: 0 });
      }),
      { numRuns: 2000 },
    );
  });

  it.each(["sh", "bash"] as const)("%s receives exactly the argv, with nothing expanded or executed", (shell) => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 20 }), (values) => {
        const argv = ["printf", "%s\\0", ...values];
        expect(argvSeenBy(shell, commandLineOf(argv))).toEqual(values);
      }),
      { numRuns: 40 },
    );
    expect(fs.readdirSync(sandbox)).toEqual([]);
  }, 120_000);

  it("refuses NUL bytes and empty commands instead of sending them", () => {
    expect(() => commandLineOf([])).toThrow(AppError);
    expect(() => commandLineOf(["sha256sum", "a\0b"])).toThrow(/NUL/);
  });
});
