import { describe, expect, it } from "vitest";
import { resolveRemotePath } from "./remote-path";

const HOME_DIR = "/state/home/ksadmin";

describe("resolveRemotePath", () => {
  it.each([
    ["", "/home/ksadmin", HOME_DIR],
    [".", "/home/ksadmin", HOME_DIR],
    ["~", "/home/ksadmin", HOME_DIR],
    ["file.gpg", "/home/ksadmin/file.gpg", `${HOME_DIR}/file.gpg`],
    ["~/file.gpg", "/home/ksadmin/file.gpg", `${HOME_DIR}/file.gpg`],
    ["/home/ksadmin/dir/f", "/home/ksadmin/dir/f", `${HOME_DIR}/dir/f`],
    ["/home/ksadmin/", "/home/ksadmin", HOME_DIR],
    ["a/../b", "/home/ksadmin/b", `${HOME_DIR}/b`],
  ])("maps %j into the home folder", (input, remote, local) => {
    expect(resolveRemotePath(HOME_DIR, input)).toEqual({ ok: true, remote, local });
  });

  it.each(["/etc/shadow", "../other", "/home/ksadmin/../root/x", "/home/ksadminx", "/", "/opt/keysecure/ks_upgrade.sh"])("refuses %j", (input) => {
    expect(resolveRemotePath(HOME_DIR, input).ok).toBe(false);
  });
});
