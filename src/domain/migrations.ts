// Stored documents carry schema_version; older ones are upgraded here on read, so a contract change
// never needs a stop-the-world rewrite. The upgraded fields are persisted by the next full write.
import type { SessionRecord } from './session-record.js'

export const SESSION_SCHEMA_VERSION = 2

type Migration = (record: SessionRecord) => SessionRecord

/** migrations[n] upgrades a version-n document to version n + 1. */
const migrations: Record<number, Migration> = {
  // v1 (pre-release) kept goals as comma-separated text in `goals`, and had no safety_level or workspace_id.
  1: ({ goals, ...rest }) => ({
    ...rest,
    therapeutic_goals: JSON.stringify((goals ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '')),
    safety_level: rest.safety_level ?? 'none',
    workspace_id: rest.workspace_id ?? '',
    schema_version: '2'
  })
}

export function migrateSessionRecord (record: SessionRecord): SessionRecord {
  let current = record
  let version = Number(current.schema_version ?? 1)
  while (version < SESSION_SCHEMA_VERSION) {
    const migrate = migrations[version]
    if (migrate === undefined) throw new Error(`no migration from session schema_version ${version}`)
    current = migrate(current)
    version = Number(current.schema_version)
  }
  return current
}
