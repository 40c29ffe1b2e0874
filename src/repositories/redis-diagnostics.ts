// What `GET /v1/admin/health/redis` and `npx sessiond doctor` report (contract §9): INFO, the RDB
// schedule and the cluster state of every server that holds data (every master of a Cluster), the
// client's own connection, and the command latency the caller measured. The warnings come from
// src/domain/redis-health.ts.
import { Cluster, type Redis } from 'ioredis'
import type { RedisStore } from '../redis/store.js'
import { dataNodes, nodeAddress } from '../redis/scan.js'
import { topologyOf } from '../redis/client.js'
import { healthReport, nodeReport, parseInfo, type CommandLatency } from '../domain/redis-health.js'
import type { RedisHealth, RedisNode } from '../../schemas/admin.js'

export class RedisDiagnostics {
  constructor (private readonly store: RedisStore) {}

  private async node (node: Redis, inCluster: boolean): Promise<RedisNode> {
    const call = async <T>(fn: () => Promise<T>): Promise<T> => await this.store.call('diagnostics', fn)
    const info = parseInfo(await call(async () => await node.info()))
    // Managed Redis often refuses CONFIG: the RDB schedule is then unknown (null), not "off".
    const save = await call(async () => await node.config('GET', 'save') as string[]).then((reply) => reply[1] ?? '', () => null)
    const clusterState = inCluster ? parseInfo(await call(async () => await node.cluster('INFO') as string)).cluster_state ?? 'unknown' : null
    return nodeReport({ address: nodeAddress(node), info, save, clusterState })
  }

  /** Commands this instance sent and is waiting for (every node connection of a Cluster). */
  private pendingCommands (): number {
    const client = this.store.client
    const connections: Redis[] = client instanceof Cluster ? client.nodes('all') : [client]
    return connections.reduce((total, connection) => total + connection.commandQueue.length, 0)
  }

  async report (latency: CommandLatency): Promise<RedisHealth> {
    const inCluster = this.store.client instanceof Cluster
    const nodes = await Promise.all(dataNodes(this.store).map(async (node) => await this.node(node, inCluster)))
    return healthReport({
      mode: topologyOf(this.store.client),
      nodes,
      pool: { status: this.store.client.status, pending_commands: this.pendingCommands() },
      latency
    })
  }
}
