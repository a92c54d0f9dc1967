// The benchmarks of `npm run bench`, in the order.
import type { Bench } from "./types";
import { bench as archiveIntake } from "./archive-intake";
import { bench as distribution } from "./distribution";
import { bench as orchestration, scaleOutBench } from "./orchestration";
import { bench as liveUpdates } from "./live-updates";
import { bench as fleetView } from "./fleet-view";

export const BENCHES: Bench[] = [archiveIntake, distribution, orchestration, liveUpdates, fleetView, scaleOutBench];
