// GET /v1/admin/export and POST /v1/admin/import (contract §9): the NDJSON backup of every session with
// everything under it, and its restore (registered in the admin scope). Both stream: the export is read
// from Redis only as fast as the client takes it, and the import reads the request body line by line
// (its own content-type parser hands the raw body through) up to IMPORT_MAX_BYTES. Large backups are
// better moved with `npx sessiond export|import`, which no request timeout bounds (docs/decisions/0801).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { JsonResponse } from '../schemas/common.js'
import { BACKUP_LIMITS, ExportLine, ImportResult } from '../schemas/admin.js'
import { principalLabel } from '../src/domain/principal.js'
import { utcDate } from '../src/domain/time.js'
import { ndjsonLines } from '../src/ndjson-lines.js'
import { AppError, problems } from '../src/errors.js'

const NDJSON = 'application/x-ndjson'

const ndjsonDescription = 'Newline-delimited JSON: a header line, one line per session, then `{"end":true,"sessions":N}` (or `{"error":{…}}` when the export failed midway)'

const backup: FastifyPluginAsyncTypebox = async (fastify) => {
  const { repos, config } = fastify

  // The import reads its body itself, as a stream: this parser hands it through unread.
  fastify.addContentTypeParser(NDJSON, (_request, payload, done) => { done(null, payload) })

  fastify.get('/export', {
    // The stream runs as long as the sessions take to read; each read is bounded by the command timeout.
    config: { redisDeadline: false },
    schema: {
      operationId: 'exportSessions',
      summary: 'Back up every session with everything under it, as NDJSON',
      description: 'Streams every live session of this KEY_SYSTEM and KEY_ENV, on every master of a Cluster: the session, its steps, narrative contexts, scenes, choices, messages, event log, finalized result and idempotency records, as stored, with the remaining TTLs. ' +
        'Memory stays constant whatever the number of sessions. The last line is `{"end":true,"sessions":N}`; an export that fails midway ends with `{"error":{"code","detail"}}` instead. ' +
        'Rate-limit counters, the audit trail, daily stats and the finalized stream are not part of it. Admin API keys only; every export is recorded in the audit trail.',
      tags: ['admin'],
      response: {
        200: { description: ndjsonDescription, headers: {}, content: { [NDJSON]: { schema: ExportLine } } },
        ...problems(400, 401, 403, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    // Not a change, but every copy of all the data is worth a line in the audit trail.
    repos.audit.record({ principal: principalLabel(request.principal), action: 'GET /v1/admin/export', status: 200, sessionId: null, requestId: request.id })
    const stream = repos.exporter.stream({
      onError: (err) => request.log.error({ err: { message: err.message } }, 'export failed midway; the output ends with an error line')
    })
    return await reply
      .type(NDJSON)
      .header('content-disposition', `attachment; filename="sessiond-${config.keys.env}-${utcDate(Date.now())}.ndjson"`)
      .send(stream as never) // a stream of the documented lines, not one of them
  })

  fastify.post('/import', {
    config: { redisDeadline: false },
    bodyLimit: config.importMaxBytes,
    // The body is a stream the handler reads; it is checked line by line, not by a body schema.
    validatorCompiler: () => () => true,
    // Refuse another media type before any parser reads a byte of a possibly huge body.
    onRequest: async (request) => {
      if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== NDJSON) {
        throw new AppError('unsupported_media_type', `The import takes ${NDJSON} (the format of GET /v1/admin/export)`)
      }
      const length = Number(request.headers['content-length'])
      if (length > config.importMaxBytes) {
        throw new AppError('payload_too_large', `The body is larger than ${config.importMaxBytes} bytes (IMPORT_MAX_BYTES)`)
      }
    },
    schema: {
      operationId: 'importSessions',
      summary: 'Restore sessions from an NDJSON backup (idempotent)',
      description: 'Takes the format of `GET /v1/admin/export`, streamed, up to IMPORT_MAX_BYTES. A session is written, with everything under it, when no live session has its id or the stored one has a lower `version`: importing the same file twice changes nothing. ' +
        'Expiry is absolute (a session expired since the export is skipped); user indexes, expiry indexes and live counters are rebuilt. ' +
        'A line that does not parse or validate is counted as `failed` and nothing of it is written; the report lists the first 100 problems by line. ' +
        'The whole upload must arrive within REQUEST_TIMEOUT_MS: restore large backups with `npx sessiond import <file>`. Admin API keys only.',
      tags: ['admin'],
      body: { content: { [NDJSON]: { schema: { ...ExportLine, description: ndjsonDescription } } } },
      response: {
        200: JsonResponse('What was imported, skipped and failed', ImportResult, {
          example: { imported: 1200, skipped: 3, failed: 1, complete: true, errors: [{ line: 57, code: 'invalid_session', detail: 'session.state is not valid' }] }
        }),
        ...problems(400, 401, 403, 413, 415, 429, 500, 503)
      }
    }
  }, async (request, reply) => {
    // Read through an iterator that leaves the socket open when the import stops early, so the answer
    // (413, 503) still reaches the client; that connection then closes.
    const body = request.raw.iterator({ destroyOnReturn: false })
    const lines = ndjsonLines(body, { maxBytes: config.importMaxBytes, maxLineBytes: Math.min(BACKUP_LIMITS.lineBytes, config.importMaxBytes) })
    try {
      return await repos.importer.importLines(lines, {
        onWriteError: (line, err) => request.log.error({ err: { message: err.message }, line }, 'import could not write a session')
      })
    } catch (err) {
      if (!request.raw.complete) reply.header('connection', 'close')
      throw err
    }
  })
}

export default backup
