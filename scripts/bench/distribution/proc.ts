// What benchmark 2 reads from /proc: a process's resident memory (sampled while it works) and CPU time.
import fs from "node:fs";

/** VmRSS in bytes; null once the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime in seconds (clock ticks are 100 Hz on Linux); null once the process is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Samples VmRSS every `everyMs` until stopped; `peak` is the highest seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = rssBytes(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid) ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssBytes(pid) ?? 0);
      return peak;
    },
  };
}

/**
 * Microseconds in which some task waited for a CPU, or for I/O (Linux PSI, /proc/pressure/<kind>
 * "some"): its growth over a run, divided by the run's length, says how contended the machine was.
 */
export function stallMicros(kind: "cpu" | "io"): number | null {
  try {
    const m = /^some .*total=(\d+)/m.exec(fs.readFileSync(`/proc/pressure/${kind}`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
