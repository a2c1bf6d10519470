// End-to-end throughput and latency on the embedded engine with the durable path on (SQLite in WAL mode),
// signed Shopify webhooks in, the sandbox ERP (and WMS) out, measured twice:
// - one flow, the pipeline this benchmark is about: webhook -> map -> validate -> dedupe -> outbox -> ERP
//   (the example organisation with its Shopify intake calling the ERP itself, compiled into .bench/);
// - the example organisation as it is: intake -> event -> order acceptance -> ERP -> event -> release to
//   the WMS (item master, routing, release): three flows and three outbound calls per order.
//
// The runtime runs in this process; the sandbox systems and the load generator run in a child process
// (bench/_e2e-load.ts), so "per core" is the runtime's own CPU time. Baseline, in this same process: a
// hand-written forwarder doing the least a webhook-to-ERP bridge can (HMAC check, JSON.parse, one keep-
// alive POST to the same sandbox ERP, no mapping, no durability). Reports orders/s, MB/s of order JSON
// per CPU-second and the ratio to the baseline, p50/p99 webhook->ERP latency at the maximum rate and at
// half of it, and what admission alone costs. `BENCH_ORDERS` (default 2000) sets the count, `BENCH_E2E=direct`
// or `example` runs one of the two.
import { execFileSync, fork } from "node:child_process"
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { createHmac, timingSafeEqual } from "node:crypto"
import { Agent, createServer, request } from "node:http"
import type { AddressInfo } from "node:net"
import { join, resolve } from "node:path"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { Effect, Exit, Layer, Scope } from "effect"
import { layer as runtimeLayer, loadFlows, start } from "../runtime/host.ts"
import type { LoadRequest, LoadResult } from "./_e2e-load.ts"

const root = resolve(import.meta.dirname, "..")
const NO_LIMITS = { erp: null, wms: null, "amazon-us": null, "shopify-main": null }

interface Settings {
  readonly endpoints: Record<string, string>
  readonly tokenUrls: Record<string, string>
  readonly env: Record<string, string>
}

const pct = (xs: ReadonlyArray<number>, q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0
}

/** Watches how late the event loop runs from now on; the returned function stops and describes it. */
const loopDelay = () => {
  const h = monitorEventLoopDelay({ resolution: 5 })
  h.enable()
  return () => {
    h.disable()
    return `event loop delay p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms, max ${(h.max / 1e6).toFixed(0)} ms`
  }
}

const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from)
  return (c.user + c.system) / 1e6
}

/** The baseline: HMAC, JSON.parse, one POST to the ERP over keep-alive, 200 back. Nothing stored. */
const forwarder = (secret: string, erp: string) =>
  new Promise<{ url: string; close: () => void }>((res) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 64 })
    const target = new URL(`${erp}/sales-orders`)
    const server = createServer((req, out) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const raw = Buffer.concat(chunks)
        const mac = createHmac("sha256", secret).update(raw).digest()
        const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64")
        if (given.length !== mac.length || !timingSafeEqual(given, mac)) return void out.writeHead(401).end()
        const o = JSON.parse(raw.toString("utf8")) as { id: number; line_items?: Array<{ sku?: string; quantity?: number }> }
        const body = JSON.stringify({
          externalDocumentNumber: `SHP-${o.id}`,
          salesOrderLines: (o.line_items ?? []).map((l) => ({ itemNumber: l.sku, quantity: l.quantity }))
        })
        const r = request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "idempotency-key": `SHP-${o.id}` }
          },
          (erpRes) => {
            erpRes.resume()
            erpRes.on("end", () => out.writeHead(erpRes.statusCode === 201 ? 200 : 502).end())
          }
        )
        r.on("error", () => out.writeHead(502).end())
        r.end(body)
      })
    })
    server.listen(0, "127.0.0.1", () =>
      res({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shopify-main`,
        close: () => {
          server.close()
          agent.destroy()
        }
      })
    )
  })

/**
 * The example organisation with shopify-order-intake calling the ERP directly, compiled into
 * .bench/direct-org (its generated code reaches the runtime through a symlink). Returns its generated dir.
 */
const compileDirect = (): string => {
  const dir = join(root, ".bench", "direct-org")
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const d of ["specs", "partners"]) cpSync(join(root, d), join(dir, d), { recursive: true })
  symlinkSync(join(root, "runtime"), join(dir, "runtime"))
  const flow = join(dir, "specs", "flows", "shopify-order-intake.yaml")
  const text = readFileSync(flow, "utf8")
  const direct = text.replace(
    /    - id: received\n      emit: \{ event: order\.received \}\n/,
    "    - id: create-sales-order\n      call: { partner: erp, operation: createSalesOrder, mapping: order-to-erp-sales-order }\n"
  )
  if (direct === text) throw new Error(`${flow}: the emit step this bench replaces is not there any more`)
  writeFileSync(flow, direct)
  execFileSync(process.execPath, [join(root, "bin", "tradelane.js"), "compile", "--root", dir, "--no-cache"], { stdio: ["ignore", "ignore", "inherit"] })
  return join(dir, "generated")
}

export async function run(): Promise<void> {
  const n = Number(process.env["BENCH_ORDERS"] ?? 2000)
  const child = fork(join(import.meta.dirname, "_e2e-load.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const replies: Array<(m: Record<string, unknown>) => void> = []
  child.on("message", (m: Record<string, unknown>) => replies.shift()?.(m))
  const next = () => new Promise<Record<string, unknown>>((r) => replies.push(r))
  const load = async (q: Omit<LoadRequest, "type">): Promise<LoadResult> => {
    const reply = next()
    child.send({ type: "load", ...q })
    const m = await reply
    if (m["type"] !== "loaded") throw new Error(`load generator: ${String(m["message"] ?? JSON.stringify(m))}`)
    return m as unknown as LoadResult
  }
  const settings = ((await next()) as { settings: Settings }).settings
  const secret = String(settings.env["SHOPIFY_WEBHOOK_SECRET"])
  const scope = await Effect.runPromise(Scope.make())
  try {
    const line = (s: string) => process.stdout.write(`${s}\n`)
    const report = (label: string, r: LoadResult, cpu: number) => {
      const orders = r.latencies.length
      const mbPerCpuSecond = r.bytes / 1e6 / cpu
      line(
        `${label}: ${orders} orders in ${(r.elapsedMs / 1000).toFixed(2)} s = ${((orders * 1000) / r.elapsedMs).toFixed(0)} orders/s; ` +
          `webhook->ERP p50 ${pct(r.latencies, 0.5)} ms, p99 ${pct(r.latencies, 0.99)} ms; ${cpu.toFixed(2)} CPU s = ${((cpu * 1000) / orders).toFixed(2)} ms CPU/order, ` +
          `${mbPerCpuSecond.toFixed(2)} MB/s of order JSON per core${r.rejected > 0 ? `; ${r.rejected} REJECTED` : ""}`
      )
      return mbPerCpuSecond
    }

    /** Paced at half the rate `max` reached: latency, CPU per order, and how late the event loop ran. */
    const halfRate = async (indent: string, url: string, from: number, max: LoadResult, until: "erp" | "wms") => {
      const half = Math.max(1, (max.latencies.length * 1000) / max.elapsedMs / 2)
      const m = Math.max(50, Math.min(n, Math.round(half * 10)))
      const c = process.cpuUsage()
      const loop = loopDelay()
      const paced = await load({ url, from, count: m, rate: half, until })
      const cpu = cpuSeconds(c)
      const ms = (q: number) => pct(paced.latencies, q)
      line(
        `${indent}at half the maximum rate (${half.toFixed(0)} orders/s, ${m} orders): webhook->ERP p50 ${ms(0.5)} ms, p90 ${ms(0.9)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms (target p99 <= 50 ms); ` +
          `${((cpu * 1000) / Math.max(1, paced.latencies.length)).toFixed(2)} ms CPU/order; ${loop()}`
      )
    }

    // Baseline.
    const which = process.env["BENCH_E2E"] ?? "all"
    const fwd = await forwarder(secret, settings.endpoints["erp"]!)
    await load({ url: fwd.url, from: 1_000_000, count: 100, concurrency: 16, until: "erp" })
    let c0 = process.cpuUsage()
    const base = await load({ url: fwd.url, from: 1_100_000, count: n, concurrency: 64, until: "erp" })
    const baseMb = report("baseline (bare forwarder, nothing durable)", base, cpuSeconds(c0))
    fwd.close()

    /** A runtime for the organisation compiled into `generated`, in this process, until the bench ends. */
    const runtime = (generated: string, name: string) =>
      Effect.runPromise(
        Scope.extend(
          Effect.gen(function* () {
            const { flows } = yield* loadFlows(generated)
            const dataDir = join(root, ".bench", `e2e-${name}-${Date.now()}`)
            const config = { dataDir, ...settings, rateLimits: NO_LIMITS, schedules: "manual" as const, concurrency: 64 }
            const ctx = yield* Layer.build(runtimeLayer(flows, config))
            const { port } = yield* Effect.provide(start(config), ctx)
            return `http://127.0.0.1:${port}/hooks/shopify-main`
          }),
          scope
        )
      )

    // tradelane, the pipeline as this benchmark names it: one flow, webhook -> map -> validate -> dedupe ->
    // outbox -> ERP. The example organisation with its Shopify intake flow calling the ERP itself (instead of
    // emitting order.received for the acceptance flow), compiled into .bench/direct-org.
    if (which === "all" || which === "direct") {
      const direct = await runtime(compileDirect(), "direct")
      await load({ url: direct, from: 1_500_000, count: 100, concurrency: 16, until: "erp" })
      c0 = process.cpuUsage()
      const one = await load({ url: direct, from: 1_600_000, count: n, concurrency: 64, until: "erp" })
      const oneMb = report("tradelane, 1 flow (webhook -> map -> validate -> dedupe -> outbox -> ERP)", one, cpuSeconds(c0))
      line(`=> ${oneMb.toFixed(2)} MB/s per core = ${(oneMb / baseMb).toFixed(2)}x the bare forwarder (target 10 MB/s per core)`)
      await halfRate("   ", direct, 1_800_000, one, "erp")
    }
    if (which === "direct") return

    // tradelane, the example organisation as it is: intake, acceptance and release are three flows.
    const webhook = await runtime(join(root, "generated"), "example")
    child.send({ type: "connect", base: webhook.replace(/\/hooks\/.*$/, "") })
    await load({ url: webhook, from: 2_000_000, count: 100, concurrency: 16, until: "wms" })
    c0 = process.cpuUsage()
    const max = await load({ url: webhook, from: 2_100_000, count: n, concurrency: 64, until: "wms" })
    const mb = report("tradelane (3 flows: intake, acceptance -> ERP, release -> WMS)", max, cpuSeconds(c0))
    line(`=> tradelane ${mb.toFixed(2)} MB/s per core = ${(mb / baseMb).toFixed(2)}x the bare forwarder (target 10 MB/s per core)`)

    // What admission alone costs: the same order again and again, so each webhook after the first is
    // answered as a duplicate (signature check, JSON, idempotency key, one store lookup) and starts no run.
    c0 = process.cpuUsage()
    const dup = await load({ url: webhook, from: 2_100_000, count: n, concurrency: 64, until: "answered", same: true })
    const dupCpu = cpuSeconds(c0)
    line(`ingress + dedupe only (${n} duplicate webhooks): ${((n * 1000) / dup.elapsedMs).toFixed(0)} webhooks/s, ${((dupCpu * 1000) / n).toFixed(2)} ms CPU/webhook`)

    await halfRate("", webhook, 3_000_000, max, "wms")
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    child.send({ type: "stop" })
    await new Promise((r) => child.once("exit", r))
  }
}
