// The run's temp folder and everything started in it, torn down in reverse order at exit,
// including on Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'sessiond-bench-'))
  private readonly cleanups: Array<() => Promise<void>> = []
  private closed = false

  /** Registers a teardown step; returns it so callers can also run it early. */
  add (cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup)
  }

  async close (keepDir = false): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const cleanup of this.cleanups.reverse()) {
      await cleanup().catch((err: Error) => process.stderr.write(`bench: cleanup: ${err.message}\n`))
    }
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true })
  }
}
