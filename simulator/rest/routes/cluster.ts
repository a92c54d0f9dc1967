// The cluster as one node sees it, and what it can do to it: GET /v1/cluster and
// /v1/cluster/summary, POST /v1/cluster/new, /csr and /join, DELETE /v1/cluster (leave).
import { createCluster, leaveCluster } from "../../cluster/membership";
import { issueCsr, joinCluster } from "../../cluster/join";
import { clusterInfo, clusterSummary } from "../../cluster/views";
import { optionalNumber, optionalString, readJsonBody, refusalReply } from "../http-io";
import type { Route } from "../router";

export const clusterRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/cluster",
    handler: ({ node }) => ({ status: 200, json: clusterInfo(node) }),
  },
  {
    method: "GET",
    pattern: "/api/v1/cluster/summary",
    handler: ({ node }) => ({ status: 200, json: clusterSummary(node) }),
  },
  {
    method: "POST",
    pattern: "/api/v1/cluster/new",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const made = createCluster(node, { localNodeHost: optionalString(body, "localNodeHost"), publicAddress: optionalString(body, "publicAddress") });
      return made.ok ? { status: 201, json: clusterInfo(node) } : refusalReply(made);
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/cluster/csr",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const csr = issueCsr(node, { localNodeHost: optionalString(body, "localNodeHost") });
      return csr.ok ? { status: 200, json: { csr: csr.csr } } : refusalReply(csr);
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/cluster/join",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const joined = joinCluster(node, {
        cert: optionalString(body, "cert"),
        cachain: optionalString(body, "cachain"),
        mkek_blob: optionalString(body, "mkek_blob"),
        localNodeHost: optionalString(body, "localNodeHost"),
        localNodePublicAddress: optionalString(body, "localNodePublicAddress"),
        memberNodeHost: optionalString(body, "memberNodeHost"),
        memberNodePort: optionalNumber(body, "memberNodePort"),
      });
      if (!joined.ok) return refusalReply(joined);
      // blocking: answer once the join is over, as the Ansible modules can ask [T].
      if (body.blocking === true) await joined.done;
      return { status: 200, json: clusterInfo(node) };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/cluster",
    needsKeysecure: true,
    handler({ node }) {
      const left = leaveCluster(node);
      if (!left.ok) return refusalReply(left);
      return left.leaving ? { status: 202, json: clusterInfo(node) } : { status: 204, json: null };
    },
  },
];
