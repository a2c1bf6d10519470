// The HTTP transport under egress: node's http/https clients over keep-alive pools (one per scheme), a
// response size cap, interruption that destroys the request, and one `http.client <METHOD>` span per
// request (OpenTelemetry HTTP semantic conventions) whose context goes out as the `traceparent` header.
// It replaces @effect/platform's HttpClient on this path: per request that pipeline (request/response
// objects, header redaction, its own span, web streams) cost ~1.6 ms of CPU more than node's client on
// the machine the e2e bench runs on (2.1 ms against 0.43 ms, client and server in one process).
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from "node:http"
import { Agent as HttpsAgent, request as httpsRequest } from "node:https"
import { Data, Effect } from "effect"
import { traceparentOf } from "../observe/spans.ts"

export class TransportError extends Data.TaggedError("TransportError")<{ readonly reason: string; readonly timedOut?: boolean }> {}

export interface TransportRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** Milliseconds for the whole exchange (connect, send, the complete response); past it the request is destroyed. */
  readonly timeout?: number
}

export interface TransportResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly text: string
}

export interface TransportOptions {
  /** Connections kept per host (default 64). */
  readonly maxSockets?: number
  /** Largest response body read (bytes, default 16 MiB); a larger one fails the request. */
  readonly maxResponseBytes?: number
  /** Whether each exchange gets an `http.client` span (only worth it when spans are exported). */
  readonly spans?: boolean
}

export interface Transport {
  readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, TransportError>
  readonly close: () => void
}

/** `url.full` without credentials or query values (they may carry keys). */
const safeUrl = (u: URL): string => `${u.protocol}//${u.host}${u.pathname}${u.search ? "?…" : ""}`

export const make = (options: TransportOptions = {}): Transport => {
  const http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, maxFreeSockets: 16 })
  const https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, maxFreeSockets: 16 })
  const cap = options.maxResponseBytes ?? 16 * 1024 * 1024

  const exchange = (r: TransportRequest, u: URL, headers: Record<string, string>) =>
    Effect.async<TransportResponse, TransportError>((done) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      let settled = false
      const resume = (e: Effect.Effect<TransportResponse, TransportError>) => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        done(e)
      }
      const body = r.body === undefined ? undefined : typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body
      const secure = u.protocol === "https:"
      const req = (secure ? httpsRequest : httpRequest)(
        u,
        { method: r.method, agent: secure ? https : http, headers: body !== undefined ? { ...headers, "content-length": String(body.byteLength) } : headers },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on("data", (c: Buffer) => {
            size += c.byteLength
            if (size > cap) {
              res.destroy()
              req.destroy()
              resume(Effect.fail(new TransportError({ reason: `response larger than ${cap} bytes` })))
              return
            }
            chunks.push(c)
          })
          res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") })))
          res.on("error", (e) => resume(Effect.fail(new TransportError({ reason: e.message }))))
        }
      )
      req.on("error", (e) => resume(Effect.fail(new TransportError({ reason: (e as NodeJS.ErrnoException).code ?? e.message }))))
      if (r.timeout !== undefined) {
        timer = setTimeout(() => {
          resume(Effect.fail(new TransportError({ reason: `no complete response within ${r.timeout} ms`, timedOut: true })))
          req.destroy()
        }, r.timeout)
      }
      req.end(body)
      // Interrupted (the run stopping): the request goes with it.
      return Effect.sync(() => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        req.destroy()
      })
    })

  const send = (r: TransportRequest): Effect.Effect<TransportResponse, TransportError> =>
    Effect.suspend(() => {
      let u: URL
      try {
        u = new URL(r.url)
      } catch {
        return Effect.fail(new TransportError({ reason: `not a URL: ${r.url.slice(0, 200)}` }))
      }
      if (options.spans === false) return exchange(r, u, r.headers)
      return Effect.useSpan(
        `http.client ${r.method}`,
        {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.request.method": r.method, "url.full": safeUrl(u), "server.address": u.hostname, ...(u.port ? { "server.port": Number(u.port) } : {}) }
        },
        (span) =>
          exchange(r, u, { ...r.headers, traceparent: traceparentOf(span) }).pipe(
            Effect.tap((res) => span.attribute("http.response.status_code", res.status)),
            Effect.tapError((e) => Effect.sync(() => span.attribute("error.type", e.reason)))
          )
      )
    })

  return {
    send,
    close: () => {
      http.destroy()
      https.destroy()
    }
  }
}
