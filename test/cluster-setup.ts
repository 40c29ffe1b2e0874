// A real 3-master Redis Cluster on loopback for a test (test/cluster.test.ts, test/cluster-backup.test.ts),
// killed when the test ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { freeClusterPort, sleep, tempDir, type Tap } from './helper.js'

export async function startCluster (t: Tap): Promise<{ ports: number[], stop: () => void }> {
  const ports: number[] = []
  for (let i = 0; i < 3; i++) ports.push(await freeClusterPort(ports))
  const children: ChildProcess[] = ports.map((port) => {
    const dir = tempDir(t, `cluster-${port}`)
    return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, 'nodes.conf'), '--dir', dir, '--appendonly', 'no', '--save', ''], { stdio: 'ignore' })
  })
  const stop = (): void => { for (const child of children) child.kill('SIGKILL') }
  for (const port of ports) {
    for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++) await sleep(100)
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'])
  if (created.status !== 0) { stop(); throw new Error(`cluster create failed: ${created.stderr.toString()}${created.stdout.toString()}`) }
  for (let i = 0; i < 100; i++) {
    const ok = ports.every((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info']).stdout.toString().includes('cluster_state:ok'))
    if (ok) return { ports, stop }
    await sleep(100)
  }
  stop()
  throw new Error('cluster did not reach cluster_state:ok')
}
