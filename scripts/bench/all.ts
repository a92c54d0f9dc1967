// The benchmarks of `npm run bench`, in the order.
import type { Bench } from "./types";

export const BENCHES: Bench[] = [];
