// The Store's hot path on SQLite, both implementations, same process, same work: per run one admission
// (run, its business keys, a trace line) and three step commits (run update, outbox record, trace lines),
// each a transaction, 64 runs at a time. Baseline: the Store over @effect/sql-sqlite-node (the seam the
// PostgreSQL store shares). Measured: the embedded Store over better-sqlite3 with group commit.
import { mkdirSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { Effect, type Layer } from "effect"
import { layer as embedded } from "../runtime/store/embedded.ts"
import { layerSqlite as viaEffectSql } from "../runtime/store/sqlite.ts"
import { Store, type StoreError } from "../runtime/store/Store.ts"

const root = resolve(import.meta.dirname, "..")

const workload = (runs: number) =>
  Effect.gen(function* () {
    const store = yield* Store
    const payload = { order: "x".repeat(4000), lines: Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i + 1 })) }
    const one = (i: number) =>
      Effect.gen(function* () {
        const id = `run-${i}`
        const at = Date.now()
        yield* store.transaction(
          Effect.zipRight(
            store.admit({ id, flow: "bench", idempotencyKey: `k-${i}`, input: payload, correlationId: `c-${i}`, traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01", keys: { orderId: `O-${i}` }, meta: {}, at }),
            store.trace([{ runId: id, flow: "bench", step: "trigger", action: "received", outcome: "admitted", system: "shop", correlationId: `c-${i}`, at }])
          )
        )
        for (let step = 1; step <= 3; step++) {
          yield* store.transaction(
            Effect.all([
              store.updateRun(id, { cursor: step, payload }, at),
              store.putOutbox({ id: `${id}/${step}`, runId: id, flow: "bench", step: `s${step}`, kind: "call", partner: "erp", operation: "create", idempotencyKey: `bench:k-${i}:s${step}`, request: payload }),
              store.trace([
                { runId: id, flow: "bench", step: `s${step}`, action: "call", outcome: "delivered", system: "erp", correlationId: `c-${i}`, at },
                { runId: id, flow: "bench", step: `s${step}`, action: "emit", outcome: "published", system: "self", correlationId: `c-${i}`, at }
              ])
            ])
          )
        }
      })
    yield* Effect.forEach(Array.from({ length: runs }, (_, i) => i), one, { concurrency: 64, discard: true })
  })

const measure = async (label: string, layer: Layer.Layer<Store, StoreError>, runs: number) => {
  await Effect.runPromise(Effect.scoped(Effect.provide(workload(50), layer)))
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  await Effect.runPromise(Effect.scoped(Effect.provide(workload(runs), layer)))
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const perRun = (c.user + c.system) / 1000 / runs
  process.stdout.write(`${label}: ${runs} runs (4 transactions each) in ${(ms / 1000).toFixed(2)} s = ${((runs * 1000) / ms).toFixed(0)} runs/s, ${perRun.toFixed(3)} ms CPU/run\n`)
  return { rate: (runs * 1000) / ms, perRun }
}

export async function run(): Promise<void> {
  const runs = Number(process.env["BENCH_RUNS"] ?? 2000)
  const dir = join(root, ".bench", `store-${Date.now()}`)
  mkdirSync(dir, { recursive: true })
  try {
    const base = await measure("baseline: Store over @effect/sql-sqlite-node", viaEffectSql(join(dir, "effect-sql.db")), runs)
    const mine = await measure("embedded Store (better-sqlite3, group commit)", embedded(join(dir, "embedded.db")), runs)
    process.stdout.write(`=> embedded: ${(mine.rate / base.rate).toFixed(2)}x the runs/s, ${(base.perRun / mine.perRun).toFixed(2)}x less CPU per run\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
