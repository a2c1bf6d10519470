// OpenTelemetry spans from the runtime: orders through the sandbox with an in-memory exporter (the span
// tree from the webhook to the outbound calls, the trace of the incoming traceparent, the attributes of
// runs and steps, error spans for a dead letter, no secret), and OTLP/HTTP export to a local collector,
// in this process and from `tradelane run` (flushed when it is stopped).
import { randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base"
import { Effect, Exit, Scope } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { ATTR, parseTraceparent, traceparentOf } from "../../runtime/observe/spans.ts"
import { settingsFromEnv } from "../../runtime/observe/telemetry.ts"
import { make as makeSandbox } from "../../runtime/sandbox/index.ts"
import { deliver, settle, shopifyOrder, sign } from "../../runtime/sandbox/scenario.ts"
import { type Harness, NO_LIMITS, root, run, sleep, spawnRuntime, startHarness, STOCK, tempDir } from "./harness.ts"

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const hex = (n: number) => randomBytes(n).toString("hex")
const newTrace = () => ({ traceId: hex(16), spanId: hex(8) })

const shopifyDelivery = (secret: string, id: number, trace: { traceId: string; spanId: string }, correlationId: string, body?: string) => {
  const b = body ?? JSON.stringify(shopifyOrder(root, id))
  return {
    body: b,
    headers: {
      "x-shopify-topic": "orders/create",
      "x-shopify-hmac-sha256": sign(secret, b, "base64"),
      traceparent: `00-${trace.traceId}-${trace.spanId}-01`,
      "x-correlation-id": correlationId
    }
  }
}

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId
const byId = (spans: ReadonlyArray<ReadableSpan>) => new Map(spans.map((s) => [s.spanContext().spanId, s]))
/** The names of a span's ancestors, nearest first. */
const ancestors = (s: ReadableSpan, index: Map<string, ReadableSpan>): ReadableSpan[] => {
  const out: ReadableSpan[] = []
  let p = parentOf(s)
  while (p !== undefined) {
    const a = index.get(p)
    if (!a) break
    out.push(a)
    p = parentOf(a)
  }
  return out
}

describe("spans through the in-memory exporter", () => {
  it("webhook -> run -> steps -> outbound call in the caller's trace, with run and step attributes; dead letters are errors; no secret", async () => {
    const exporter = new InMemorySpanExporter()
    h = await startHarness({ sandbox: { wmsStepMs: 20 }, runtime: { rateLimits: NO_LIMITS, telemetry: { exporter, env: {} } } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const url = `${h.base}/hooks/shopify-main`
    const orders = [5_000_001, 5_000_002, 5_000_003].map((id) => ({ id, trace: newTrace(), correlationId: `corr-${id}` }))
    for (const o of orders) {
      const d = shopifyDelivery(secret, o.id, o.trace, o.correlationId)
      expect(await deliver(url, d.body, d.headers)).toBe(202)
    }
    // One the validator rejects: a dead letter.
    const bad = { id: 5_000_009, trace: newTrace(), correlationId: "corr-bad" }
    const badBody = JSON.stringify({ ...shopifyOrder(root, bad.id), line_items: "nope", email: 42 })
    const d = shopifyDelivery(secret, bad.id, bad.trace, bad.correlationId, badBody)
    expect(await deliver(url, d.body, d.headers)).toBe(202)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 800, timeoutMs: 60_000 }))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(orders.length)

    const spans = exporter.getFinishedSpans()
    const index = byId(spans)
    for (const o of orders) {
      const inTrace = spans.filter((s) => s.spanContext().traceId === o.trace.traceId)
      // Webhook ingress: the server span is a child of the caller's span.
      const server = inTrace.find((s) => s.name.startsWith("http.server") && parentOf(s) === o.trace.spanId)
      expect(server, `server span of ${o.id}`).toBeDefined()
      expect(server!.attributes["http.request.header.x-shopify-hmac-sha256"]).toBe("<redacted>")
      const submit = inTrace.find((s) => s.name === "Engine.submit" && s.attributes[ATTR.flow] === "shopify-order-intake")!
      expect(submit).toBeDefined()
      expect(ancestors(submit, index)).toContain(server)
      expect(submit.attributes[ATTR.admission]).toBe("admitted")
      // The intake run: a child of the admission, with the run's attributes.
      const intake = inTrace.find((s) => s.name === "Engine.run" && s.attributes[ATTR.flow] === "shopify-order-intake")!
      expect(intake, `intake run of ${o.id}`).toBeDefined()
      expect(parentOf(intake)).toBe(submit.spanContext().spanId)
      expect(intake.attributes[ATTR.runId]).toBe(submit.attributes[ATTR.runId])
      expect(intake.attributes[ATTR.correlationId]).toBe(o.correlationId)
      expect(String(intake.attributes[ATTR.idempotencyKey])).toContain(String(o.id))
      expect(intake.attributes[`${ATTR.keyPrefix}orderId`]).toBe(`SHP-${o.id}`)
      expect(intake.attributes[ATTR.outcome]).toBe("success")
      expect(intake.status.code).toBe(1)
      // Its steps.
      const steps = inTrace.filter((s) => s.name.startsWith("Engine.step ") && parentOf(s) === intake.spanContext().spanId)
      expect(steps.length).toBeGreaterThanOrEqual(2)
      for (const s of steps) {
        expect(s.attributes[ATTR.flow]).toBe("shopify-order-intake")
        expect(s.attributes[ATTR.runId]).toBe(intake.attributes[ATTR.runId])
        expect(s.attributes[ATTR.stepId]).toBe(s.name.slice("Engine.step ".length))
        expect(s.attributes[ATTR.correlationId]).toBe(o.correlationId)
        expect(s.attributes[ATTR.idempotencyKey]).toBe(intake.attributes[ATTR.idempotencyKey])
        expect(s.attributes[`${ATTR.keyPrefix}orderId`]).toBe(`SHP-${o.id}`)
        expect(typeof s.attributes[ATTR.outcome]).toBe("string")
      }
      // The order goes on in the same trace (events carry it): the ERP sales order is posted by a step
      // of a later run, through an http.client span whose context went out in the request's traceparent.
      const post = h.sandbox.requests.erp.find((r) => r.method === "POST" && r.path === "/sales-orders" && (r.body as { externalDocumentNumber?: string }).externalDocumentNumber === `SHP-${o.id}`)
      expect(post?.traceparent, `traceparent of the ERP post for ${o.id}`).toBeDefined()
      const sent = parseTraceparent(post!.traceparent)!
      expect(sent.traceId).toBe(o.trace.traceId)
      const client = index.get(sent.spanId)!
      expect(client.name).toBe("http.client POST")
      expect(client.kind).toBe(2) // CLIENT
      expect(client.attributes["http.response.status_code"]).toBe(201)
      const chain = ancestors(client, index)
      const egress = chain.find((s) => s.name === "Egress.request")!
      expect([egress.attributes["tradelane.partner"], egress.attributes["tradelane.operation"]]).toEqual(["erp", "createSalesOrder"])
      const step = chain.find((s) => s.name.startsWith("Engine.step "))!
      const runSpan = chain.find((s) => s.name === "Engine.run")!
      expect(step.attributes[ATTR.action]).toBe("call")
      expect(step.attributes[ATTR.outcome]).toBe("delivered")
      expect(step.attributes[ATTR.correlationId]).toBe(o.correlationId)
      expect(step.attributes[`${ATTR.keyPrefix}orderId`]).toBe(`SHP-${o.id}`)
      expect(runSpan.attributes[ATTR.flow]).not.toBe("shopify-order-intake")
      expect(chain.some((s) => s === intake || s === submit || s === server)).toBe(true)
      // The request traceparent header is recorded on the client span only as trace context, not as an attribute with a secret.
      for (const [k, v] of Object.entries(client.attributes)) if (/authorization|token|api-key/i.test(k)) expect(v).toBe("<redacted>")
    }

    // The dead letter: the run span and the failing step are errors, with the error class.
    const badSpans = spans.filter((s) => s.spanContext().traceId === bad.trace.traceId)
    const badRun = badSpans.find((s) => s.name === "Engine.run")!
    expect(badRun).toBeDefined()
    expect(badRun.attributes[ATTR.outcome]).toBe("dead_letter")
    expect(badRun.attributes[ATTR.errorType]).toMatch(/validation|mapping/)
    expect(badRun.status.code).toBe(2) // ERROR
    const failed = badSpans.find((s) => s.name.startsWith("Engine.step ") && s.status.code === 2)!
    expect(failed).toBeDefined()
    expect(failed.attributes[ATTR.errorType]).toBe(badRun.attributes[ATTR.errorType])
    expect(failed.attributes[ATTR.outcome]).toBe("failed")
    const dead = await run(h.store.listDeadLetters({}))
    expect(dead.map((x) => x.runId)).toContain(badRun.attributes[ATTR.runId])

    // Nothing secret and no payload in any exported span.
    const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links, resource: s.resource.attributes })))
    const secrets = Object.values(h.sandbox.secrets).filter((v) => v.length >= 16)
    expect(secrets.length).toBeGreaterThan(5)
    for (const v of secrets) expect(text.includes(v)).toBe(false)
    expect(text).not.toContain("bob.norman@hostmail.com")
    expect(text).not.toContain("line_items")
    // Credential headers went out (the sandbox checks them), but are recorded redacted.
    expect(text).toContain("<redacted>")
  }, 120_000)

  it("an event-triggered run continues the trace of the run that emitted the event", async () => {
    const exporter = new InMemorySpanExporter()
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, telemetry: { exporter, env: {} } } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const trace = newTrace()
    const d = shopifyDelivery(secret, 5_100_001, trace, "corr-event")
    expect(await deliver(`${h.base}/hooks/shopify-main`, d.body, d.headers)).toBe(202)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 500 }))).toBe(true)
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === trace.traceId)
    const index = byId(spans)
    const runs = spans.filter((s) => s.name === "Engine.run")
    expect(new Set(runs.map((r) => r.attributes[ATTR.flow])).size).toBeGreaterThan(1)
    for (const r of runs) {
      expect(r.attributes[ATTR.correlationId]).toBe("corr-event")
      // Every run hangs off the webhook's server span: nothing in the trace is orphaned.
      expect(ancestors(r, index).some((a) => a.name.startsWith("http.server") && parentOf(a) === trace.spanId)).toBe(true)
    }
    // A submit from an event happens inside the run that emitted it (on the embedded bus, in the same
    // transaction as the emitting step's commit).
    const eventSubmit = spans.find((s) => s.name === "Engine.submit" && s.attributes[ATTR.flow] !== "shopify-order-intake")!
    expect(ancestors(eventSubmit, index).some((a) => a.name === "Engine.run" && a.attributes[ATTR.flow] !== eventSubmit.attributes[ATTR.flow])).toBe(true)
  }, 60_000)
})

describe("sampling", () => {
  it("a caller's unsampled traceparent (flags 00) is honoured: nothing of its trace is exported, and 00 goes on to the partners", async () => {
    const exporter = new InMemorySpanExporter()
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, telemetry: { exporter, env: {} } } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const sampled = newTrace()
    const unsampled = newTrace()
    const a = shopifyDelivery(secret, 5_400_001, sampled, "corr-sampled")
    const b = shopifyDelivery(secret, 5_400_002, unsampled, "corr-unsampled")
    expect(await deliver(`${h.base}/hooks/shopify-main`, a.body, a.headers)).toBe(202)
    expect(await deliver(`${h.base}/hooks/shopify-main`, b.body, { ...b.headers, traceparent: `00-${unsampled.traceId}-${unsampled.spanId}-00` })).toBe(202)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 500 }))).toBe(true)
    const spans = exporter.getFinishedSpans()
    expect(spans.some((s) => s.spanContext().traceId === sampled.traceId && s.name === "Engine.run")).toBe(true)
    expect(spans.filter((s) => s.spanContext().traceId === unsampled.traceId)).toHaveLength(0)
    const post = (id: number) => h!.sandbox.requests.erp.find((r) => r.path === "/sales-orders" && (r.body as { externalDocumentNumber?: string }).externalDocumentNumber === `SHP-${id}`)
    expect(post(5_400_001)?.traceparent).toMatch(new RegExp(`^00-${sampled.traceId}-[0-9a-f]{16}-01$`))
    expect(post(5_400_002)?.traceparent).toMatch(new RegExp(`^00-${unsampled.traceId}-[0-9a-f]{16}-00$`))
  }, 60_000)

  it("OTEL_TRACES_SAMPLER=always_off exports nothing and the runtime works as before", async () => {
    const exporter = new InMemorySpanExporter()
    h = await startHarness({ sandbox: { autoShip: false }, runtime: { rateLimits: NO_LIMITS, telemetry: { exporter, env: { OTEL_TRACES_SAMPLER: "always_off" } } } })
    const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
    const d = shopifyDelivery(secret, 5_500_001, newTrace(), "corr-off")
    expect(await deliver(`${h.base}/hooks/shopify-main`, d.body, d.headers)).toBe(202)
    expect(await run(settle(h.engine, h.sandbox, { quietMs: 500 }))).toBe(true)
    expect(h.sandbox.salesOrders.size).toBe(1)
    expect(exporter.getFinishedSpans()).toHaveLength(0)
  }, 60_000)
})

interface Received {
  readonly path: string
  readonly contentType: string
  readonly body: Buffer
}

/** A local OTLP/HTTP collector that keeps what it is sent. */
const collector = async (): Promise<{ server: Server; url: string; received: Received[]; close: () => Promise<void> }> => {
  const received: Received[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      received.push({ path: req.url ?? "", contentType: String(req.headers["content-type"] ?? ""), body: Buffer.concat(chunks) })
      res.writeHead(200, { "content-type": "application/json" })
      res.end("{}")
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, url, received, close: () => new Promise<void>((r) => server.close(() => r())) }
}

interface OtlpJson {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }
    scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }>
  }>
}

const otlpSpans = (received: ReadonlyArray<Received>) =>
  received.flatMap((r) => {
    const j = JSON.parse(r.body.toString("utf8")) as OtlpJson
    return j.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, service: rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue })))
    )
  })

describe("OTLP/HTTP export", () => {
  it("settings come from the standard environment", () => {
    expect(settingsFromEnv({}).endpoint).toBeUndefined()
    expect(settingsFromEnv({}).serviceName).toBe("tradelane")
    expect(settingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" }).endpoint).toBe("http://c:4318/v1/traces")
    expect(settingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:4318/x" }).endpoint).toBe("http://t:4318/x")
    expect(settingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }).endpoint).toBeUndefined()
    expect(settingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }).endpoint).toBeUndefined()
    expect(settingsFromEnv({ OTEL_EXPORTER_OTLP_HEADERS: "a=1,b=x%20y" }).headers).toEqual({ a: "1", b: "x y" })
    const s = settingsFromEnv({ OTEL_SERVICE_NAME: "tl", OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25", OTEL_BSP_SCHEDULE_DELAY: "50" })
    expect(s).toMatchObject({ serviceName: "tl", sampler: "parentbased_traceidratio", samplerArg: 0.25, batch: { scheduledDelayMillis: 50 } })
    expect(traceparentOf(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")!)).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    expect(parseTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toBeUndefined()
    expect(parseTraceparent("garbage")).toBeUndefined()
  })

  it("spans go to the OTLP endpoint the environment names, in the caller's trace", async () => {
    const c = await collector()
    try {
      h = await startHarness({
        sandbox: { autoShip: false },
        runtime: { rateLimits: NO_LIMITS, telemetry: { env: { OTEL_EXPORTER_OTLP_ENDPOINT: c.url, OTEL_SERVICE_NAME: "tradelane-test", OTEL_BSP_SCHEDULE_DELAY: "100" } } }
      })
      const secret = String(h.sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
      const trace = newTrace()
      const d = shopifyDelivery(secret, 5_200_001, trace, "corr-otlp")
      expect(await deliver(`${h.base}/hooks/shopify-main`, d.body, d.headers)).toBe(202)
      expect(await run(settle(h.engine, h.sandbox, { quietMs: 500 }))).toBe(true)
      await h.close() // flushes
      h = undefined
      expect(c.received.length).toBeGreaterThan(0)
      expect(c.received.every((r) => r.path === "/v1/traces")).toBe(true)
      expect(c.received[0]!.contentType).toMatch(/application\/json/)
      const spans = otlpSpans(c.received)
      expect(spans.every((s) => s.service === "tradelane-test")).toBe(true)
      const mine = spans.filter((s) => s.traceId === trace.traceId)
      expect(mine.some((s) => s.name.startsWith("http.server") && s.parentSpanId === trace.spanId)).toBe(true)
      expect(mine.some((s) => s.name === "Engine.run" && s.attributes.some((a) => a.key === ATTR.correlationId && a.value.stringValue === "corr-otlp"))).toBe(true)
      expect(mine.some((s) => s.name === "http.client POST")).toBe(true)
    } finally {
      await c.close()
    }
  }, 60_000)

  it("`tradelane run` exports to OTEL_EXPORTER_OTLP_ENDPOINT and flushes when stopped", async () => {
    const c = await collector()
    const scope = await Effect.runPromise(Scope.make())
    try {
      const sandbox = await Effect.runPromise(Scope.extend(makeSandbox({ stock: STOCK, autoShip: false }), scope))
      // A long batch delay: the spans can only arrive through the flush at shutdown.
      const { child, base } = await spawnRuntime(tempDir("otlp"), sandbox, { TRADELANE_RATE_LIMITS: "off", OTEL_EXPORTER_OTLP_ENDPOINT: c.url, OTEL_BSP_SCHEDULE_DELAY: "600000" })
      sandbox.connect(base)
      const secret = String(sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
      const trace = newTrace()
      const d = shopifyDelivery(secret, 5_300_001, trace, "corr-run")
      expect(await deliver(`${base}/hooks/shopify-main`, d.body, d.headers)).toBe(202)
      for (let i = 0; i < 100 && sandbox.salesOrders.size === 0; i++) await sleep(100)
      expect(sandbox.salesOrders.size).toBe(1)
      expect(c.received).toHaveLength(0)
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
      child.kill("SIGTERM")
      await exited
      const spans = otlpSpans(c.received)
      expect(spans.some((s) => s.traceId === trace.traceId && s.name === "Engine.run")).toBe(true)
      expect(spans.every((s) => s.service === "tradelane")).toBe(true)
      const text = c.received.map((r) => r.body.toString("utf8")).join("\n")
      for (const v of Object.values(sandbox.secrets)) if (v.length >= 16) expect(text.includes(v)).toBe(false)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await c.close()
    }
  }, 90_000)
})
