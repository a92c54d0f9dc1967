// `ksctl cluster delete -y` on a node that is not clustered: the CLI relays the API's refusal.
import { say, type Command } from "./types";

export const ksctl: Command = async ({ args, err }) => {
  const words = args.filter((a) => !a.startsWith("-"));
  if (words[0] === "cluster" && words[1] === "delete") {
    if (!args.includes("-y") && !args.includes("--yes")) {
      say(err, "Error: deleting the cluster configuration needs confirmation: run again with -y\n");
      return 1;
    }
    // Clusters come later; until then no node is ever clustered.
    say(err, 'Error: {"code":7,"codeDesc":"NCERRResourceNotFound","message":"this node is not a member of a cluster"}\n');
    return 1;
  }
  say(err, `Error: unknown command "${words.join(" ")}" for "ksctl"\nRun 'ksctl --help' for usage.\n`);
  return 1;
};
