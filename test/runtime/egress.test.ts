// Egress against a real server that misbehaves on purpose: every failure comes back classified (timeout,
// network, http-5xx, http-429 with its Retry-After, http-409, http-4xx), with the partner and operation in
// the reason; the idempotency key, trace context and correlation id go out as headers.
import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Either, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Egress, type EgressRequest, type EgressService, layer as egressLayer } from "../../runtime/connectors/http.ts"
import { layerEnv } from "../../runtime/connectors/secrets.ts"
import type { HttpOperation, HttpPartner } from "../../runtime/engine/flow.ts"

let server: Server
let base = ""
const seen: Array<{ path: string; headers: IncomingMessage["headers"]; body: string }> = []
let closedWhileHanging = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const path = req.url ?? ""
      seen.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") })
      if (path === "/hang") return // never answers
      if (path === "/hang-watched") return void req.socket.once("close", () => closedWhileHanging++)
      if (path === "/slow-body") {
        res.writeHead(200, { "content-type": "application/json" })
        res.write('{"partial":')
        return // the rest never comes
      }
      if (path === "/reset") return void req.socket.destroy()
      if (path === "/busy") return void res.writeHead(429, { "retry-after": "7" }).end(JSON.stringify({ message: "slow down" }))
      if (path === "/down") return void res.writeHead(503).end("maintenance")
      if (path === "/conflict") return void res.writeHead(409).end(JSON.stringify({ message: "exists" }))
      if (path === "/bad") return void res.writeHead(422).end(JSON.stringify({ message: "lines are required" }))
      if (path === "/big") {
        res.writeHead(200, { "content-type": "application/json" })
        return void res.end(JSON.stringify({ blob: "x".repeat(20 * 1024 * 1024) }))
      }
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ number: "SO-1" }))
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const withEgress = <A>(f: (egress: EgressService) => Effect.Effect<A, unknown>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(Layer.build(egressLayer({ defaultTimeout: 5_000 }).pipe(Layer.provide(layerEnv({})))), (ctx) =>
        Effect.flatMap(Effect.provide(Egress, ctx), (egress) => f(egress))
      )
    )
  )

const partner = (): HttpPartner => ({ partner: "erp", baseUrl: base, timeout: 400 })
const op = (path: string, extra: Partial<HttpOperation> = {}): HttpOperation => ({ name: `op${path.replace(/\W/g, "_")}`, method: "POST", path, ...extra })
const request: EgressRequest = {
  body: { externalDocumentNumber: "SHP-1" },
  param: () => undefined,
  idempotencyKey: "flow:SHP-1:create",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  correlationId: "c-1"
}

const failureOf = (path: string, extra: Partial<HttpOperation> = {}) =>
  withEgress((egress) => Effect.either(egress.request(partner(), op(path, extra), request))).then((r) => {
    if (Either.isRight(r)) throw new Error(`expected ${path} to fail, got ${r.right.status}`)
    return r.left
  })

describe("egress", () => {
  it("sends the body, the idempotency key under the declared header, the traceparent and the correlation id", async () => {
    const r = await withEgress((egress) => egress.request(partner(), op("/sales-orders", { idempotencyHeader: "X-Request-Id" }), request))
    expect(r).toEqual({ status: 201, body: { number: "SO-1" } })
    const got = seen.find((s) => s.path === "/sales-orders")!
    expect(JSON.parse(got.body)).toEqual({ externalDocumentNumber: "SHP-1" })
    expect(got.headers["x-request-id"]).toBe("flow:SHP-1:create")
    expect(got.headers["idempotency-key"]).toBeUndefined()
    expect(got.headers["traceparent"]).toBe(request.traceparent)
    expect(got.headers["x-correlation-id"]).toBe("c-1")
    expect(got.headers["content-type"]).toBe("application/json")
  })

  it("a server that never answers is a timeout after the operation's (else the partner's) timeout", async () => {
    const t0 = Date.now()
    const e = await failureOf("/hang", { timeout: 300 })
    expect(e).toMatchObject({ errorClass: "timeout" })
    expect(e.reason).toContain("timed out after 300 ms")
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280)
    expect(Date.now() - t0).toBeLessThan(3_000)
    // A response that starts but never completes is a timeout too (the partner's 400 ms here).
    expect(await failureOf("/slow-body")).toMatchObject({ errorClass: "timeout" })
  })

  it("classifies a reset connection as network, 5xx, 429 with Retry-After, 409 and other 4xx", async () => {
    expect(await failureOf("/reset")).toMatchObject({ errorClass: "network" })
    expect(await failureOf("/down")).toMatchObject({ errorClass: "http-5xx", status: 503 })
    const busy = await failureOf("/busy")
    expect(busy).toMatchObject({ errorClass: "http-429", status: 429 })
    expect(busy.retryAfter).toBeGreaterThanOrEqual(6_000)
    expect(busy.retryAfter).toBeLessThanOrEqual(7_000)
    expect(busy.reason).toContain("slow down")
    expect(await failureOf("/conflict")).toMatchObject({ errorClass: "http-409", status: 409 })
    const bad = await failureOf("/bad")
    expect(bad).toMatchObject({ errorClass: "http-4xx", status: 422 })
    expect(bad.reason).toContain("erp.op_bad answered 422: lines are required")
  })

  it("refuses a response past the size cap instead of buffering it", async () => {
    const e = await failureOf("/big", { timeout: 10_000 })
    expect(e).toMatchObject({ errorClass: "network" })
    expect(e.reason).toContain("larger than")
  })

  it("an interrupted call destroys its request", async () => {
    // Looked at while the egress (and its connection pool) is still open, so the close is the interruption's doing.
    const { r, closed } = await withEgress((egress) =>
      Effect.gen(function* () {
        const r = yield* egress.request(partner(), op("/hang-watched", { timeout: 10_000 }), request).pipe(Effect.timeoutOption("150 millis"))
        const closed = yield* Effect.promise(async () => {
          const deadline = Date.now() + 2_000
          while (closedWhileHanging === 0 && Date.now() < deadline) await new Promise((w) => setTimeout(w, 20))
          return closedWhileHanging
        })
        return { r, closed }
      })
    )
    expect(r._tag).toBe("None")
    expect(closed).toBe(1)
  })
})
