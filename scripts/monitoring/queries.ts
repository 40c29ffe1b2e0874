// The PromQL of deploy/prometheus and deploy/grafana, and the metric names it uses: read by
// scripts/validate-monitoring.ts (promtool parses every query) and test/deploy/metric-names.test.ts
// (every name is one the service exports, or is listed as pending).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const RULES_FILE = join(ROOT, 'deploy', 'prometheus', 'sessiond.rules.yml')
export const DASHBOARD_FILE = join(ROOT, 'deploy', 'grafana', 'sessiond.json')
export const PENDING_FILE = join(ROOT, 'deploy', 'prometheus', 'pending-metrics.txt')

/** Series Prometheus itself writes for every target and alert; no service exports them. */
export const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling', 'scrape_series_added', 'ALERTS', 'ALERTS_FOR_STATE'])

/** What the dashboard's variables stand for when a query is checked outside Grafana. */
const GRAFANA_VARIABLES: Record<string, string> = {
  __rate_interval: '5m', __interval: '1m', __range: '1h', job: 'sessiond', instance: '.*', datasource: 'prometheus'
}

export interface Query { where: string, expr: string }

/** The expr of every rule in the rules file. */
export function ruleQueries (file = RULES_FILE): Query[] {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: Array<{ name: string, rules: Array<{ alert?: string, record?: string, expr: string }> }> }
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `${g.name}/${r.alert ?? r.record ?? '?'}`, expr: String(r.expr) })))
}

interface Panel { id: number, title: string, type: string, targets?: Array<{ refId: string, expr?: string }>, panels?: Panel[] }
interface Dashboard { panels: Panel[], templating?: { list: Array<{ name: string, query?: string | { query: string } }> } }

export function loadDashboard (file = DASHBOARD_FILE): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard
}

/** Every panel, rows' nested panels included. */
export function allPanels (dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])])
}

/** The expr of every panel target, with Grafana's variables replaced by values PromQL accepts. */
export function dashboardQueries (file = DASHBOARD_FILE): Query[] {
  const dashboard = loadDashboard(file)
  return allPanels(dashboard).flatMap((p) => (p.targets ?? [])
    .filter((t) => t.expr !== undefined)
    .map((t) => ({ where: `panel ${p.id} "${p.title}" ${t.refId}`, expr: substituteVariables(t.expr!) })))
}

/** The selectors of the dashboard's variable queries: label_values(<selector>, <label>). */
export function dashboardVariableSelectors (file = DASHBOARD_FILE): Query[] {
  const dashboard = loadDashboard(file)
  return (dashboard.templating?.list ?? []).flatMap((v) => {
    const query = typeof v.query === 'string' ? v.query : v.query?.query
    const match = query === undefined ? null : /^label_values\((.+),\s*\w+\)$/.exec(query)
    return match === null ? [] : [{ where: `variable ${v.name}`, expr: substituteVariables(match[1]!) }]
  })
}

export function substituteVariables (expr: string): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = GRAFANA_VARIABLES[(braced ?? bare)!]
    if (value === undefined) throw new Error(`unknown dashboard variable ${whole} in ${expr}`)
    return value
  })
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'Inf', 'NaN'])

/** The metric names a PromQL expression reads. */
export function metricNames (expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/#.*$/gm, ' ')
  const names = new Set<string>()
  for (const match of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?!\w)(\s*\()?/g)) {
    if (match[2] !== undefined) continue // a function call
    if (KEYWORDS.has(match[1]!)) continue
    names.add(match[1]!)
  }
  return [...names]
}

/** Sample names a Prometheus text exposition offers (histograms as _bucket, _sum, _count). */
export function exportedNames (exposition: string): Set<string> {
  const names = new Set<string>()
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name!}${suffix}`)
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${name!}${suffix}`)
    else names.add(name!)
  }
  return names
}

/** Families the text exposition declares, by name. */
export function exportedFamilies (exposition: string): string[] {
  return [...exposition.matchAll(/^# TYPE (\S+) \S+$/gm)].map((m) => m[1]!)
}

export function pendingMetrics (file = PENDING_FILE): string[] {
  return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}
