// Waiting for an appliance's observable state: every change the node announces is checked
// against the predicate, so tests wait for exactly what they need and no longer.
import type { ApplianceStateSnapshot } from "../appliance";
import type { ApplianceNode } from "./appliance-node";

export function waitForState(
  node: ApplianceNode,
  snapshot: () => ApplianceStateSnapshot,
  predicate: (s: ApplianceStateSnapshot) => boolean,
  timeoutMs: number,
): Promise<ApplianceStateSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = snapshot();
      if (!predicate(s)) return false;
      cleanup();
      resolve(s);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${node.config.name}: state not reached within ${timeoutMs} ms: ${JSON.stringify(snapshot())}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      node.events.off("change", check);
    };
    node.events.on("change", check);
    check();
  });
}
