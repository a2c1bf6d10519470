// The ingress's other routes next to the webhooks: health, Prometheus metrics, the ops API behind its token,
// unknown paths and methods; a webhook's traceparent and correlation id are kept with its run.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { settle, shopifyOrder, sign } from "../../runtime/sandbox/scenario.ts"
import { type Harness, root, run, startHarness } from "./harness.ts"

let h: Harness
const TOKEN = "ops-token-for-tests"

beforeAll(async () => {
  h = await startHarness({ sandbox: { autoShip: false }, runtime: { opsToken: TOKEN } })
}, 60_000)
afterAll(() => h?.close())

const get = async (path: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${h.base}${path}`, { headers })
  return { status: r.status, type: r.headers.get("content-type") ?? "", text: await r.text() }
}

describe("ingress", () => {
  it("answers health, metrics, the ops API with its token, and 404 elsewhere", async () => {
    const body = JSON.stringify(shopifyOrder(root, 4_200_001))
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    const hook = await fetch(`${h.base}/hooks/shopify-main?topic=orders/create`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-hmac-sha256": sign(secret, body, "base64"), traceparent, "x-correlation-id": "corr-4200001" },
      body
    })
    expect(hook.status).toBe(202)
    expect(await hook.json()).toMatchObject({ _tag: "admitted", idempotencyKey: "shopify-main:4200001" })
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 300, timeoutMs: 30_000 }))).toBe(true)

    const health = await get("/healthz")
    expect(health.status).toBe(200)
    expect(JSON.parse(health.text)).toEqual({ status: "ok" })

    const metrics = await get("/metrics")
    expect(metrics.status).toBe(200)
    expect(metrics.type).toContain("text/plain")
    expect(metrics.text).toMatch(/^tradelane_flow_runs_total\{flow="shopify-order-intake",outcome="success"\} 1$/m)

    expect((await get("/ops/trace/SHP-4200001")).status).toBe(401)
    expect((await get("/ops/trace/SHP-4200001", { authorization: "Bearer wrong" })).status).toBe(401)
    const trace = await get("/ops/trace/SHP-4200001", { authorization: `Bearer ${TOKEN}` })
    expect(trace.status).toBe(200)
    const lines = JSON.parse(trace.text) as Array<{ flow: string; step: string; correlationId: string }>
    expect(lines.some((l) => l.flow === "shopify-order-intake" && l.step === "trigger")).toBe(true)
    expect(lines.some((l) => l.flow === "order-acceptance" && l.step === "create-sales-order")).toBe(true)
    // The caller's correlation id goes with every run of the order, its trace on to the ERP.
    expect(lines.every((l) => l.correlationId === "corr-4200001")).toBe(true)
    const erp = h.sandbox.requests.erp.find((r) => r.method === "POST" && r.path === "/sales-orders" && (r.body as { externalDocumentNumber?: string }).externalDocumentNumber === "SHP-4200001")
    expect(erp?.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/)

    const dead = await get("/ops/dead-letters", { authorization: `Bearer ${TOKEN}` })
    expect(dead.status).toBe(200)
    expect(JSON.parse(dead.text)).toEqual([])

    expect((await get("/nowhere")).status).toBe(404)
    // A GET on a webhook path is not a webhook call.
    expect((await get("/hooks/shopify-main")).status).toBe(404)
  }, 60_000)
})
