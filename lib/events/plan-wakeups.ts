// One Redis subscriber per process for every open plan event stream: a wake-up on a plan's channel
// is fanned out to the streams watching that plan. Fifty viewers hold one Redis connection, not
// fifty, and a new viewer's stream needs no connection handshake of its own before it starts.
import type { Redis } from "ioredis";
import { createRedis } from "@/lib/queue/connection";

/** Called with the message as published (lib/events/plan-events.ts: an announcement). */
type Listener = (message: string) => void;

interface Channel {
  listeners: Set<Listener>;
  subscribed: Promise<unknown>;
}

export class WakeUpHub {
  private readonly channels = new Map<string, Channel>();
  private commands: Promise<unknown> = Promise.resolve();

  constructor(private readonly redis: Redis) {
    redis.on("message", (channel: string, message: string) => {
      for (const listener of this.channels.get(channel)?.listeners ?? []) listener(message);
    });
    // ioredis reconnects and subscribes again by itself; streams poll Postgres meanwhile.
    redis.on("error", () => {});
  }

  /**
   * SUBSCRIBE and UNSUBSCRIBE go out one after another, in the order asked, and only on a ready
   * connection: one sent while ioredis is still shaking hands puts the connection in subscriber
   * mode under its ready check, which then fails, and ioredis reconnects without the channel.
   */
  private send(command: () => Promise<unknown>): Promise<unknown> {
    const next = this.commands.then(() => this.ready()).then(command).catch(() => {});
    this.commands = next;
    return next;
  }

  private ready(): Promise<void> {
    if (this.redis.status === "ready") return Promise.resolve();
    return new Promise((resolve) => this.redis.once("ready", () => resolve()));
  }

  /**
   * Calls `listener` on every message of `channel` until the returned function is called. Resolves
   * once the subscription is in place, or after `readyWithinMs` when Redis does not answer (the
   * caller polls, so a missing wake-up delays events but never loses them).
   */
  async listen(channel: string, listener: Listener, readyWithinMs = 1_000): Promise<() => void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), subscribed: this.send(() => this.redis.subscribe(channel)) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.subscribed, new Promise<void>((resolve) => { timer = setTimeout(resolve, readyWithinMs); })]);
    clearTimeout(timer);
    const own = entry;
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size > 0 || this.channels.get(channel) !== own) return;
      this.channels.delete(channel);
      void this.send(() => this.redis.unsubscribe(channel));
    };
  }

  /** The channels listened to now (tests: a closed stream leaves none behind). */
  channelNames(): string[] {
    return [...this.channels.keys()];
  }
}

// On globalThis: each Next route is a bundle of its own within one process.
const KEY = Symbol.for("fleet-upgrade-console.plan-wakeups");

export function planWakeUps(): WakeUpHub {
  const g = globalThis as typeof globalThis & { [KEY]?: WakeUpHub };
  g[KEY] ??= new WakeUpHub(createRedis("subscriber"));
  return g[KEY];
}

export function onWakeUp(channel: string, listener: Listener, readyWithinMs?: number): Promise<() => void> {
  return planWakeUps().listen(channel, listener, readyWithinMs);
}
