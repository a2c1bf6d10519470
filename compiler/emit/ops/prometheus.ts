// Prometheus rules per SLO: recording rules for each indicator's error ratio over every alert window,
// and multi-window multi-burn-rate alerts. Metric names are the ones the runtime exposes:
//   tradelane_flow_runs_total{flow, outcome="success|failure|dead_letter"}
//   tradelane_flow_duration_seconds_bucket{flow, le}   (histogram; buckets from the registry)
import { stringify } from "yaml"
import type { EmittedFile } from "../names.ts"
import { header } from "../names.ts"
import { promDuration, promNumber } from "../durations.ts"
import type { BurnAlert, Sli, SloPlan } from "./slo.ts"

export const RUNS_METRIC = "tradelane_flow_runs_total"
export const DURATION_METRIC = "tradelane_flow_duration_seconds"

/** A PromQL string literal. */
const q = (s: string): string => JSON.stringify(s)

export const ratioRecord = (windowSeconds: number): string => `tradelane:slo_error_ratio:rate${promDuration(windowSeconds)}`

const errorRatioExpr = (plan: SloPlan, sli: Sli, w: string): string => {
  const flow = `flow=${q(plan.flow)}`
  if (sli.kind === "success") {
    return [
      `(sum(rate(${RUNS_METRIC}{${flow},outcome=~"failure|dead_letter"}[${w}])) or vector(0))`,
      "/",
      `sum(rate(${RUNS_METRIC}{${flow}}[${w}]))`
    ].join("\n")
  }
  return [
    "1 - (",
    `  sum(rate(${DURATION_METRIC}_bucket{${flow},le=${q(promNumber(sli.thresholdSeconds ?? 0))}}[${w}]))`,
    "  /",
    `  sum(rate(${DURATION_METRIC}_count{${flow}}[${w}]))`,
    ")"
  ].join("\n")
}

const selector = (plan: SloPlan, sli: Sli): string => `{slo=${q(plan.name)},sli=${q(sli.kind)}}`

const alertExpr = (plan: SloPlan, sli: Sli, alerts: ReadonlyArray<BurnAlert>): string =>
  alerts
    .map((a) => {
      const threshold = `(${promNumber(a.factor)} * ${promNumber(sli.budget)})`
      return [
        "(",
        `  ${ratioRecord(a.longSeconds)}${selector(plan, sli)} > ${threshold}`,
        "  and",
        `  ${ratioRecord(a.shortSeconds)}${selector(plan, sli)} > ${threshold}`,
        ")"
      ].join("\n")
    })
    .join("\nor\n")

const pct = (n: number): string => `${promNumber(n * 100)}%`

const alertName = (sli: Sli, severity: string): string =>
  `TradelaneSLO${sli.kind === "success" ? "ErrorBudget" : "LatencyBudget"}Burn${severity === "page" ? "Page" : "Ticket"}`

export const prometheusRules = (plan: SloPlan): object => {
  const groups: object[] = []
  for (const sli of plan.slis) {
    const labels = { slo: plan.name, flow: plan.flow, sli: sli.kind }
    const records = plan.recordWindows.map((w) => ({
      record: ratioRecord(w),
      expr: errorRatioExpr(plan, sli, promDuration(w)),
      labels
    }))
    const alerts: object[] = []
    for (const severity of ["page", "ticket"] as const) {
      const these = plan.alerts.filter((a) => a.severity === severity)
      if (these.length === 0) continue
      const route = severity === "page" ? plan.page : plan.ticket
      const what = sli.kind === "success" ? `${promNumber(sli.objective)}% of runs succeed` : `${promNumber(sli.objective)}% of runs end within ${promDuration(sli.thresholdSeconds ?? 0)}`
      alerts.push({
        alert: alertName(sli, severity),
        expr: alertExpr(plan, sli, these),
        labels: { ...labels, severity, ...(route !== undefined ? { routing: route } : {}) },
        annotations: {
          summary: `SLO ${plan.name}: flow ${plan.flow} is burning its ${sli.kind} error budget`,
          description: `Objective: ${what} over ${plan.window}. Fires when ${these
            .map((a) => `${pct(a.budgetFraction)} of the budget is spent within ${promDuration(a.longSeconds)} (burn rate ${promNumber(a.factor)}, confirmed over ${promDuration(a.shortSeconds)})`)
            .join(", or ")}.`
        }
      })
    }
    groups.push({ name: `tradelane-slo-${plan.name}-${sli.kind}-recordings`, rules: records })
    if (alerts.length > 0) groups.push({ name: `tradelane-slo-${plan.name}-${sli.kind}-alerts`, rules: alerts })
  }
  return { groups }
}

export const prometheusModule = (plan: SloPlan): string => `ops/prometheus/${plan.name}.rules.yaml`

export const emitPrometheus = (plans: ReadonlyArray<SloPlan>): ReadonlyArray<EmittedFile> =>
  plans.map((plan) => ({
    path: prometheusModule(plan),
    text: header([plan.file], "#") + stringify(prometheusRules(plan), { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false })
  }))
