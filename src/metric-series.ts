// A histogram and a counter for the metrics every request feeds (docs/decisions/0727). prom-client's own
// take a label object on every observation, validate it, hash it into a string and allocate a closure:
// ~1 µs each, three per request. These keep one series per label combination, found by a key the caller
// already has (a route, a status, an operation name), so an observation is a map lookup and an array
// increment; at scrape time they hand prom-client's registry the shape its own metrics give, and the
// registry writes the exposition as for any other metric.
import type { Metric, Registry } from 'prom-client'

export type Labels = Readonly<Record<string, string | number>>

interface SeriesValue { labels: Labels, value: number, metricName?: string }
interface MetricData { name: string, help: string, type: 'histogram' | 'counter', values: SeriesValue[], aggregator: 'sum' }

export interface HistogramSeries { observe (value: number): void }
export interface CounterSeries { inc (): void }

abstract class KeyedMetric<S> {
  readonly aggregator = 'sum'
  protected readonly series = new Map<string, S>()

  constructor (readonly name: string, readonly help: string, registers: readonly Registry[]) {
    for (const registry of registers) registry.registerMetric(this as unknown as Metric)
  }

  /** The series of `key`; `labels` is called once, with the key, when the key is first seen. */
  of (key: string, labels: (key: string) => Labels): S {
    let found = this.series.get(key)
    if (found === undefined) {
      found = this.create(labels(key))
      this.series.set(key, found)
    }
    return found
  }

  protected abstract create (labels: Labels): S

  protected abstract zero (series: S): void

  /** What prom-client's Registry asks of a metric at scrape time. */
  abstract get (): Promise<MetricData>

  /** `registry.resetMetrics()`: every series back to zero, kept (callers hold them). */
  reset (): void {
    for (const series of this.series.values()) this.zero(series)
  }
}

class HistogramSeriesValue implements HistogramSeries {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array
  sum = 0
  count = 0

  constructor (readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1)
  }

  observe (value: number): void {
    if (!Number.isFinite(value)) return
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]!) i++
    this.counts[i]!++
    this.sum += value
    this.count++
  }
}

/** A histogram with cumulative `le` buckets, `_sum` and `_count`, as prom-client's Histogram exposes. */
export class KeyedHistogram extends KeyedMetric<HistogramSeriesValue> {
  readonly type = 'histogram'
  private readonly bounds: readonly number[]

  constructor (options: { name: string, help: string, buckets: readonly number[], registers: readonly Registry[] }) {
    super(options.name, options.help, options.registers)
    this.bounds = [...options.buckets].sort((a, b) => a - b)
  }

  protected create (labels: Labels): HistogramSeriesValue {
    return new HistogramSeriesValue(labels, this.bounds)
  }

  protected zero (series: HistogramSeriesValue): void {
    series.counts.fill(0)
    series.sum = 0
    series.count = 0
  }

  async get (): Promise<MetricData> {
    const values: SeriesValue[] = []
    for (const s of this.series.values()) {
      let cumulative = 0
      this.bounds.forEach((bound, i) => {
        cumulative += s.counts[i]!
        values.push({ labels: { le: bound, ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` })
      })
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${this.name}_bucket` })
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` })
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}

class CounterSeriesValue implements CounterSeries {
  value = 0
  constructor (readonly labels: Labels) {}
  inc (): void { this.value++ }
}

/** A counter of events by label combination, as prom-client's Counter exposes. */
export class KeyedCounter extends KeyedMetric<CounterSeriesValue> {
  readonly type = 'counter'

  constructor (options: { name: string, help: string, registers: readonly Registry[] }) {
    super(options.name, options.help, options.registers)
  }

  protected create (labels: Labels): CounterSeriesValue {
    return new CounterSeriesValue(labels)
  }

  protected zero (series: CounterSeriesValue): void {
    series.value = 0
  }

  async get (): Promise<MetricData> {
    const values = [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value }))
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}
