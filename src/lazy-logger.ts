// Fastify makes a child logger (bound to the request id) for every request; with pino's redaction that
// costs a few microseconds even when nothing is logged. This factory hands out a stand-in that makes
// the child on its first enabled call: a request that logs nothing (the common case below info) pays
// one small object (its methods live on the prototype).
import type { FastifyBaseLogger } from 'fastify'

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace']

interface PinoLike extends FastifyBaseLogger { isLevelEnabled?: (level: string) => boolean }

class LazyChild {
  private real: FastifyBaseLogger | undefined

  constructor (
    private readonly parent: PinoLike,
    private readonly bindings: Record<string, unknown>,
    private readonly options: Record<string, unknown>
  ) {}

  private made (): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, this.options))
  }

  /** Writes at `level` when it is enabled, making the child first. */
  write (level: Level, args: unknown[]): void {
    if (this.real === undefined && this.parent.isLevelEnabled?.(level) === false) return
    const logger = this.made()
    ;(logger[level] as (...a: unknown[]) => void).apply(logger, args)
  }

  child (more: Record<string, unknown>, moreOptions?: Record<string, unknown>): FastifyBaseLogger {
    return this.made().child(more, moreOptions)
  }

  isLevelEnabled (level: string): boolean {
    return this.parent.isLevelEnabled?.(level) ?? true
  }

  silent (): void {}

  get level (): string {
    return (this.real ?? this.parent).level
  }

  set level (level: string) {
    this.made().level = level
  }
}

for (const level of LEVELS) {
  Object.defineProperty(LazyChild.prototype, level, {
    value: function (this: LazyChild, ...args: unknown[]) { this.write(level, args) },
    writable: true,
    configurable: true
  })
}

/** For Fastify's `childLoggerFactory` option. */
export function lazyChildLoggerFactory (logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: { level?: string }): FastifyBaseLogger {
  // With a per-route log level the child must exist at once.
  if (options.level !== undefined) return logger.child(bindings, options)
  return new LazyChild(logger as PinoLike, bindings, options) as unknown as FastifyBaseLogger
}
