// Fastify makes a child logger (bound to the request id) for every request; with pino's redaction that
// costs a few microseconds even when nothing is logged. This factory hands out a stand-in that makes
// the child on its first enabled call: a request that logs nothing (the common case below info) pays
// one small object.
import type { FastifyBaseLogger } from 'fastify'

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace']

interface PinoLike extends FastifyBaseLogger { isLevelEnabled?: (level: string) => boolean }

function lazyChild (parent: PinoLike, bindings: Record<string, unknown>, options: Record<string, unknown>): FastifyBaseLogger {
  let real: FastifyBaseLogger | undefined
  const child = (): FastifyBaseLogger => (real ??= parent.child(bindings, options))
  const enabled = (level: Level): boolean => real !== undefined || parent.isLevelEnabled?.(level) !== false
  const stand: Record<string, unknown> = {
    child: (more: Record<string, unknown>, moreOptions?: Record<string, unknown>) => child().child(more, moreOptions),
    isLevelEnabled: (level: string) => parent.isLevelEnabled?.(level) ?? true,
    silent: () => {}
  }
  Object.defineProperty(stand, 'level', { get: () => (real ?? parent).level, set: (level: string) => { child().level = level }, enumerable: true })
  for (const level of LEVELS) {
    stand[level] = (...args: unknown[]) => {
      if (enabled(level)) (child()[level] as (...a: unknown[]) => void)(...args)
    }
  }
  return stand as unknown as FastifyBaseLogger
}

/** For Fastify's `childLoggerFactory` option. */
export function lazyChildLoggerFactory (logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: { level?: string }): FastifyBaseLogger {
  // With a per-route log level the child must exist at once.
  if (options.level !== undefined) return logger.child(bindings, options)
  return lazyChild(logger as PinoLike, bindings, options)
}
