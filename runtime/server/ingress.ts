// HTTP ingress (node's server; @effect/platform's router for everything but webhook calls, and for those
// too when spans are exported): partner webhooks (HMAC-SHA256 over the raw body when the
// partner declares a signature: bad or missing -> 401 and nothing stored; body over the limit -> 413;
// malformed JSON -> 400 with the reason), Prometheus metrics at GET /metrics, and a small ops API behind
// a token (trace, dead letters, schedule triggers).
import { createHmac, timingSafeEqual } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Exit, Runtime } from "effect"
import { Secrets } from "../connectors/secrets.ts"
import { Engine } from "../engine/engine.ts"
import type { AnyFlow, WebhookIngress } from "../engine/flow.ts"
import { Metrics } from "../observe/metrics.ts"
import { exporting } from "../observe/telemetry.ts"
import { Store, StoreError } from "../store/Store.ts"

export interface IngressConfig {
  readonly port?: number
  readonly host?: string
  /** Token the ops API requires (header `Authorization: Bearer <token>`); without one the ops API is off. */
  readonly opsToken?: string
}

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })

interface Answer {
  readonly status: number
  readonly body: unknown
  /** Close the connection after answering (the rest of an oversized body is not read). */
  readonly close?: boolean
}
const answer = (status: number, body: unknown, close?: boolean): Answer => ({ status, body, ...(close ? { close } : {}) })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const TOPIC_HEADERS = ["x-shopify-topic", "x-topic", "x-event-topic", "x-wms-topic", "x-erp-topic", "x-amz-notification-type"]

/** Which flow a webhook call is for: the topic from a header, `?topic=`, the body's NotificationType, or the only topic. */
const pickFlow = (candidates: ReadonlyArray<{ ingress: WebhookIngress; flow: AnyFlow }>, headers: Readonly<Record<string, string>>, url: string, body: unknown) => {
  let topic: string | undefined
  for (const h of TOPIC_HEADERS) if (headers[h] !== undefined) topic = headers[h]
  const q = /[?&]topic=([^&]+)/.exec(url)
  if (topic === undefined && q) topic = decodeURIComponent(q[1]!)
  if (topic === undefined && typeof body === "object" && body !== null) {
    const b = body as Record<string, unknown>
    const t = b["NotificationType"] ?? b["notificationType"] ?? b["topic"] ?? b["eventTopic"]
    if (typeof t === "string") topic = t
  }
  if (topic === undefined && candidates.length === 1) return candidates[0]
  return candidates.find((c) => c.ingress.topic === topic)
}

const verify = (ingress: WebhookIngress, secret: string, raw: Uint8Array, given: string | undefined): boolean => {
  if (given === undefined || given.length === 0) return false
  const mac = createHmac("sha256", secret).update(raw).digest()
  let got: Buffer
  try {
    got = ingress.signature!.encoding === "hex" ? Buffer.from(given.replace(/^sha256=/, ""), "hex") : Buffer.from(given, "base64")
  } catch {
    return false
  }
  return got.length === mac.length && timingSafeEqual(got, mac)
}

/**
 * The raw body, read from the socket up to `max` bytes: a body sent without a content-length (chunked)
 * is cut off as soon as it passes the limit instead of being buffered whole first.
 */
const readLimited = (msg: IncomingMessage, max: number) =>
  Effect.async<Uint8Array | "too-large", Error>((resume) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const settle = (e: Effect.Effect<Uint8Array | "too-large", Error>) => {
      if (settled) return
      settled = true
      resume(e)
    }
    msg.on("data", (c: Buffer) => {
      if (settled) return
      size += c.byteLength
      if (size > max) {
        msg.pause()
        return settle(Effect.succeed("too-large"))
      }
      chunks.push(c)
    })
    msg.on("end", () => settle(Effect.succeed(new Uint8Array(Buffer.concat(chunks)))))
    msg.on("error", (e) => settle(Effect.fail(e)))
    msg.on("aborted", () => settle(Effect.fail(new Error("request aborted"))))
  })

/** Serves the ingress until the scope closes; returns the bound port. */
export const serve = (config: IngressConfig = {}) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const metrics = yield* Metrics
    const secrets = yield* Secrets
    const store = yield* Store
    const hooks = new Map<string, Array<{ ingress: WebhookIngress; flow: AnyFlow }>>()
    for (const flow of engine.flows.values()) {
      if (flow.trigger._tag !== "webhook") continue
      const list = hooks.get(flow.trigger.ingress.path) ?? []
      list.push({ ingress: flow.trigger.ingress, flow })
      hooks.set(flow.trigger.ingress.path, list)
    }

    /** A webhook call, whichever server took it: the status, the JSON answer, and whether to close the connection. */
    const webhook = (path: string, candidates: ReadonlyArray<{ ingress: WebhookIngress; flow: AnyFlow }>, msg: IncomingMessage): Effect.Effect<Answer> =>
      Effect.gen(function* () {
        const headers = msg.headers as Readonly<Record<string, string>>
        const max = Math.max(...candidates.map((c) => c.ingress.maxBodyBytes))
        const declared = Number(headers["content-length"] ?? NaN)
        if (Number.isFinite(declared) && declared > max) return answer(413, { error: "body too large", limit: max })
        const raw = yield* readLimited(msg, max)
        if (raw === "too-large") return answer(413, { error: "body too large", limit: max }, true)
        const signed = candidates.find((c) => c.ingress.signature !== undefined)?.ingress
        if (signed?.signature) {
          const secret = secrets.get(signed.signature.secret)
          if (secret === undefined) return answer(503, { error: `webhook secret for ${signed.partner} is not configured` })
          if (!verify(signed, secret, raw, headers[signed.signature.header.toLowerCase()])) return answer(401, { error: "bad or missing signature" })
        }
        let body: unknown
        let text: string
        try {
          text = utf8.decode(raw)
          body = JSON.parse(text)
        } catch (e) {
          return answer(400, { error: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` })
        }
        const target = pickFlow(candidates, headers, msg.url ?? path, body)
        if (!target) return answer(422, { error: `no flow takes this topic at ${path}` })
        const result = yield* engine.submit(target.flow.name, body, {
          ...(headers["traceparent"] ? { traceparent: headers["traceparent"] } : {}),
          ...(headers["x-correlation-id"] ? { correlationId: headers["x-correlation-id"] } : {}),
          source: { webhook: target.ingress.partner, topic: target.ingress.topic },
          text
        })
        return answer(result._tag === "admitted" ? 202 : result._tag === "duplicate" ? 200 : 202, result)
      }).pipe(Effect.catchAll((e) => Effect.succeed(e instanceof StoreError ? answer(503, { error: "store unavailable, retry" }) : answer(400, { error: "body could not be read" }))))

    const ops = <A, R>(handler: (req: HttpServerRequest.HttpServerRequest) => Effect.Effect<A, unknown, R>) =>
      Effect.gen(function* () {
        const req = yield* HttpServerRequest.HttpServerRequest
        if (config.opsToken === undefined || req.headers["authorization"] !== `Bearer ${config.opsToken}`) return json(401, { error: "ops token required" })
        const r = yield* handler(req).pipe(Effect.either)
        return r._tag === "Right" ? json(200, r.right) : json(500, { error: String(r.left) })
      })

    let router = HttpRouter.empty.pipe(
      HttpRouter.get("/metrics", Effect.sync(() => HttpServerResponse.text(metrics.render(), { contentType: "text/plain; version=0.0.4; charset=utf-8" }))),
      HttpRouter.get("/healthz", Effect.succeed(json(200, { status: "ok" }))),
      HttpRouter.get(
        "/ops/trace/:key",
        ops(() => HttpRouter.params.pipe(Effect.flatMap((p) => store.traceOf(decodeURIComponent(p["key"] ?? "")))))
      ),
      HttpRouter.get("/ops/dead-letters", ops(() => store.listDeadLetters({ status: "open" }))),
      HttpRouter.post(
        "/ops/trigger/:flow",
        ops(() => HttpRouter.params.pipe(Effect.flatMap((p) => engine.trigger(p["flow"] ?? "")), Effect.map((admitted) => ({ admitted }))))
      )
    )
    for (const [path, candidates] of [...hooks].sort(([a], [b]) => (a < b ? -1 : 1))) {
      router = router.pipe(
        HttpRouter.post(
          path as `/${string}`,
          Effect.flatMap(HttpServerRequest.HttpServerRequest, (req) =>
            Effect.map(webhook(path, candidates, NodeHttpServerRequest.toIncomingMessage(req)), (a) =>
              HttpServerResponse.unsafeJson(a.body, { status: a.status, ...(a.close ? { headers: { connection: "close" } } : {}) })
            )
          )
        )
      )
    }

    // With spans exported, every request goes through the router (its `http.server` span, header
    // attributes, trace context). Without, webhook calls — the traffic — are answered straight from node's
    // server (a webhook's traceparent is still read and kept with its run), the rest through the router.
    const traced = yield* exporting
    const routed = yield* NodeHttpServer.makeHandler(router).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => !traced))
    const run = Runtime.runFork(yield* Effect.runtime<never>())
    const direct = (req: IncomingMessage, res: ServerResponse, path: string, candidates: ReadonlyArray<{ ingress: WebhookIngress; flow: AnyFlow }>) =>
      run(
        webhook(path, candidates, req).pipe(
          Effect.catchAllDefect((defect) => Effect.as(Effect.logError("webhook call failed", { path, defect: String(defect) }), answer(500, { error: "internal error" })))
        )
      ).addObserver((exit) => {
        const a = Exit.isSuccess(exit) ? exit.value : answer(500, { error: "internal error" })
        const text = JSON.stringify(a.body)
        res.writeHead(a.status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...(a.close ? { connection: "close" } : {}) })
        res.end(text)
      })
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      if (!traced && req.method === "POST") {
        const q = req.url?.indexOf("?") ?? -1
        const path = q >= 0 ? req.url!.slice(0, q) : (req.url ?? "")
        const candidates = hooks.get(path)
        if (candidates !== undefined) return direct(req, res, path, candidates)
      }
      routed(req, res)
    }
    const server = yield* Effect.acquireRelease(
      Effect.async<Server, Error>((resume) => {
        const s = createServer(handler)
        // Longer than clients' idle pools, so a reused connection is not closed under a request.
        s.keepAliveTimeout = 65_000
        s.headersTimeout = 66_000
        s.once("error", (e) => resume(Effect.fail(new Error(`the ingress cannot listen on ${config.host ?? "127.0.0.1"}:${config.port ?? 0}: ${e.message}`))))
        s.listen(config.port ?? 0, config.host ?? "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.close(() => resume(Effect.void))
          s.closeIdleConnections()
        })
    )
    const address = server.address()
    return { port: typeof address === "object" && address !== null ? address.port : 0 }
  })

export type { HttpServer }
