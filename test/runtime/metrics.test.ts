// GET /metrics text: the Prometheus exposition format, under the names the generated SLO rules query.
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { DURATION_METRIC, make, RUNS_METRIC, STEP_METRIC } from "../../runtime/observe/metrics.ts"

const root = join(import.meta.dirname, "..", "..")

/** Sample lines (`name{labels} value`) of a metric. */
const samples = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))

describe("metrics", () => {
  it("renders counters and a cumulative histogram per flow, with every sample's TYPE declared", () => {
    const m = make([0.1, 1, 10])
    m.run("order-acceptance", "success", 0.05)
    m.run("order-acceptance", "success", 0.5)
    m.run("order-acceptance", "dead_letter", 5)
    m.run("order-acceptance", "success", 50)
    m.step("order-acceptance", "create-sales-order", "delivered")
    const text = m.render()
    expect(samples(text, RUNS_METRIC)).toEqual([`${RUNS_METRIC}{flow="order-acceptance",outcome="dead_letter"} 1`, `${RUNS_METRIC}{flow="order-acceptance",outcome="success"} 3`])
    expect(samples(text, `${DURATION_METRIC}_bucket`)).toEqual([
      `${DURATION_METRIC}_bucket{flow="order-acceptance",le="0.1"} 1`,
      `${DURATION_METRIC}_bucket{flow="order-acceptance",le="1"} 2`,
      `${DURATION_METRIC}_bucket{flow="order-acceptance",le="10"} 3`,
      `${DURATION_METRIC}_bucket{flow="order-acceptance",le="+Inf"} 4`
    ])
    expect(samples(text, `${DURATION_METRIC}_count`)).toEqual([`${DURATION_METRIC}_count{flow="order-acceptance"} 4`])
    expect(samples(text, STEP_METRIC)).toEqual([`${STEP_METRIC}{flow="order-acceptance",step="create-sales-order",outcome="delivered"} 1`])
    // Every sample belongs to a metric whose TYPE is declared before it.
    const typed = new Set<string>()
    for (const line of text.trim().split("\n")) {
      const t = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line)
      if (t) typed.add(t[1]!)
      else if (!line.startsWith("#")) {
        const name = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)![1]!
        expect(typed.has(name) || typed.has(name.replace(/_(bucket|sum|count)$/, "")), line).toBe(true)
        expect(line).toMatch(/ -?[0-9.e+]+$/)
      }
    }
  })

  it("escapes label values and reports the process", () => {
    const m = make()
    m.step('we"ird\\flow', "step\nx", "ok")
    const text = m.render()
    expect(text).toContain(`${STEP_METRIC}{flow="we\\"ird\\\\flow",step="step\\nx",outcome="ok"} 1`)
    expect(Number(samples(text, "process_cpu_seconds_total")[0]!.split(" ")[1])).toBeGreaterThan(0)
    expect(Number(samples(text, "process_resident_memory_bytes")[0]!.split(" ")[1])).toBeGreaterThan(1e6)
    expect(Number(samples(text, "process_start_time_seconds")[0]!.split(" ")[1])).toBeLessThanOrEqual(Date.now() / 1000)
  })

  it("uses the metric names the generated SLO rules query", () => {
    const dir = join(root, "generated", "ops", "prometheus")
    const rules = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n")
    for (const name of [RUNS_METRIC, `${DURATION_METRIC}_bucket`]) expect(rules).toContain(name)
  })

  it("snapshot quantiles follow the latest runs of a long-running process, not the first ones", () => {
    const m = make()
    for (let i = 0; i < 15_000; i++) m.run("order-release", "success", 10)
    for (let i = 0; i < 10_000; i++) m.run("order-release", "success", 0.2)
    const [snap] = m.snapshot().filter((s) => s.flow === "order-release")
    expect(snap).toMatchObject({ count: 25_000, p50: 0.2, p99: 0.2 })
    // Half of the window slow again: p99 sees it, and every run is still counted.
    for (let i = 0; i < 5_000; i++) m.run("order-release", "success", 3)
    const [again] = m.snapshot().filter((s) => s.flow === "order-release")
    expect(again).toMatchObject({ count: 30_000, p50: 3, p99: 3 })
  })
})
