// Reliability of the runtime on the embedded engine, with real HTTP, files and processes: exactly-once
// under duplicate delivery, crash (SIGKILL) and restart, an ERP outage with 5xx and 429s, and malformed
// input dead-lettered or quarantined with its reason. TRADELANE_SOAK=1 runs the longer variants.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { request } from "node:http"
import { join } from "node:path"
import Database from "better-sqlite3"
import { afterEach, describe, expect, it } from "vitest"
import type { EdiPartner } from "../../runtime/engine/flow.ts"
import { make as makeSandbox } from "../../runtime/sandbox/index.ts"
import { deliver, dropFile, inbound850, purchaseOrder, settle, shopifyOrder, sign } from "../../runtime/sandbox/scenario.ts"
import { Effect, Exit, Scope } from "effect"
import { type Harness, NO_LIMITS, root, run, shuffle, sleep, spawnRuntime, startHarness, STOCK, tempDir } from "./harness.ts"

const SOAK = process.env["TRADELANE_SOAK"] === "1"

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const shopifyDelivery = (secret: string, id: number) => {
  const body = JSON.stringify(shopifyOrder(root, id))
  return { body, headers: { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, body, "base64") } }
}

/** Delivers like a webhook provider: retried until the runtime answers 2xx. */
const deliverUntilAccepted = async (url: () => string, body: string, headers: Record<string, string>, deadline = Date.now() + 120_000) => {
  for (;;) {
    try {
      const s = await deliver(url(), body, headers)
      if (s < 300) return s
    } catch {
      /* runtime down: retry */
    }
    if (Date.now() > deadline) throw new Error("webhook never accepted")
    await sleep(100)
  }
}

describe("exactly once", () => {
  it("1,000 orders each delivered 3 times in random order give exactly 1,000 ERP sales orders", async () => {
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, concurrency: 32 } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const n = SOAK ? 5000 : 1000
    const deliveries = shuffle([...Array(n).keys()].flatMap((i) => [i, i, i])).map((i) => shopifyDelivery(secret, 1_000_000 + i))
    const statuses: number[] = []
    for (let i = 0; i < deliveries.length; i += 64) {
      const batch = deliveries.slice(i, i + 64)
      statuses.push(...(await Promise.all(batch.map((d) => deliver(`${h!.base}/hooks/shopify-main`, d.body, d.headers)))))
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(n)
    expect(statuses.filter((s) => s === 200)).toHaveLength(2 * n)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 1000, timeoutMs: 180_000 }))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(n)
    expect([...h.sandbox.salesOrders.values()].every((so) => so.creates === 1)).toBe(true)
    const creates = h.sandbox.requests.erp.filter((r) => r.method === "POST" && r.path === "/sales-orders")
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(n)
    expect(await run(h.store.listDeadLetters({}))).toHaveLength(0)
    // One order's timeline reads in order: the intake's steps, the event it published, then the run that event started.
    const lines = await run(h.store.traceOf("SHP-1000000"))
    const at = (flow: string, step: string, action: string) => lines.findIndex((l) => l.flow === flow && l.step === step && l.action === action)
    const intake = ["trigger/received", "to-order/map", "check-order/validate", "received/emit", "end/done"].map((k) => at("shopify-order-intake", k.split("/")[0]!, k.split("/")[1]!))
    expect(intake.every((i) => i >= 0)).toBe(true)
    expect([...intake].sort((a, b) => a - b)).toEqual(intake)
    expect(at("order-acceptance", "trigger", "received")).toBeGreaterThan(at("shopify-order-intake", "received", "emit"))
    expect(at("order-acceptance", "create-sales-order", "call")).toBeGreaterThan(at("order-acceptance", "trigger", "received"))
  }, 240_000)
})

describe("backlog", () => {
  it("a burst past the in-memory hand-over limit waits in the store and is all delivered, once each", async () => {
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, concurrency: 4, maxHandOver: 5, pollInterval: 20 } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const n = 200
    const statuses = await Promise.all(Array.from({ length: n }, (_, i) => shopifyDelivery(secret, 3_000_000 + i)).map((d) => deliver(`${h!.base}/hooks/shopify-main`, d.body, d.headers)))
    expect(statuses.filter((s) => s === 202)).toHaveLength(n)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 500, timeoutMs: 120_000 }))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(n)
    expect([...h.sandbox.salesOrders.values()].every((so) => so.creates === 1)).toBe(true)
    expect((await run(h.store.countRuns())).filter((r) => r.status !== "done")).toEqual([])
  }, 180_000)
})

describe("crash and restart", () => {
  it("SIGKILL at 10+ random points: nothing lost, nothing posted twice, control numbers never reused", async () => {
    const scope = await Effect.runPromise(Scope.make())
    const sandbox = await Effect.runPromise(Scope.extend(makeSandbox({ stock: STOCK, wmsStepMs: 30 }), scope))
    const dataDir = tempDir("crash")
    const kills = SOAK ? 30 : 10
    const orders = SOAK ? 300 : 60
    const pos = SOAK ? 40 : 8
    const secret = String(sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    let current = await spawnRuntime(dataDir, sandbox, { TRADELANE_RATE_LIMITS: "off" })
    sandbox.connect(current.base)
    try {
      const edi = (await import(join(root, "generated/flows/bigbox-850-intake.ts"))).flow.trigger.edi as EdiPartner
      let delivered = 0
      let dropped = 0
      const feed = (async () => {
        while (delivered < orders || dropped < pos) {
          if (delivered < orders) {
            const d = shopifyDelivery(secret, 2_000_000 + delivered)
            await deliverUntilAccepted(() => `${current.base}/hooks/shopify-main`, d.body, d.headers)
            delivered++
          }
          if (dropped < pos && (delivered >= orders || delivered % Math.ceil(orders / pos) === 0)) {
            dropFile(join(dataDir, edi.inbox), `po-${dropped}.x12`, inbound850(edi, 5000 + dropped, [purchaseOrder(root, "bigbox-retail", "bigbox-850-to-order", "po-cases", `77000${dropped}`)]))
            dropped++
          }
          await sleep(20)
        }
      })()
      for (let k = 0; k < kills; k++) {
        await sleep(300 + Math.random() * 900)
        const exited = new Promise((r) => (current.child.exitCode !== null ? r(null) : current.child.once("exit", r)))
        current.child.kill("SIGKILL")
        await exited
        current = await spawnRuntime(dataDir, sandbox, { TRADELANE_RATE_LIMITS: "off" })
        sandbox.connect(current.base)
      }
      await feed
      // Let the last incarnation finish everything.
      const total = orders + pos
      const deadline = Date.now() + (SOAK ? 180_000 : 90_000)
      while (Date.now() < deadline && (sandbox.invoices.size < total || sandbox.pendingWebhooks() > 0)) await sleep(250)
      if (sandbox.invoices.size < total) {
        const db = new Database(join(dataDir, "tradelane.db"), { readonly: true })
        const rows = db.prepare("SELECT flow, status, wait_for, COUNT(*) AS n FROM runs WHERE status <> 'done' GROUP BY flow, status, wait_for").all()
        const dead = db.prepare("SELECT flow, step, error_class, reason FROM dead_letters").all()
        db.close()
        console.log(JSON.stringify({ salesOrders: sandbox.salesOrders.size, shipments: sandbox.shipments.size, invoices: sandbox.invoices.size, releases: sandbox.releases.size, rows, dead }, null, 1))
      }
      expect(sandbox.salesOrders.size).toBe(total)
      expect([...sandbox.salesOrders.values()].every((so) => so.creates === 1)).toBe(true)
      expect(sandbox.shipments.size).toBe(total)
      expect(sandbox.invoices.size).toBe(total)
      await sleep(1500)
      // Control numbers: every interchange we wrote has its own ISA13.
      const out = join(dataDir, edi.outbox)
      const files = readdirSync(out).filter((f) => f.endsWith(".x12"))
      const isa13 = files.map((f) => readFileSync(join(out, f), "utf8").slice(90, 99))
      expect(new Set(isa13).size).toBe(isa13.length)
      for (const doc of ["855", "856", "810"]) expect(files.filter((f) => f.includes(`-${doc}-`))).toHaveLength(pos)
      expect(files.filter((f) => f.includes("-997-")).length).toBeGreaterThanOrEqual(pos)
      const db = new Database(join(dataDir, "tradelane.db"), { readonly: true })
      const notDone = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status <> 'done'").get() as { n: number }
      db.close()
      expect(notDone.n).toBe(0)
    } finally {
      current.child.kill("SIGKILL")
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }, 400_000)
})

describe("ERP outage", () => {
  it("ERP down, then 20% 5xx and 429s with Retry-After: everything delivered after recovery, no duplicates", async () => {
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, retryScale: 0.01 } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const n = SOAK ? 500 : 100
    h.sandbox.knobs.erp.down = true
    for (let i = 0; i < n; i++) {
      const d = shopifyDelivery(secret, 3_000_000 + i)
      expect(await deliver(`${h.base}/hooks/shopify-main`, d.body, d.headers)).toBe(202)
    }
    await sleep(SOAK ? 30_000 : 5_000)
    expect(h.sandbox.salesOrders.size).toBe(0)
    h.sandbox.knobs.erp.down = false
    h.sandbox.knobs.erp.errorRate = 0.2
    h.sandbox.knobs.erp.rate429 = 0.05
    h.sandbox.knobs.erp.retryAfterSeconds = 1
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 1500, timeoutMs: 300_000 }))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(n)
    expect([...h.sandbox.salesOrders.values()].every((so) => so.creates === 1)).toBe(true)
    expect(h.sandbox.requests.erp.some((r) => r.status === 429)).toBe(true)
    expect(h.sandbox.requests.erp.some((r) => r.status === 503)).toBe(true)
    expect(await run(h.store.listDeadLetters({}))).toHaveLength(0)
  }, 400_000)
})

describe("malformed input", () => {
  it("is refused at the door, dead-lettered with its reason, or quarantined; secrets never stored", async () => {
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const url = `${h.base}/hooks/shopify-main`
    const good = shopifyDelivery(secret, 4_000_001)
    // Bad or missing signature: 401, nothing stored.
    expect(await deliver(url, good.body, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign("wrong", good.body, "base64") })).toBe(401)
    expect(await deliver(url, good.body, { "x-shopify-topic": "orders/create" })).toBe(401)
    // Over the limit: 413. Not JSON: 400 with the reason.
    const big = JSON.stringify({ pad: "x".repeat(3 * 1024 * 1024) })
    expect(await deliver(url, big, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, big, "base64") })).toBe(413)
    // The same without a content-length (chunked) and without an end: answered 413 as soon as the body
    // passes the limit, not after buffering it whole (a server that waits for the end never answers).
    const chunked = await new Promise<number>((resolve, reject) => {
      const u = new URL(url)
      let answered = false
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { "content-type": "application/json", "x-shopify-topic": "orders/create" } }, (res) => {
        answered = true
        res.resume()
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      req.on("error", (e) => (answered || ["EPIPE", "ECONNRESET"].includes(String((e as NodeJS.ErrnoException).code)) ? undefined : reject(e)))
      const piece = "x".repeat(64 * 1024)
      let sent = 0
      const pump = () => {
        while (!answered && sent < 256 * 1024 * 1024) {
          sent += piece.length
          if (!req.write(piece)) return void req.once("drain", pump)
        }
      }
      pump()
    })
    expect(chunked).toBe(413)
    const r = await fetch(url, { method: "POST", body: "{oops", headers: { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, "{oops", "base64") } })
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toMatch(/malformed JSON/)
    // Valid JSON that the mapping or the validator rejects: dead letter with spec file and path.
    const noLines = JSON.stringify({ ...shopifyOrder(root, 4_000_002), line_items: "nope", email: 42 })
    expect(await deliver(url, noLines, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, noLines, "base64") })).toBe(202)
    const noId = JSON.stringify({ hello: "world" })
    expect(await deliver(url, noId, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, noId, "base64") })).toBe(202)
    // EDI: not X12 at all -> quarantined with a reason; a PO failing its guide -> dead letter; a 997 still goes back.
    const edi = (await import(join(root, "generated/flows/bigbox-850-intake.ts"))).flow.trigger.edi as EdiPartner
    dropFile(join(h.dataDir, edi.inbox), "garbage.x12", "this is not EDI at all\n")
    const badPo = inbound850(edi, 6001, [{ ...purchaseOrder(root, "bigbox-retail", "bigbox-850-to-order", "po-cases", "880001"), lines: [] }])
    dropFile(join(h.dataDir, edi.inbox), "bad-po.x12", badPo)
    await sleep(1000)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 800 }))).toBe(true)
    const q = join(h.dataDir, edi.quarantine)
    expect(existsSync(join(q, "garbage.x12"))).toBe(true)
    expect(readFileSync(join(q, "garbage.x12.reason.txt"), "utf8")).toMatch(/not an X12 interchange/)
    const dead = await run(h.store.listDeadLetters({}))
    const flows = dead.map((d) => d.flow).sort()
    expect(flows).toContain("shopify-order-intake")
    expect(flows).toContain("bigbox-850-intake")
    for (const d of dead) {
      expect(d.reason.length).toBeGreaterThan(0)
      expect(d.specFile).toMatch(/\.(ya?ml|json)$/)
    }
    expect(readdirSync(join(h.dataDir, edi.outbox)).some((f) => f.includes("-997-"))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(0)
    // No secret value anywhere in the database (dead letters, trace, outbox).
    const text = readFileSync(join(h.dataDir, "tradelane.db")).toString("latin1") + (existsSync(join(h.dataDir, "tradelane.db-wal")) ? readFileSync(join(h.dataDir, "tradelane.db-wal")).toString("latin1") : "")
    for (const v of Object.values(h.sandbox.secrets)) if (v.length > 16) expect(text.includes(v)).toBe(false)
  }, 120_000)
})
