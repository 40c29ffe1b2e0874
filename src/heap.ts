// V8's heap settings, applied once at start by src/server.ts so every way of starting sessiond gets them:
// how far the heap may grow past what survived the last full GC (HEAP_GROWING_PERCENT, decision 0718),
// and whether V8 may pretenure allocation sites (HEAP_PRETENURING, decision 0725: after one burst it sent
// every later request's short-lived objects to the old generation, for good).
import { setFlagsFromString } from 'node:v8'

/**
 * The young generation sessiond is measured and shipped with (decision 0729): 16 MB semi-spaces, what V8
 * picks on Node 20 on a host with a few GB or more. V8 sizes them from the memory it may use when the
 * process starts — 1 MB under a 512 MiB container limit (at 2 MB a PUT step already costs +50 % CPU), 32 MB
 * on Node 24 on a large host (~60 MB more RSS at peak) — and reads the size only then, so it is a flag: the image's
 * CMD, `npm start` and the benchmark's sessiond carry exactly these (test/deploy/young-generation.test.ts).
 */
export const YOUNG_GENERATION_FLAGS = ['--max-semi-space-size=16'] as const

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
