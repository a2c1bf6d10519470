// `tradelane demo`: compiles the example organisation, starts the runtime on SQLite with the sandbox,
// sends Amazon and Shopify orders and an EDI 850 batch, lets the WMS allocate, pick and ship, and prints
// what happened: orders by lifecycle state, exceptions, dead letters, SLO status and one full trace.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Command, Options } from "@effect/cli"
import { Effect, Layer } from "effect"
import { Engine } from "../../../runtime/engine/engine.ts"
import type { EdiPartner } from "../../../runtime/engine/flow.ts"
import { layer as runtimeLayer, loadFlows, start } from "../../../runtime/host.ts"
import { Metrics } from "../../../runtime/observe/metrics.ts"
import { make as makeSandbox, runtimeSettings } from "../../../runtime/sandbox/index.ts"
import { amazonOrder, deliver, dropFile, inbound850, purchaseOrder, settle, shopifyOrder, sign } from "../../../runtime/sandbox/scenario.ts"
import { Store } from "../../../runtime/store/Store.ts"
import { setExit, write } from "../io.ts"
import { formatTrace } from "./trace.ts"

const here = fileURLToPath(new URL(".", import.meta.url))
const projectRoot = resolve(here, "../../..")

const STOCK: Record<string, Record<string, number>> = {
  IPOD2008GREEN: { RNO1: 40, ATL1: 40, CMH1: 400 },
  IPOD2008RED: { RNO1: 40, ATL1: 40 },
  IPOD2008BLACK: { RNO1: 40, ATL1: 40 },
  "BK-CARD-0001": { RNO1: 75 },
  AB3542: { CMH1: 2400 },
  RD5322: { CMH1: 2400 },
  XY5266: { CMH1: 2400 },
  VX2332: { CMH1: 2400 },
  RV0524: { CMH1: 2400 },
  DX1875: { CMH1: 2400 }
}

export const runDemo = (options: { readonly root: string; readonly compile: boolean }) =>
  Effect.gen(function* () {
    const root = options.root
    if (options.compile) {
      yield* write("== compile the example organisation\n")
      const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "compiler/cli/main.ts"), "compile"], { cwd: root, stdio: "inherit" })
      if (r.status !== 0) {
        yield* write("compile failed; see above\n")
        return yield* setExit(1)
      }
    }
    const dataDir = join(root, ".tradelane", "demo")
    rmSync(dataDir, { recursive: true, force: true })
    const { flows, registry } = yield* loadFlows(join(root, "generated"))
    yield* write(`== runtime on SQLite (${join(".tradelane", "demo", "tradelane.db")}) with ${flows.size} flows and the sandbox\n`)

    yield* Effect.scoped(
      Effect.gen(function* () {
        const sandbox = yield* makeSandbox({ stock: STOCK, wmsStepMs: 150 })
        const settings = runtimeSettings(sandbox)
        const config = { dataDir, ...settings, retryScale: 0.01, schedules: "manual" as const, holdRecheck: 2000, ediPollInterval: 200, opsToken: "demo" }
        const buckets = registry["durationBuckets"] as ReadonlyArray<number> | undefined
        const ctx = yield* Layer.build(runtimeLayer(flows, { ...config, ...(buckets ? { buckets } : {}) }))
        const run = <A, E>(e: Effect.Effect<A, E, Engine | Store | Metrics | never>) => Effect.provide(e, ctx)
        const engine = yield* run(Engine)
        const { port } = yield* Effect.provide(start(config), ctx)
        const base = `http://127.0.0.1:${port}`
        sandbox.connect(base)
        yield* write(`   ingress ${base}  (GET /metrics)\n`)

        yield* write("== inventory snapshot from the WMS\n")
        yield* run(engine.trigger("inventory-publication"))
        yield* run(settle(engine, sandbox, { quietMs: 300 }))

        yield* write("== Shopify orders (signed webhooks; one delivered twice, one forged, one malformed)\n")
        const shopifySecret = String(sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
        for (const id of [450789469, 450789470, 450789471]) {
          const body = JSON.stringify(shopifyOrder(root, id))
          const headers = { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(shopifySecret, body, "base64") }
          const s1 = yield* Effect.promise(() => deliver(`${base}/hooks/shopify-main`, body, headers))
          const extra = id === 450789470 ? ` then ${yield* Effect.promise(() => deliver(`${base}/hooks/shopify-main`, body, headers))} (duplicate)` : ""
          yield* write(`   order ${id}: ${s1}${extra}\n`)
        }
        const forged = yield* Effect.promise(() => deliver(`${base}/hooks/shopify-main`, JSON.stringify(shopifyOrder(root, 1)), { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": "AAAA" }))
        const badJson = "{ not json"
        const malformed = yield* Effect.promise(() => deliver(`${base}/hooks/shopify-main`, badJson, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(shopifySecret, badJson, "base64") }))
        yield* write(`   forged signature: ${forged}; malformed JSON: ${malformed}\n`)

        yield* write("== Amazon orders (polled from getOrders, twice)\n")
        for (const id of ["902-3159896-1390916", "902-3159896-1390917"]) sandbox.amazonOrders.push(amazonOrder(root, id))
        const first = yield* run(engine.trigger("amazon-order-intake"))
        const second = yield* run(engine.trigger("amazon-order-intake"))
        yield* write(`   first poll took ${first}, second poll took ${second}\n`)

        const edi = [...flows.values()].find((f) => f.trigger._tag === "edi" && f.trigger.partner === "bigbox-retail")?.trigger as { edi: EdiPartner } | undefined
        if (edi) {
          yield* write("== EDI 850 batch in bigbox-retail's inbox\n")
          const pos = ["4500012345", "4500012346"].map((po) => purchaseOrder(root, "bigbox-retail", "bigbox-850-to-order", "po-cases", po))
          dropFile(join(dataDir, edi.edi.inbox), "bigbox-850-batch-1.x12", inbound850(edi.edi, 9001, pos))
          yield* write(`   2 purchase orders dropped in ${edi.edi.inbox}\n`)
        }

        yield* write("== waiting for the WMS to allocate, pick and ship and the ERP to invoice\n")
        const settled = yield* run(settle(engine, sandbox, { quietMs: 2500, timeoutMs: 90_000 }))
        if (!settled) yield* write("   (still busy after 90 s; summarising anyway)\n")

        // ---- summary ----
        const store = yield* run(Store)
        const metrics = yield* run(Metrics)
        const states = yield* run(store.lifecycleCounts("order"))
        const exceptions = yield* run(store.listExceptions())
        const dead = yield* run(store.listDeadLetters({}))
        const outboxes = ["bigbox-retail", "corner-market"].flatMap((p) => {
          const d = join(dataDir, "edi", p, "out")
          return existsSync(d) ? readdirSync(d).filter((f) => !f.startsWith(".")).map((f) => `${p}/${f}`) : []
        })
        const posts = [...sandbox.salesOrders.values()]
        yield* write("\n== summary\n")
        yield* write(`orders by lifecycle state: ${states.map((s) => `${s.state} ${s.count}`).join(", ") || "none"}\n`)
        yield* write(`ERP sales orders: ${posts.length} (each created once: ${posts.every((p) => p.creates === 1)}); invoices: ${sandbox.invoices.size}; shipments posted: ${sandbox.shipments.size}\n`)
        yield* write(`marketplace confirmations: ${sandbox.confirmations.map((c) => c.system).join(", ") || "none"}\n`)
        yield* write(`EDI files out: ${outboxes.map((f) => f.replace(/^.*\//, "")).join(", ") || "none"}\n`)
        const kinds = ["997", "855", "856", "810"].map((k) => `${k} ${outboxes.filter((f) => f.includes(`-${k}-`)).length}`)
        yield* write(`   by document: ${kinds.join(", ")}\n`)
        yield* write(`exceptions: ${exceptions.length}${exceptions.map((e) => `\n   ${e.kind} ${e.flow} ${e.key}: ${e.detail}`).join("")}\n`)
        yield* write(`dead letters: ${dead.length}${dead.map((d) => `\n   ${d.id} ${d.flow}/${d.step} ${d.errorClass}: ${d.reason.slice(0, 160)}`).join("")}\n`)
        const slos = (registry["slos"] ?? {}) as Record<string, { flow: string; success?: { objective: number }; latency?: { objective: number; thresholdSeconds: number } }>
        const snap = metrics.snapshot()
        yield* write("SLO status:\n")
        for (const slo of Object.values(slos)) {
          const rows = snap.filter((s) => s.flow === slo.flow)
          const total = rows.reduce((n, r) => n + r.count, 0)
          const good = rows.filter((r) => r.outcome === "success").reduce((n, r) => n + r.count, 0)
          const ratio = total === 0 ? undefined : (100 * good) / total
          const p99 = rows[0]?.p99
          const ok = ratio === undefined ? "no traffic" : ratio >= (slo.success?.objective ?? 0) && (slo.latency === undefined || (p99 ?? 0) <= slo.latency.thresholdSeconds) ? "ok" : "BURNING"
          yield* write(`   ${slo.flow.padEnd(28)} runs ${String(total).padStart(3)}  success ${ratio === undefined ? "-" : `${ratio.toFixed(1)}%`}  p99 ${p99 === undefined ? "-" : `${(p99 * 1000).toFixed(0)} ms`}  ${ok}\n`)
        }
        const key = posts[0] ? String(posts[0].body["externalDocumentNumber"]) : undefined
        if (key) {
          yield* write(`\n== trace ${key}\n`)
          yield* write(formatTrace(yield* run(store.traceOf(key))))
        }
        const complete = outboxes.some((f) => f.includes("-997-")) && outboxes.some((f) => f.includes("-855-")) && outboxes.some((f) => f.includes("-856-")) && outboxes.some((f) => f.includes("-810-"))
        yield* write(`\n${complete && posts.every((p) => p.creates === 1) ? "demo complete" : "demo finished with gaps (see above)"}\n`)
      })
    )
  })

export const demoCommand = Command.make(
  "demo",
  {
    noCompile: Options.boolean("no-compile").pipe(Options.withDescription("Use generated/ as it is instead of compiling first."))
  },
  ({ noCompile }) => runDemo({ root: projectRoot, compile: !noCompile })
).pipe(Command.withDescription("Run the example organisation end to end on SQLite with the sandbox and print what happened."))
