// Event streams of sessions (contract §8): what GET /v1/sessions/{id}/events serves, over @fastify/sse
// (heartbeats, backpressure, headers). A stream subscribes to its session's change channel first, then
// reads what the client missed from the event log, then delivers live changes, dropping what it already
// sent by version; a change's events always travel together, so "version already sent" is exact.
// At most MAX_EVENT_STREAMS per instance; a client that reads too slowly to keep up is cut off (it
// resumes with last-event-id); every stream ends when the session is deleted or expires, and at shutdown.
import fp from 'fastify-plugin'
import type { FastifyReply } from 'fastify'
import { Gauge } from 'prom-client'
import type { Access } from '../src/domain/access.js'
import type { SessionEvent } from '../src/domain/events.js'
import { AppError } from '../src/errors.js'

export interface StreamRequest { reply: FastifyReply, sessionId: string, access: Access, lastEventId: number | null }

declare module 'fastify' {
  interface FastifyInstance {
    eventStreams: { serve: (stream: StreamRequest) => Promise<void>, open: () => number }
  }
}

/** Events a stream may hold for a slow client before it is cut off. */
export const STREAM_QUEUE_LIMIT = 1000
const TERMINAL = new Set(['session.deleted', 'session.expired'])

type Work = { kind: 'events', events: SessionEvent[] } | { kind: 'gap' }

export default fp(async function eventStreams (fastify) {
  const { changes, repos, config, metrics, log } = fastify
  const open = new Set<() => void>()
  const openGauge = new Gauge({ name: 'sessiond_event_streams_open', help: 'Event streams open on this instance', registers: [metrics.registry] })
  new Gauge({ name: 'sessiond_event_streams_max', help: 'MAX_EVENT_STREAMS of this instance', registers: [metrics.registry] }).set(config.events.maxStreams)

  async function serve ({ reply, sessionId, access, lastEventId }: StreamRequest): Promise<void> {
    if (open.size >= config.events.maxStreams) {
      throw new AppError('service_unavailable', `This instance serves its maximum of ${config.events.maxStreams} event streams; retry`, {}, { 'retry-after': '5' })
    }
    const work: Work[] = []
    let queued = 0
    let wake: (() => void) | undefined
    let ended = false
    const push = (item: Work): void => {
      if (ended) return
      work.push(item)
      if (item.kind === 'events') queued += item.events.length
      wake?.()
    }
    // Subscribed before anything is read: a change committed from here on is not missed.
    const unlisten = await changes.listen(sessionId, {
      onEvents: (events) => push({ kind: 'events', events }),
      onGap: () => push({ kind: 'gap' })
    })
    let lastSent: number
    let missed: SessionEvent[] = []
    let resync = false
    try {
      // The owner check: someone else's session is session_not_found, as a problem, before streaming.
      if (lastEventId === null) {
        lastSent = await repos.events.version(sessionId, access)
      } else {
        const read = await repos.events.after(sessionId, access, lastEventId)
        lastSent = lastEventId
        if (read.resync) { resync = true; lastSent = read.version } else missed = read.events
      }
    } catch (err) {
      await unlisten()
      throw err
    }

    const end = (): void => {
      if (ended) return
      ended = true
      wake?.()
    }
    open.add(end)
    openGauge.set(open.size)
    reply.sse.keepAlive()
    reply.sse.onClose(end)
    // Commit the stream at once: the client knows it is subscribed before the first event.
    reply.sse.sendHeaders()
    reply.raw.flushHeaders()

    const send = async (events: SessionEvent[]): Promise<void> => {
      for (const event of events) {
        if (event.version <= lastSent && !TERMINAL.has(event.type)) continue
        await reply.sse.send({ id: String(event.version), event: event.type, data: event })
      }
      const last = events.at(-1)
      if (last !== undefined && last.version > lastSent) lastSent = last.version
      if (events.some((event) => TERMINAL.has(event.type))) end()
    }

    try {
      if (resync) await reply.sse.send({ id: String(lastSent), event: 'resync', data: { session_id: sessionId, version: lastSent } })
      else await send(missed)
      while (!ended) {
        const item = work.shift()
        if (item === undefined) {
          await new Promise<void>((resolve) => { wake = resolve })
          wake = undefined
          continue
        }
        if (item.kind === 'events') {
          queued -= item.events.length
          if (queued > STREAM_QUEUE_LIMIT) {
            log.info({ session_id: sessionId }, 'event stream too slow to keep up: closed (the client resumes with last-event-id)')
            break
          }
          await send(item.events)
        } else {
          // Announcements may have been missed while the subscriber reconnected: read them from the log.
          const read = await repos.events.after(sessionId, access, lastSent).catch(() => null)
          if (read === null) break // the session is gone: the client learns it when it reconnects
          if (read.resync) {
            lastSent = read.version
            await reply.sse.send({ id: String(lastSent), event: 'resync', data: { session_id: sessionId, version: lastSent } })
          } else {
            await send(read.events)
          }
        }
      }
    } finally {
      ended = true
      open.delete(end)
      openGauge.set(open.size)
      await unlisten()
      reply.sse.close()
    }
  }

  fastify.decorate('eventStreams', { serve, open: () => open.size })
  // Streams end cleanly when the instance stops (before close() waits for open responses).
  fastify.addHook('preClose', async () => { for (const end of [...open]) end() })
}, { name: 'event-streams', dependencies: ['changes', 'repositories', 'metrics'] })
