// Burn-rate alerts: factors derived from the SLO window (Sloth's numbers for 30d and 28d), windows scaled.
import { describe, expect, it } from "vitest"
import { burnAlerts, durationBuckets, planSlo } from "../../compiler/emit/ops/slo.ts"
import type { SloNode } from "../../compiler/model/model.ts"

const DAY = 86400
const HOUR = 3600

describe("burn-rate alerts", () => {
  it("30d: 14.4 and 6 page, 3 and 1 ticket, over 1h/5m, 6h/30m, 1d/2h, 3d/6h", () => {
    expect(burnAlerts(30 * DAY).map((a) => [a.severity, a.longSeconds, a.shortSeconds, a.factor])).toEqual([
      ["page", HOUR, 300, 14.4],
      ["page", 6 * HOUR, 1800, 6],
      ["ticket", DAY, 2 * HOUR, 3],
      ["ticket", 3 * DAY, 6 * HOUR, 1]
    ])
  })
  it("28d: the same windows, factors from the window (13.44, 5.6, 2.8, 0.933…)", () => {
    const a = burnAlerts(28 * DAY)
    expect(a.map((x) => x.longSeconds)).toEqual([HOUR, 6 * HOUR, DAY, 3 * DAY])
    expect(a.map((x) => x.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333])
  })
  it("7d: windows scale down, factor = budget × window / alert window", () => {
    for (const x of burnAlerts(7 * DAY)) expect(x.factor).toBeCloseTo((x.budgetFraction * 7 * DAY) / x.longSeconds, 9)
    expect(burnAlerts(7 * DAY)[0]!.longSeconds).toBe(15 * 60)
  })
  it("latency thresholds become histogram buckets", () => {
    const slo = { name: "s", doc: { file: "f.yaml" }, spec: { flow: "f", window: "28d", latency: { threshold: "7m", objective: 99 } } } as unknown as SloNode
    expect(durationBuckets([planSlo(slo)!])).toContain(420)
  })
})
