// Cluster state of a standalone node. Clusters come in a later issue; then these answers come
// from the shared cluster database instead of constants.
import { listReply } from "../http-io";
import type { Route } from "../router";

export const clusterRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/cluster",
    handler: () => ({ status: 200, json: { nodeID: "", status: { code: "none", description: "not clustered" } } }),
  },
  {
    method: "GET",
    pattern: "/api/v1/nodes",
    handler: ({ query }) => listReply([], query),
  },
];
