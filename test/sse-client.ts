// A small Server-Sent Events client for tests: connects over HTTP, parses messages as a browser's
// EventSource would (id, event, data; comment lines counted apart), and lets a test wait for them.
import { request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http'

export interface SseMessage { id?: string, event?: string, data: string }

export interface SseStream {
  status: number
  headers: IncomingMessage['headers']
  messages: SseMessage[]
  comments: number
  /** Resolves when `count` messages have arrived (rejects after `withinMs`). */
  waitFor: (count: number, withinMs?: number) => Promise<SseMessage[]>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  /** The body, for a response that is not a stream (a problem). */
  body: () => string
  close: () => void
}

export async function openStream (port: number, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return await new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const messages: SseMessage[] = []
      let comments = 0
      let buffer = ''
      let raw = ''
      const waiters: Array<() => void> = []
      let endedResolve!: () => void
      const ended = new Promise<void>((done) => { endedResolve = done })
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        raw += chunk
        buffer += chunk
        let boundary: number
        while ((boundary = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, boundary)
          buffer = buffer.slice(boundary + 2)
          const message: SseMessage = { data: '' }
          let isComment = true
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue
            isComment = false
            const colon = line.indexOf(':')
            const field = colon === -1 ? line : line.slice(0, colon)
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
            if (field === 'id') message.id = value
            else if (field === 'event') message.event = value
            else if (field === 'data') data.push(value)
          }
          if (isComment) { comments++; continue }
          message.data = data.join('\n')
          messages.push(message)
        }
        for (const wake of waiters.splice(0)) wake()
      })
      res.on('end', () => { endedResolve(); for (const wake of waiters.splice(0)) wake() })
      res.on('error', () => endedResolve())
      res.on('close', () => endedResolve())
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        get comments () { return comments },
        ended,
        body: () => raw,
        close: () => { req.destroy() },
        waitFor: async (count, withinMs = 5000) => {
          const deadline = Date.now() + withinMs
          while (messages.length < count) {
            const left = deadline - Date.now()
            if (left <= 0) throw new Error(`only ${messages.length} of ${count} messages within ${withinMs} ms: ${JSON.stringify(messages)}`)
            await new Promise<void>((wake) => { waiters.push(wake); setTimeout(wake, left) })
          }
          return messages.slice(0, count)
        }
      }
      resolve(stream)
    })
    req.on('error', reject)
    req.end()
  })
}
