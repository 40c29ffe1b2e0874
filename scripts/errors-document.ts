// docs/errors.md, generated from the one error table (src/errors.ts problemTable): every `code` the API
// answers with, its status, what it means and what a client should do.
import { PROBLEM_TYPE_PREFIX, problemTable, type ProblemCode } from '../src/errors.js'

const cell = (text: string): string => text.replace(/\|/g, '\\|')

export function errorsMarkdown (): string {
  const codes = Object.keys(problemTable) as ProblemCode[]
  const rows = codes.map((code) => {
    const { status, title, description, advice } = problemTable[code]
    return `| \`${code}\` | ${status} | ${cell(title)}. ${cell(description)} | ${cell(advice)} |`
  })
  return [
    '# Error codes',
    '',
    '<!-- Generated from problemTable in src/errors.ts by `npm run docs:errors`; edit the table, not this file. -->',
    '',
    'Every error is an RFC 9457 `application/problem+json` document:',
    '',
    '```json',
    `{ "type": "${PROBLEM_TYPE_PREFIX}version_conflict", "title": "Version conflict", "status": 412,`,
    '  "detail": "The session is at version 4", "code": "version_conflict", "request_id": "…", "current_version": 4 }',
    '```',
    '',
    'Switch on `code` (stable, snake_case); `type` is `' + PROBLEM_TYPE_PREFIX + '<code>`; `title` is fixed per code;',
    '`detail` is for people and may change. Quote `request_id` (also in the `x-request-id` header) when',
    'reporting a problem: the service log has a line with the same id. Validation errors add `errors`, a',
    'list of `{ path, message }` (for example `body/kind must be one of generic, onboarding, narrative, chat`).',
    '',
    '| `code` | Status | Meaning | What the client should do |',
    '|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
}
