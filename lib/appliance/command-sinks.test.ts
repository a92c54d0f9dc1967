// A lint with types: every place the console could send a command to an appliance (ssh2's
// Client.exec, SshSession.exec, child_process) is found by the TypeScript checker, and the command
// must be an argv (string[]), or, at ssh2 itself, the output of commandLineOf (shell-quote). A
// template literal or `+` of a variable into a command line fails here with its file and line.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["lib/appliance", "lib/fleet", "lib/plans", "lib/campaigns", "workers"];
const SINK_METHODS = new Set(["exec", "execCommand", "shell", "spawn", "execSync", "execFile", "execFileSync", "spawnSync"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    // testing/ folders hold test helpers (a local OpenSSH server), not what the console runs.
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.parentPath.split(path.sep).includes("testing"))
    .map((e) => path.join(e.parentPath, e.name));
}

interface Finding { where: string; why: string }

/** Checks one program's calls; `only` limits the report to these files (all scanned when absent). */
function findUnsafeCommands(program: ts.Program, only?: (file: string) => boolean): { findings: Finding[]; sinks: string[] } {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  const sinks: string[] = [];
  const typeText = (n: ts.Node) => checker.typeToString(checker.getTypeAtLocation(n));
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || (only ? !only(sf.fileName) : false)) continue;
    const at = (n: ts.Node) => `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && /^(node:)?child_process$/.test(n.moduleSpecifier.text)) {
        findings.push({ where: at(n), why: "imports child_process: nothing here may run a local command" });
      }
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SINK_METHODS.has(n.expression.name.text)) {
        const receiver = typeText(n.expression.expression);
        const arg = n.arguments[0];
        if (!/RegExp|RegExpMatchArray/.test(receiver) && arg) {
          sinks.push(`${at(n)} ${receiver}.${n.expression.name.text}`);
          const argType = typeText(arg);
          const isArgv = /^(readonly )?string\[\]$/.test(argType);
          // At ssh2 itself the command is a string: it must be the identifier bound to commandLineOf(argv).
          const quoted = ts.isIdentifier(arg) && declaredFromCommandLineOf(checker, arg);
          if (!isArgv && !quoted) findings.push({ where: at(n), why: `${receiver}.${n.expression.name.text} gets ${argType} (${arg.getText(sf).slice(0, 60)}): pass an argv, quoted by commandLineOf` });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { findings, sinks };
}

function declaredFromCommandLineOf(checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const decl = checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = decl.initializer;
  return ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "commandLineOf" && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true, skipLibCheck: true, noEmit: true, esModuleInterop: true, resolveJsonModule: true, types: ["node"],
  baseUrl: ROOT, paths: { "@/*": ["./*"] },
};

describe("[U8] no command line is built from strings", () => {
  let program: ts.Program;
  beforeAll(() => {
    program = ts.createProgram(SCANNED.flatMap(sourceFiles), OPTIONS);
  }, 120_000);

  it("every SSH command in lib/ and workers/ is an argv or commandLineOf's output", () => {
    const scanned = (f: string) => SCANNED.some((d) => f.startsWith(path.join(ROOT, d) + path.sep)) && !f.split(path.sep).includes("testing");
    const { findings, sinks } = findUnsafeCommands(program, scanned);
    expect(findings).toEqual([]);
    // The scan sees the real sinks: ssh2's Client.exec and the session's exec calls.
    expect(sinks.some((s) => s.startsWith("lib/appliance/ssh-exec.ts") && s.includes("Client.exec"))).toBe(true);
    expect(sinks.filter((s) => s.includes("SshSession.exec")).length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it("would catch a template literal, a concatenation or a raw string sent to ssh2", () => {
    const file = path.join(ROOT, "lib/appliance/__bad-command-example.ts");
    const text = [
      'import type { Client } from "ssh2";',
      'import type { SshSession } from "@/lib/appliance/ssh-session";',
      'import { commandLineOf } from "@/lib/appliance/ssh-exec";',
      "export function bad(client: Client, session: SshSession, name: string) {",
      "  client.exec(`sudo ks_upgrade.sh -f ${name}`, () => {});",
      '  client.exec("sha256sum " + name, () => {});',
      "  let line = commandLineOf([name]);",
      "  line += name;",
      "  client.exec(line, () => {});",
      '  const ok = commandLineOf(["sha256sum", name]);',
      "  client.exec(ok, () => {});",
      '  void session.exec(["sha256sum", name]);',
      "  return /x/.exec(name);",
      "}",
    ].join("\n");
    const host = ts.createCompilerHost(OPTIONS);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (f === file ? text : read(f));
    host.fileExists = ((exists) => (f: string) => f === file || exists(f))(host.fileExists.bind(host));
    const { findings } = findUnsafeCommands(ts.createProgram([file], OPTIONS, host), (f) => f === file);
    expect(findings.map((f) => f.where)).toEqual(["lib/appliance/__bad-command-example.ts:5", "lib/appliance/__bad-command-example.ts:6", "lib/appliance/__bad-command-example.ts:9"]);
  }, 120_000);
});
