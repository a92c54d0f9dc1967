// `ksctl cluster delete -y`: deletes the cluster configuration on the last node of a cluster or on a
// removed node [R5][R9]. ksctl is a client of the node's own REST API, so it fails as the API does
// (gateway stopped, cluster database locked) and relays the API's refusals.
import { deleteClusterConfig } from "../../cluster/membership";
import { clusterLockMessage } from "../../cluster/schema-lock";
import { say, type Command } from "./types";

const CODES = { 400: [10, "NCERRInvalidParamValue"], 404: [7, "NCERRResourceNotFound"], 409: [12, "NCERRConflict"], 500: [1, "NCERRInternal"], 503: [11, "NCERRServiceUnavailable"] } as const;

function apiError(status: keyof typeof CODES, message: string): string {
  const [code, codeDesc] = CODES[status];
  return `Error: ${JSON.stringify({ code, codeDesc, message })}\n`;
}

export const ksctl: Command = async ({ node, args, err }) => {
  const words = args.filter((a) => !a.startsWith("-"));
  if (words[0] === "cluster" && words[1] === "delete") {
    if (!args.includes("-y") && !args.includes("--yes")) {
      say(err, "Error: deleting the cluster configuration needs confirmation: run again with -y\n");
      return 1;
    }
    const unavailable = !node.apiGatewayUp() ? "The service is starting; try again later" : clusterLockMessage(node);
    if (unavailable) {
      say(err, apiError(503, unavailable));
      return 1;
    }
    const deleted = deleteClusterConfig(node);
    if (!deleted.ok) {
      say(err, apiError(deleted.status, deleted.message));
      return 1;
    }
    return 0;
  }
  say(err, `Error: unknown command "${words.join(" ")}" for "ksctl"\nRun 'ksctl --help' for usage.\n`);
  return 1;
};
