// Number formatting for the Markdown tables.

export const dash = '–'

export function num (value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** Latencies: two decimals under 10 ms, one above. */
export const ms = (value: number | null | undefined): string => num(value, value !== null && value !== undefined && value < 10 ? 2 : 1)

export const mib = (bytes: number | null | undefined): string => num(bytes === null || bytes === undefined ? null : bytes / 1_048_576, 1)

export const kib = (bytes: number | null | undefined): string => num(bytes === null || bytes === undefined ? null : bytes / 1024, 2)

export const mark = (pass: boolean | null): string => (pass === null ? '?' : pass ? '✓' : '✗')

/** "0.25 (0.22–0.28)" over several rounds, "0.25" over one. */
export function ratioCell (s: { median: number | null, min: number | null, max: number | null, values: number[] }): string {
  if (s.median === null) return dash
  const m = num(s.median, 2)
  return s.values.length > 1 ? `${m} (${num(s.min, 2)}–${num(s.max, 2)})` : m
}

/** A Markdown table; the first column and the `left` ones are left-aligned, the others right-aligned. */
export function table (header: string[], rows: string[][], left: number[] = []): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map((_, i) => (i === 0 || left.includes(i) ? ':--' : '--:'))), ...rows.map(line)].join('\n')
}
