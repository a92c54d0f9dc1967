// Configuration properties; the console reads and turns off ENABLE_RECORDS_DB_STORE (local
// database audit logging) before an offline upgrade [F8].
import { DEFAULT_PROPERTIES } from "../../core/data-store";
import { errorReply, HttpError, listReply, readJsonBody } from "../http-io";
import type { Route } from "../router";

const BOOLEAN_PROPERTIES = new Set(["ENABLE_RECORDS_DB_STORE"]);

function resource(name: string, value: string) {
  return { name, value, description: name === "ENABLE_RECORDS_DB_STORE" ? "Store audit records in the local database" : "" };
}

export const propertyRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/configs/properties",
    needsKeysecure: true,
    handler: ({ node, query }) =>
      listReply(Object.keys(DEFAULT_PROPERTIES).map((n) => resource(n, node.data.getProperty(n) ?? "")), query),
  },
  {
    method: "GET",
    pattern: "/api/v1/configs/properties/:name",
    needsKeysecure: true,
    handler({ node, params }) {
      const value = node.data.getProperty(params.name ?? "");
      return value === undefined ? errorReply(404, "Resource not found") : { status: 200, json: resource(params.name ?? "", value) };
    },
  },
  {
    method: "PATCH",
    pattern: "/api/v1/configs/properties/:name",
    needsKeysecure: true,
    async handler({ node, req, params }) {
      const name = params.name ?? "";
      if (node.data.getProperty(name) === undefined) return errorReply(404, "Resource not found");
      const body = await readJsonBody(req);
      const value = body.value;
      if (typeof value !== "string") throw new HttpError(400, "value must be a string");
      if (BOOLEAN_PROPERTIES.has(name) && value !== "true" && value !== "false") return errorReply(400, `${name} must be "true" or "false"`);
      node.data.setProperty(name, value);
      node.changed();
      return { status: 200, json: resource(name, value) };
    },
  },
];
