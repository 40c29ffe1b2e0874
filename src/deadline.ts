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
