// Scaled timers. Every simulated duration goes through here so one `timeScale` speeds up
// the whole appliance, and `cancelAll` leaves nothing running after stop() or reset().

export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly timeScale: number) {}

  /** Real milliseconds for a simulated duration. */
  realMs(simSeconds: number): number {
    return Math.max(0, simSeconds * 1000 * this.timeScale);
  }

  /** Runs fn after a simulated duration; returns a cancel function. */
  after(simSeconds: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.realMs(simSeconds));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves true after the duration, false at once if the signal aborts first. */
  sleep(simSeconds: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.after(simSeconds, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
