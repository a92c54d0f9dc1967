// The helpers that turn benchmark samples into figures: percentiles by nearest rank, and Server-Sent
// Events cut from a stream that arrives in arbitrary pieces.
import { describe, expect, it } from "vitest";
import { parseSseBlocks, percentile, summarize } from "./console-clients";

describe("percentile", () => {
  it("takes the nearest rank of the sorted samples, whatever their order", () => {
    const samples = [50, 10, 40, 20, 30, 100, 90, 80, 70, 60];
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(100);
    expect(percentile(samples, 10)).toBe(10);
    expect(percentile(samples, 0)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it("summarizes count, p50, p95, p99 and max", () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(summarize(samples)).toEqual({ count: 200, p50: 100, p95: 190, p99: 198, max: 200 });
  });
});

describe("parseSseBlocks", () => {
  it("returns whole events only, keeps the unfinished rest, and skips comments and the retry line", () => {
    const first = parseSseBlocks('retry: 2000\n\n: keepalive\n\nid: 7\nevent: plan\ndata: {"seq":7}\n\nid: 8\nevent: pl', 1);
    expect(first.events).toEqual([{ id: 7, event: "plan", data: '{"seq":7}', receivedAt: 1 }]);
    expect(first.rest).toBe("id: 8\nevent: pl");
    const second = parseSseBlocks(`${first.rest}an\ndata: {"seq":8}\ndata: more\n\n`, 2);
    expect(second.events).toEqual([{ id: 8, event: "plan", data: '{"seq":8}\nmore', receivedAt: 2 }]);
    expect(second.rest).toBe("");
  });

  it("names an event without an event line a message, as EventSource does", () => {
    expect(parseSseBlocks("data:x\n\n", 3).events).toEqual([{ id: null, event: "message", data: "x", receivedAt: 3 }]);
  });
});
