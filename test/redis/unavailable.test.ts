// Why Redis was unavailable, in one word per failure the client or Redis reports.
import t from 'tap'
import { isRedisUnavailable, unavailableCause } from '../../src/redis/unavailable.js'
import { RedisUnavailableError } from '../../src/errors.js'
import { DeadlineExceeded, RequestDeadlineExceeded } from '../../src/deadline.js'

const coded = (message: string, code: string): Error => Object.assign(new Error(message), { code })
const named = (message: string, name: string): Error => Object.assign(new Error(message), { name })

t.test('every unavailable failure has a cause label, and a wrapped one is unwrapped', async (t) => {
  const cases: Array<[Error, string]> = [
    [new Error('Command timed out'), 'timeout'],
    [new RequestDeadlineExceeded('readSession'), 'deadline'],
    [coded('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'), 'refused'],
    [coded('read ECONNRESET', 'ECONNRESET'), 'reset'],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'not_connected'],
    [new Error('Connection is closed.'), 'not_connected'],
    [new Error('CLUSTERDOWN The cluster is down'), 'cluster_down'],
    [new Error("Cluster isn't ready and enableOfflineQueue options is false"), 'cluster_down'],
    [named('Failed to refresh slots cache.', 'ClusterAllFailedError'), 'cluster_down'],
    [new Error("READONLY You can't write against a read only replica."), 'failover'],
    [new Error('TRYAGAIN Multiple keys request during rehashing of slot'), 'failover'],
    [new Error('LOADING Redis is loading the dataset in memory'), 'loading'],
    [new Error("OOM command not allowed when used memory > 'maxmemory'."), 'oom'],
    [new Error('MISCONF Redis is configured to save RDB snapshots'), 'misconf'],
    [new Error('All sentinels are unreachable. Retrying from scratch after 100ms.'), 'sentinels_unreachable']
  ]
  for (const [err, cause] of cases) {
    t.ok(isRedisUnavailable(err), `${err.message} is unavailable`)
    t.equal(unavailableCause(err).cause, cause, err.message)
    t.match(unavailableCause(new RedisUnavailableError(err, 'saveStep')), { cause, operation: 'saveStep', redis_error: String })
  }
  t.equal(unavailableCause(new DeadlineExceeded('connect and PING', 400)).cause, 'timeout', 'the start-up PING that got no answer')
  t.notOk(isRedisUnavailable(new Error('ERR wrong number of arguments')), 'a bug is not unavailability')
  t.ok(unavailableCause(new Error('x'.repeat(500))).redis_error!.length <= 160, 'long messages are cut')
})
