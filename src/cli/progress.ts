// Progress of long work on stderr, only when stderr is a terminal (stdout stays clean for pipes, and
// logs of a redirected run get no control characters): what is done, the rate, and the time left when
// the total is known.
export interface ProgressOptions {
  /** What is counted: "sessions". */
  unit: string
  /** The expected total, when known (an estimate is fine: the ETA says ~). */
  total?: number
  /** How `done` is shown (bytes as MiB). */
  format?: (n: number) => string
  /** More to show after the counts (e.g. what an import did so far). */
  suffix?: () => string
}

const REDRAW_MS = 200

const plain = (n: number): string => Math.round(n).toLocaleString('en-US')

export function duration (seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

export class Progress {
  private readonly started = Date.now()
  private drawn = 0
  private done = 0
  private readonly active: boolean

  constructor (
    private readonly label: string,
    private readonly options: ProgressOptions,
    private readonly stream: NodeJS.WriteStream = process.stderr
  ) {
    this.active = stream.isTTY === true
  }

  /** The line as it is drawn (also for tests). */
  line (done: number, nowMs: number = Date.now()): string {
    const { unit, total, format = plain } = this.options
    const seconds = Math.max((nowMs - this.started) / 1000, 0.001)
    const rate = done / seconds
    let text = `${this.label}: ${format(done)}${total !== undefined ? ` of ~${format(total)}` : ''} ${unit} · ${format(rate)} ${unit}/s`
    if (total !== undefined && total > done && rate > 0) text += ` · ETA ${duration((total - done) / rate)}`
    const more = this.options.suffix?.()
    return more === undefined || more === '' ? text : `${text} · ${more}`
  }

  update (done: number): void {
    this.done = done
    if (!this.active) return
    const now = Date.now()
    if (now - this.drawn < REDRAW_MS) return
    this.drawn = now
    this.stream.write(`\r\x1b[2K${this.line(done, now)}`)
  }

  /** The last line, and a newline (nothing when stderr is not a terminal). */
  finish (): void {
    if (!this.active) return
    this.stream.write(`\r\x1b[2K${this.line(this.done)} · ${duration((Date.now() - this.started) / 1000)}\n`)
  }
}
