// How far V8 lets the heap grow past what survived the last full GC (HEAP_GROWING_PERCENT,
// docs/decisions/0718). By default V8 lets the old generation grow to several times the live heap
// before collecting it, so a service whose live heap is ~40 MB reached 200+ MB of RSS under load with
// nothing retained.
import { setFlagsFromString } from 'node:v8'

/**
 * The old generation's limit after a full GC becomes the live heap × (1 + percent / 100); 0 leaves V8's
 * heuristics alone. V8 reads the flag at every full GC, so setting it at start is enough.
 */
export function boundHeapGrowth (percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}
