// The shape every simulated command shares: arguments in, text out, an exit code back.
import type { Writable } from "node:stream";
import type { ApplianceNode } from "../../core/appliance-node";

export interface CommandContext {
  node: ApplianceNode;
  /** The command's own name as typed (for messages) and its arguments. */
  name: string;
  args: string[];
  out: Writable;
  err: Writable;
  /** Running under sudo. */
  root: boolean;
}

/** An exit code, or "disconnect" when the command takes the connection down (reboot). */
export type CommandResult = number | "disconnect";
export type Command = (ctx: CommandContext) => Promise<CommandResult>;

export function say(stream: Writable, text: string): void {
  if (!stream.destroyed && stream.writable) stream.write(text);
}
