// V8's heap settings, applied once at start by src/server.ts (so every way of starting sessiond gets them).
// - How far the heap may grow past what survived the last full GC (HEAP_GROWING_PERCENT, decision 0718):
//   by default V8 lets the old generation grow to several times the live heap before collecting it, so a
//   service whose live heap is ~40 MB reached 200+ MB of RSS under load with nothing retained.
// - Allocation-site pretenuring (HEAP_PRETENURING, decision 0725): after a burst in which a site's
//   objects outlived a scavenge, V8 allocates that site's objects straight in the old generation, and it
//   revisits that only at a full GC that finds most of the old generation dead, which a service with a
//   steady live set does not see. One burst left every later request's short-lived objects in the old
//   generation: twice the scavenge time, six times the full GCs.
import { setFlagsFromString } from 'node:v8'

/**
 * The old generation's limit after a full GC becomes the live heap × (1 + percent / 100); 0 leaves V8's
 * heuristics alone. V8 reads the flag at every full GC, so setting it at start is enough.
 */
export function boundHeapGrowth (percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}

/** false: V8 never pretenures, every object starts in the young generation. V8 reads the flag at every GC. */
export function allowPretenuring (allowed: boolean): void {
  if (!allowed) setFlagsFromString('--no-allocation-site-pretenuring')
}
