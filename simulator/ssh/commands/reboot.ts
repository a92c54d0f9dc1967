// `sudo reboot`: the session drops without an exit status, SSH and REST go dark for the
// reboot time, then the node boots (see core/power.ts).
import { reboot } from "../../core/power";
import { say, type Command } from "./types";

export const rebootCommand: Command = async ({ node, root, err }) => {
  if (!root) {
    say(err, "Failed to set wall message, ignoring: Interactive authentication required.\n");
    say(err, "Failed to reboot system via logind: Interactive authentication required.\n");
    return 1;
  }
  // A moment for the caller's write to flush, as with a real shutdown.
  setTimeout(() => void reboot(node), 50);
  return "disconnect";
};
