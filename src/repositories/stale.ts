// "Changed since you read it": the one protocol and the one retry policy. A compare-and-set script
// answers E_STALE (StaleWriteError) when another writer moved the session between our read and our
// write; the caller reads again and retries with jittered backoff. A caller that sent if-match never
// gets here (its mismatch is 412 at once). Used by PATCH and finalize.
import { StaleWriteError } from '../redis/script-errors.js'
import { AppError } from '../errors.js'

/** Attempts before a request gives up on a session that keeps changing under it. */
export const MAX_STALE_ATTEMPTS = 16

const backoff = async (attempt: number): Promise<void> =>
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 5)))

/** Runs read → plan → compare-and-set until it lands; 503 with retry-after when it never does. */
export async function retryStale<T> (attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (err) {
      if (!(err instanceof StaleWriteError)) throw err
      if (n >= MAX_STALE_ATTEMPTS) {
        throw new AppError('service_unavailable', 'The session kept changing while this request was applied; retry', {}, { 'retry-after': '1' })
      }
      await backoff(n)
    }
  }
}
