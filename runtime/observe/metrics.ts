// Flow metrics, exposed at GET /metrics in the Prometheus text format under the names the generated SLO
// rules query (generated/ops/prometheus): tradelane_flow_runs_total{flow, outcome} and the
// tradelane_flow_duration_seconds{flow} histogram (buckets from the registry: every SLO threshold is one).
import { Context, Layer } from "effect"

export const RUNS_METRIC = "tradelane_flow_runs_total"
export const DURATION_METRIC = "tradelane_flow_duration_seconds"
export const STEP_METRIC = "tradelane_step_outcomes_total"

export type Outcome = "success" | "failure" | "dead_letter"

export interface MetricsService {
  readonly run: (flow: string, outcome: Outcome, seconds: number) => void
  readonly step: (flow: string, step: string, outcome: string) => void
  readonly render: () => string
  readonly snapshot: () => ReadonlyArray<{ readonly flow: string; readonly outcome: Outcome; readonly count: number; readonly p50: number; readonly p99: number }>
}

export class Metrics extends Context.Tag("tradelane/runtime/Metrics")<Metrics, MetricsService>() {}

/** Run durations kept per flow for the p50/p99 of `snapshot`. */
const SAMPLES = 10_000

export const DEFAULT_BUCKETS: ReadonlyArray<number> = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600]

const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")

export const make = (buckets: ReadonlyArray<number> = DEFAULT_BUCKETS): MetricsService => {
  const bounds = [...new Set(buckets)].sort((a, b) => a - b)
  const runs = new Map<string, number>()
  const steps = new Map<string, number>()
  const hist = new Map<string, { counts: number[]; sum: number; count: number; samples: number[] }>()
  const quantile = (xs: number[], q: number) => {
    if (xs.length === 0) return 0
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  }
  return {
    run: (flow, outcome, seconds) => {
      const k = `${flow}\u0000${outcome}`
      runs.set(k, (runs.get(k) ?? 0) + 1)
      let h = hist.get(flow)
      if (!h) hist.set(flow, (h = { counts: bounds.map(() => 0), sum: 0, count: 0, samples: [] }))
      bounds.forEach((b, i) => {
        if (seconds <= b) h.counts[i]!++
      })
      h.sum += seconds
      h.count++
      // The latest SAMPLES durations (a ring), so the quantiles of a long-running process stay current.
      if (h.samples.length < SAMPLES) h.samples.push(seconds)
      else h.samples[(h.count - 1) % SAMPLES] = seconds
    },
    step: (flow, step, outcome) => {
      const k = `${flow}\u0000${step}\u0000${outcome}`
      steps.set(k, (steps.get(k) ?? 0) + 1)
    },
    render: () => {
      const out: string[] = []
      out.push(`# HELP ${RUNS_METRIC} Flow runs by outcome.`, `# TYPE ${RUNS_METRIC} counter`)
      for (const [k, v] of [...runs].sort()) {
        const [flow, outcome] = k.split("\u0000") as [string, string]
        out.push(`${RUNS_METRIC}{flow="${label(flow)}",outcome="${label(outcome)}"} ${v}`)
      }
      out.push(`# HELP ${DURATION_METRIC} Time from a run's admission to its end.`, `# TYPE ${DURATION_METRIC} histogram`)
      for (const [flow, h] of [...hist].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const f = label(flow)
        bounds.forEach((b, i) => out.push(`${DURATION_METRIC}_bucket{flow="${f}",le="${b}"} ${h.counts[i]}`))
        out.push(`${DURATION_METRIC}_bucket{flow="${f}",le="+Inf"} ${h.count}`, `${DURATION_METRIC}_sum{flow="${f}"} ${h.sum}`, `${DURATION_METRIC}_count{flow="${f}"} ${h.count}`)
      }
      out.push(`# HELP ${STEP_METRIC} Step outcomes.`, `# TYPE ${STEP_METRIC} counter`)
      for (const [k, v] of [...steps].sort()) {
        const [flow, step, outcome] = k.split("\u0000") as [string, string, string]
        out.push(`${STEP_METRIC}{flow="${label(flow)}",step="${label(step)}",outcome="${label(outcome)}"} ${v}`)
      }
      // The process, under the names Prometheus client libraries use.
      const cpu = process.cpuUsage()
      const mem = process.memoryUsage()
      out.push(
        "# HELP process_cpu_seconds_total User and system CPU time spent, in seconds.",
        "# TYPE process_cpu_seconds_total counter",
        `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
        "# HELP process_resident_memory_bytes Resident memory size in bytes.",
        "# TYPE process_resident_memory_bytes gauge",
        `process_resident_memory_bytes ${mem.rss}`,
        "# HELP process_start_time_seconds Start time of the process since the Unix epoch, in seconds.",
        "# TYPE process_start_time_seconds gauge",
        `process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`,
        "# HELP nodejs_heap_size_used_bytes V8 heap in use, in bytes.",
        "# TYPE nodejs_heap_size_used_bytes gauge",
        `nodejs_heap_size_used_bytes ${mem.heapUsed}`
      )
      return `${out.join("\n")}\n`
    },
    snapshot: () =>
      [...runs].sort().map(([k, count]) => {
        const [flow, outcome] = k.split("\u0000") as [string, Outcome]
        const h = hist.get(flow)
        return { flow, outcome, count, p50: quantile(h?.samples ?? [], 0.5), p99: quantile(h?.samples ?? [], 0.99) }
      })
  }
}

export const layer = (buckets?: ReadonlyArray<number>): Layer.Layer<Metrics> => Layer.sync(Metrics, () => make(buckets))
