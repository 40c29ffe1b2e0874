// The one way to bound a wait: the work's result, or DeadlineExceeded after `ms`. The timer never
// outlives the race (no stray timers keep the process alive or fire later).

export class DeadlineExceeded extends Error {
  constructor (what: string, readonly ms: number) {
    super(`${what}: no answer within ${ms} ms`)
    this.name = 'DeadlineExceeded'
  }
}

export async function withDeadline<T> (ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms) })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A request's Redis work ends within REDIS_COMMAND_TIMEOUT_MS + 250 ms however many commands it needs
 * (contract §1, docs/decisions/0404): its deadline is set before the handler runs, this much past the
 * command timeout; the other 150 ms are for answering, and for an event loop that runs late.
 */
export const REQUEST_DEADLINE_SLACK_MS = 100

/** A request's deadline passed before (or while) a Redis operation could finish. */
export class RequestDeadlineExceeded extends Error {
  constructor (operation: string) {
    super(`${operation}: the request's deadline for Redis passed`)
    this.name = 'RequestDeadlineExceeded'
  }
}
