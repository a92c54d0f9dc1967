// Identity and health: GET /v1/system/info and /v1/system/services/status. The version is the
// running firmware's: a staged upgrade shows only after the reboot. And a factory reset [I].
import { reboot } from "../../core/power";
import { errorReply } from "../http-io";
import type { Route } from "../router";

export const systemRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/api/v1/system/info",
    handler: ({ node }) => ({
      status: 200,
      json: {
        name: node.config.name,
        version: node.state.version,
        version_suffix: "",
        model: node.config.model,
        vendor: "Thales Group",
        crypto_version: "FIPS 140-2 Level 1",
        uptime: Math.floor((Date.now() - node.bootedAt.getTime()) / 1000),
        system_time: new Date().toISOString(),
      },
    }),
  },
  {
    method: "GET",
    pattern: "/api/v1/system/services/status",
    handler: ({ node }) => ({ status: 200, json: { services: node.services.list() } }),
  },
  {
    // [I] Route and behaviour are our guess (core/power.ts applies it): 202, then a reboot.
    method: "POST",
    pattern: "/api/v1/system/factory-reset",
    needsKeysecure: true,
    handler({ node }) {
      if (node.firmwareJob) return errorReply(409, `a firmware ${node.firmwareJob.kind} is running`);
      node.pendingFactoryReset = true;
      // A moment for the answer to leave, as with sudo reboot.
      setTimeout(() => void reboot(node), 50);
      return { status: 202, json: { message: "factory reset started; the appliance reboots" } };
    },
  },
];
