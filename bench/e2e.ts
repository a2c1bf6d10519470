// End-to-end throughput and latency on the embedded engine with the durable path on: signed Shopify
// webhook -> map -> validate -> dedupe -> outbox -> event -> order acceptance -> sandbox ERP (and the
// release to the sandbox WMS), SQLite in WAL mode. Reports orders/s, p50/p99 webhook-to-ERP latency, and
// MB/s of order JSON per core; then p50/p99 at half the measured maximum rate.
import { cpus } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Exit, Layer, Scope } from "effect"
import { layer as runtimeLayer, loadFlows, start } from "../runtime/host.ts"
import { Engine } from "../runtime/engine/engine.ts"
import { make as makeSandbox, runtimeSettings } from "../runtime/sandbox/index.ts"
import { deliver, settle, shopifyOrder, sign } from "../runtime/sandbox/scenario.ts"

const root = resolve(import.meta.dirname, "..")
const NO_LIMITS = { erp: null, wms: null, "amazon-us": null, "shopify-main": null }

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
}

export async function run(): Promise<void> {
  const n = Number(process.env["BENCH_ORDERS"] ?? 2000)
  const scope = await Effect.runPromise(Scope.make())
  try {
    const { engine, sandbox, base } = await Effect.runPromise(
      Scope.extend(
        Effect.gen(function* () {
          const { flows } = yield* loadFlows(join(root, "generated"))
          const sandbox = yield* makeSandbox({ autoShip: false, stock: { IPOD2008GREEN: { RNO1: 1e9, ATL1: 1e9 }, IPOD2008RED: { RNO1: 1e9, ATL1: 1e9 }, IPOD2008BLACK: { RNO1: 1e9, ATL1: 1e9 } } })
          const dataDir = join(root, ".bench", `e2e-${Date.now()}`)
          const config = { dataDir, ...runtimeSettings(sandbox), rateLimits: NO_LIMITS, schedules: "manual" as const, concurrency: 64 }
          const ctx = yield* Layer.build(runtimeLayer(flows, config))
          const { port } = yield* Effect.provide(start(config), ctx)
          const base = `http://127.0.0.1:${port}`
          sandbox.connect(base)
          const engine = yield* Effect.provide(Engine, ctx)
          return { engine, sandbox, base }
        }),
        scope
      )
    )
    const secret = String(sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const bodies = Array.from({ length: n }, (_, i) => JSON.stringify(shopifyOrder(root, 9_000_000 + i)))
    const bytes = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0)
    const sentAt = new Map<string, number>()
    const latency = (from: number) =>
      sandbox.requests.erp
        .filter((r) => r.method === "POST" && r.path === "/sales-orders" && r.status === 201)
        .slice(from)
        .map((r) => {
          const ext = String((r.body as { externalDocumentNumber?: string }).externalDocumentNumber)
          return r.at - (sentAt.get(ext) ?? r.at)
        })
    const send = (i: number) => {
      const b = bodies[i]!
      sentAt.set(`SHP-${9_000_000 + i}`, Date.now())
      return deliver(`${base}/hooks/shopify-main`, b, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, b, "base64") })
    }
    // Warm up.
    await Promise.all(Array.from({ length: 50 }, (_, i) => send(i)))
    await Effect.runPromise(settle(engine, sandbox, { quietMs: 300 }))

    // 1. Maximum rate: everything offered at once (64 in flight).
    const cpu0 = process.cpuUsage()
    const t0 = Date.now()
    let next = 50
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < n) await send(next++)
      })
    )
    await Effect.runPromise(settle(engine, sandbox, { quietMs: 200, timeoutMs: 600_000 }))
    const elapsed = (Date.now() - t0 - 200) / 1000
    const cpu = process.cpuUsage(cpu0)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    const orders = n - 50
    const lat = latency(50)
    const rate = orders / elapsed
    const mbPerCoreSecond = (bytes * (orders / n)) / 1e6 / cpuSeconds
    process.stdout.write(
      `orders ${orders} in ${elapsed.toFixed(2)} s: ${rate.toFixed(0)} orders/s; webhook->ERP p50 ${pct(lat, 0.5)} ms, p99 ${pct(lat, 0.99)} ms\n` +
        `order JSON ${(bytes / n / 1024).toFixed(1)} KiB each; ${mbPerCoreSecond.toFixed(2)} MB/s per core (${cpuSeconds.toFixed(1)} CPU s on ${cpus().length} cores; target 10 MB/s)\n`
    )

    // 2. Half the maximum rate, paced.
    const half = Math.max(1, rate / 2)
    const m = Math.min(orders, Math.round(half * 10))
    const extra = Array.from({ length: m }, (_, i) => JSON.stringify(shopifyOrder(root, 9_500_000 + i)))
    const from = sandbox.requests.erp.filter((r) => r.method === "POST" && r.path === "/sales-orders" && r.status === 201).length
    const start2 = Date.now()
    const inflight: Array<Promise<number>> = []
    for (let i = 0; i < m; i++) {
      const due = start2 + (i * 1000) / half
      const wait = due - Date.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const b = extra[i]!
      sentAt.set(`SHP-${9_500_000 + i}`, Date.now())
      inflight.push(deliver(`${base}/hooks/shopify-main`, b, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, b, "base64") }))
    }
    await Promise.all(inflight)
    await Effect.runPromise(settle(engine, sandbox, { quietMs: 200, timeoutMs: 600_000 }))
    const lat2 = latency(from)
    process.stdout.write(`at half rate (${half.toFixed(0)} orders/s, ${m} orders): webhook->ERP p50 ${pct(lat2, 0.5)} ms, p99 ${pct(lat2, 0.99)} ms (target p99 <= 50 ms)\n`)
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
