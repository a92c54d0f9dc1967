import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./command-line";

const words = (line: string) => {
  const p = parseCommandLine(line);
  if (!p.ok) throw new Error(p.message);
  return p.commands.map((c) => c.words.map((w) => ("text" in w ? w.text : `glob:${w.glob}`)));
};

describe("parseCommandLine", () => {
  it.each([
    ["df -h /", [["df", "-h", "/"]]],
    ["sha256sum 'a b.gpg'", [["sha256sum", "a b.gpg"]]],
    ["sudo /opt/keysecure/ks_upgrade.sh -f ks_upgrade_2.11.0+1.tar.gz.gpg", [["sudo", "/opt/keysecure/ks_upgrade.sh", "-f", "ks_upgrade_2.11.0+1.tar.gz.gpg"]]],
    ["echo $HOME ~/x ~", [["echo", "/home/ksadmin", "/home/ksadmin/x", "/home/ksadmin"]]],
    ["echo $NOPE", [["echo", ""]]],
    ["ls *.gpg", [["ls", "glob:*.gpg"]]],
    ["a; b && c || d", [["a"], ["b"], ["c"], ["d"]]],
    ["echo hi # a comment", [["echo", "hi"]]],
  ])("%s", (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it("keeps the connectors", () => {
    const p = parseCommandLine("a; b && c || d");
    expect(p.ok && p.commands.map((c) => c.after)).toEqual([null, ";", "&&", "||"]);
  });

  it("understands the redirections a console uses", () => {
    const p = parseCommandLine("sha256sum x 2>/dev/null; cmd 2>&1; other >/dev/null");
    if (!p.ok) throw new Error(p.message);
    expect(p.commands.map((c) => [c.stdout, c.stderr])).toEqual([
      ["channel", "null"],
      ["channel", "stdout"],
      ["null", "channel"],
    ]);
    expect(p.commands[0]?.words).toEqual([{ text: "sha256sum" }, { text: "x" }]);
  });

  it.each(["ls | head", "sleep 1 &", "echo x > file", "cat < in", "&& ls", "ls &&"])("refuses %s", (line) => {
    expect(parseCommandLine(line).ok).toBe(false);
  });
});
