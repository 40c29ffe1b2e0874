// The per-request logger stand-in: nothing is made for a request that logs nothing; what is logged
// carries the request's bindings, exactly as a pino child would.
import t from 'tap'
import { pino } from 'pino'
import { Writable } from 'node:stream'
import { lazyChildLoggerFactory } from '../src/lazy-logger.js'

function capture (level: string) {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done() } })
  const real = pino({ level }, stream)
  // The same logger, counting the children made from it.
  let children = 0
  const parent = Object.create(real) as typeof real
  parent.child = ((...args: Parameters<typeof real.child>) => { children++; return real.child(...args) }) as typeof real.child
  return { parent, lines, children: () => children }
}

t.test('below the level nothing is made and nothing written', async (t) => {
  const { parent, lines, children } = capture('warn')
  const log = lazyChildLoggerFactory(parent, { request_id: 'r1' }, {}) as ReturnType<typeof lazyChildLoggerFactory> & { isLevelEnabled: (level: string) => boolean }
  log.info('hidden')
  log.debug({ a: 1 }, 'hidden')
  t.equal(children(), 0, 'no child logger was made')
  t.same(lines, [])
  t.equal(log.level, 'warn')
  t.equal(log.isLevelEnabled('info'), false)
  t.equal(log.isLevelEnabled('error'), true)
})

t.test('an enabled call makes the child once and writes with its bindings', async (t) => {
  const { parent, lines, children } = capture('info')
  const log = lazyChildLoggerFactory(parent, { request_id: 'r2' }, {})
  log.warn({ n: 1 }, 'first')
  log.info('second')
  log.trace('hidden')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(children(), 1)
  t.match(lines, [{ level: 40, request_id: 'r2', n: 1, msg: 'first' }, { level: 30, request_id: 'r2', msg: 'second' }])
  t.equal(lines.length, 2)
})

t.test('setting the level makes the child and changes only it', async (t) => {
  const { parent, lines } = capture('warn')
  const log = lazyChildLoggerFactory(parent, { request_id: 'r3' }, {})
  log.level = 'debug'
  log.debug('now shown')
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(parent.level, 'warn')
  t.equal(log.level, 'debug')
  t.match(lines, [{ level: 20, request_id: 'r3', msg: 'now shown' }])
  const nested = log.child({ extra: true })
  nested.warn('nested')
  await new Promise((resolve) => setImmediate(resolve))
  t.match(lines[1], { request_id: 'r3', extra: true, msg: 'nested' })
})

t.test('a per-route level makes a real child at once', async (t) => {
  const { parent, children } = capture('warn')
  const log = lazyChildLoggerFactory(parent, { request_id: 'r4' }, { level: 'info' })
  t.equal(children(), 1)
  t.equal(log.level, 'info')
})
