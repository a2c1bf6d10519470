// SLO lowering: each SLO -> its indicators (success, latency), the windows their error ratios are
// recorded over, and the multi-window multi-burn-rate alerts (Google SRE workbook, as Sloth and Pyrra
// generate them). Burn factors are derived from the SLO window, never written down:
//
//   factor = budget fraction spent × SLO window / alert window
//
// so 2% of a 30d budget in 1h is 14.4, and 2% of a 28d budget in 1h is 13.44. Alert windows are the
// usual ones for a 30-day SLO (page: 1h/5m and 6h/30m; ticket: 1d/2h and 3d/6h), scaled to the SLO
// window and snapped to round durations, so a 7d SLO alerts over 15m/1m, not over 3 days.
import type { Model, SloNode } from "../../model/model.ts"
import { durationSeconds } from "../durations.ts"

export type SliKind = "success" | "latency"

export interface Sli {
  readonly kind: SliKind
  /** Percent, e.g. 99.9. */
  readonly objective: number
  /** Allowed error ratio: 1 - objective / 100. */
  readonly budget: number
  /** Latency threshold in seconds (latency SLIs). */
  readonly thresholdSeconds?: number
}

export interface BurnAlert {
  readonly severity: "page" | "ticket"
  readonly longSeconds: number
  readonly shortSeconds: number
  /** Share of the error budget this alert fires on. */
  readonly budgetFraction: number
  /** budgetFraction × window / long window. */
  readonly factor: number
}

export interface SloPlan {
  readonly name: string
  readonly flow: string
  readonly file: string
  readonly window: string
  readonly windowSeconds: number
  readonly slis: ReadonlyArray<Sli>
  readonly alerts: ReadonlyArray<BurnAlert>
  /** Every window an error ratio is recorded over, shortest first. */
  readonly recordWindows: ReadonlyArray<number>
  readonly page?: string
  readonly ticket?: string
}

const MIN = 60
const HOUR = 3600
const DAY = 86400
const BASE_WINDOW = 30 * DAY

/** The workbook's alerts for a 30-day SLO: severity, long window, short window, budget fraction. */
const BASE_ALERTS: ReadonlyArray<readonly [BurnAlert["severity"], number, number, number]> = [
  ["page", 1 * HOUR, 5 * MIN, 0.02],
  ["page", 6 * HOUR, 30 * MIN, 0.05],
  ["ticket", 1 * DAY, 2 * HOUR, 0.1],
  ["ticket", 3 * DAY, 6 * HOUR, 0.1]
]

/** Round windows an alert may use; 5m is the shortest a rate() over typical scrape intervals supports. */
const LADDER = [5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 4 * DAY, 7 * DAY, 14 * DAY]

/** The round window nearest (in ratio) to `seconds`. */
export const snapWindow = (seconds: number): number => {
  let best = LADDER[0]!
  for (const w of LADDER) if (Math.abs(Math.log(w / seconds)) < Math.abs(Math.log(best / seconds))) best = w
  return best
}

/** Rounds away floating-point noise (0.1 × 720 = 72.00000000000001). */
const clean = (n: number): number => Number(n.toPrecision(12))

export const burnAlerts = (windowSeconds: number): ReadonlyArray<BurnAlert> => {
  const scale = windowSeconds / BASE_WINDOW
  const out: BurnAlert[] = []
  for (const [severity, long, short, budgetFraction] of BASE_ALERTS) {
    const longSeconds = snapWindow(long * scale)
    let shortSeconds = snapWindow(short * scale)
    if (shortSeconds >= longSeconds) shortSeconds = LADDER[Math.max(0, LADDER.indexOf(longSeconds) - 1)]!
    if (longSeconds >= windowSeconds) continue
    out.push({ severity, longSeconds, shortSeconds, budgetFraction, factor: clean((budgetFraction * windowSeconds) / longSeconds) })
  }
  return out
}

export const planSlo = (slo: SloNode): SloPlan | undefined => {
  const windowSeconds = durationSeconds(slo.spec.window)
  if (windowSeconds === undefined) return undefined
  const slis: Sli[] = []
  if (slo.spec.success) slis.push({ kind: "success", objective: slo.spec.success.objective, budget: clean(1 - slo.spec.success.objective / 100) })
  if (slo.spec.latency) {
    const thresholdSeconds = durationSeconds(slo.spec.latency.threshold)
    if (thresholdSeconds !== undefined) {
      slis.push({ kind: "latency", objective: slo.spec.latency.objective, budget: clean(1 - slo.spec.latency.objective / 100), thresholdSeconds })
    }
  }
  const alerts = burnAlerts(windowSeconds)
  const recordWindows = [...new Set(alerts.flatMap((a) => [a.longSeconds, a.shortSeconds]))].sort((a, b) => a - b)
  return {
    name: slo.name,
    flow: slo.spec.flow,
    file: slo.doc.file,
    window: slo.spec.window,
    windowSeconds,
    slis,
    alerts,
    recordWindows,
    ...(slo.spec.alerting?.page !== undefined ? { page: slo.spec.alerting.page } : {}),
    ...(slo.spec.alerting?.ticket !== undefined ? { ticket: slo.spec.alerting.ticket } : {})
  }
}

export const planSlos = (model: Model): ReadonlyArray<SloPlan> => [...model.slos.values()].flatMap((s) => planSlo(s) ?? [])

/** Default histogram buckets (seconds) of tradelane_flow_duration_seconds. */
export const DEFAULT_BUCKETS: ReadonlyArray<number> = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400]

/** The histogram buckets: the defaults plus every latency threshold, so each threshold is a bucket bound. */
export const durationBuckets = (plans: ReadonlyArray<SloPlan>): ReadonlyArray<number> =>
  [...new Set([...DEFAULT_BUCKETS, ...plans.flatMap((p) => p.slis.flatMap((s) => (s.thresholdSeconds !== undefined ? [s.thresholdSeconds] : [])))])].sort((a, b) => a - b)
