import t from 'tap'
import { Counter, Histogram, Registry } from 'prom-client'
import { KeyedCounter, KeyedHistogram } from '../src/metric-series.js'

const BUCKETS = [0.001, 0.01, 0.1, 1]
const OBSERVED = [0.0005, 0.001, 0.002, 0.05, 0.5, 2, 7, Number.NaN]

/** prom-client's own metrics and the keyed ones, fed the same observations. */
function pair (): { theirs: Registry, ours: Registry, keyedHistogram: KeyedHistogram, keyedCounter: KeyedCounter } {
  const theirs = new Registry()
  const ours = new Registry()
  const histogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['route', 'status_class'], buckets: BUCKETS, registers: [theirs] })
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['route', 'status_code'], registers: [theirs] })
  const keyedHistogram = new KeyedHistogram({ name: 'h_seconds', help: 'h', buckets: BUCKETS, registers: [ours] })
  const keyedCounter = new KeyedCounter({ name: 'c_total', help: 'c', registers: [ours] })
  for (const route of ['/v1/a', '/v1/"quoted"\\b']) {
    for (const [i, value] of OBSERVED.entries()) {
      const status = i % 3 === 0 ? 404 : 200
      const labels = { route, status_class: `${Math.floor(status / 100)}xx` }
      // prom-client refuses a NaN; the keyed histogram ignores it.
      if (!Number.isNaN(value)) histogram.observe(labels, value)
      keyedHistogram.of(`${route} ${labels.status_class}`, () => labels).observe(value)
      counter.inc({ route, status_code: status })
      keyedCounter.of(`${route} ${status}`, () => ({ route, status_code: status })).inc()
    }
  }
  return { theirs, ours, keyedHistogram, keyedCounter }
}

t.test('the exposition is what prom-client writes for the same observations', async (t) => {
  const { theirs, ours } = pair()
  const text = await ours.metrics()
  t.equal(text, await theirs.metrics())
  t.match(text, 'h_seconds_bucket{le="0.001",route="/v1/a",status_class="2xx"} 1')
  t.match(text, 'h_seconds_bucket{le="+Inf",route="/v1/a",status_class="2xx"} 4')
  t.match(text, 'c_total{route="/v1/a",status_code="404"} 3')
})

t.test('the labels function runs once per key, and a key keeps its series', async (t) => {
  const registry = new Registry()
  const histogram = new KeyedHistogram({ name: 'x_seconds', help: 'x', buckets: BUCKETS, registers: [registry] })
  let calls = 0
  const first = histogram.of('k', () => { calls++; return { operation: 'k' } })
  t.equal(histogram.of('k', () => { calls++; return { operation: 'other' } }), first)
  t.equal(calls, 1)
})

t.test('resetMetrics zeroes every series and keeps it, so a series a caller holds still counts', async (t) => {
  const { ours, keyedHistogram, keyedCounter } = pair()
  const held = keyedHistogram.of('/v1/a 2xx', () => ({ route: '/v1/a', status_class: '2xx' }))
  const heldCount = keyedCounter.of('/v1/a 200', () => ({ route: '/v1/a', status_code: 200 }))
  ours.resetMetrics()
  t.match(await ours.metrics(), 'h_seconds_count{route="/v1/a",status_class="2xx"} 0')
  t.match(await ours.metrics(), 'c_total{route="/v1/a",status_code="200"} 0')
  held.observe(0.05)
  heldCount.inc()
  const text = await ours.metrics()
  t.match(text, 'h_seconds_bucket{le="0.1",route="/v1/a",status_class="2xx"} 1')
  t.match(text, 'h_seconds_sum{route="/v1/a",status_class="2xx"} 0.05')
  t.match(text, 'c_total{route="/v1/a",status_code="200"} 1')
})
