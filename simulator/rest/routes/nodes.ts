// The cluster's members from one node: list and read them, sign a joining node's CSR
// (POST /v1/nodes [T]), and remove a member (DELETE /v1/nodes/{id}: `m`, then gone).
import { signCsr } from "../../cluster/join";
import { removeMember } from "../../cluster/membership";
import { nodeItems } from "../../cluster/views";
import { errorReply, listReply, optionalString, readJsonBody, refusalReply } from "../http-io";
import type { Route } from "../router";

export const nodeRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/nodes",
    handler: ({ node, query }) => listReply(nodeItems(node), query),
  },
  {
    method: "GET",
    pattern: "/api/v1/nodes/:id",
    handler({ node, params }) {
      const found = nodeItems(node).find((n) => n.nodeID === params.id);
      return found ? { status: 200, json: found } : errorReply(404, "Resource not found");
    },
  },
  {
    method: "POST",
    pattern: "/api/v1/nodes",
    needsKeysecure: true,
    async handler({ node, req }) {
      const body = await readJsonBody(req);
      const grant = signCsr(node, { csr: optionalString(body, "csr"), newNodeHost: optionalString(body, "newNodeHost") });
      if (!grant.ok) return refusalReply(grant);
      return { status: 201, json: { cert: grant.cert, cachain: grant.cachain, mkek_blob: grant.mkek_blob } };
    },
  },
  {
    method: "DELETE",
    pattern: "/api/v1/nodes/:id",
    needsKeysecure: true,
    handler({ node, params }) {
      const removed = removeMember(node, params.id ?? "");
      return removed.ok ? { status: 204, json: null } : refusalReply(removed);
    },
  },
];
