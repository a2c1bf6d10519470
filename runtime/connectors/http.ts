// HTTP egress to partner APIs (node's client through ./transport.ts): base URL and operation from the partner spec
// (overridable per partner, e.g. to the sandbox), auth from secret references, a token bucket per partner
// (rateLimit), a timeout per operation, the idempotency header, trace context, and every failure
// classified (network, timeout, http-5xx, http-429 with Retry-After, http-409, http-4xx).
import { Context, Duration, Effect, Layer, Ref } from "effect"
import { classOfStatus, parseRetryAfter, StepFailure } from "../engine/errors.ts"
import type { HttpOperation, HttpPartner } from "../engine/flow.ts"
import { exporting } from "../observe/telemetry.ts"
import { Secrets } from "./secrets.ts"
import { make as makeTransport, type Transport } from "./transport.ts"

export interface EgressRequest {
  readonly body?: unknown
  /** Fills `{name}` placeholders of the operation path. */
  readonly param: (name: string) => string | undefined
  readonly query?: Readonly<Record<string, string>>
  readonly idempotencyKey?: string
  readonly traceparent?: string
  readonly correlationId?: string
}

export interface EgressResponse {
  readonly status: number
  readonly body: unknown
}

export interface EgressService {
  readonly request: (http: HttpPartner, operation: HttpOperation, request: EgressRequest) => Effect.Effect<EgressResponse, StepFailure>
}

export class Egress extends Context.Tag("tradelane/runtime/Egress")<Egress, EgressService>() {}

export interface EgressConfig {
  /** Partner -> base URL replacing the spec's (the sandbox, a staging tenant). */
  readonly endpoints?: Readonly<Record<string, string>>
  /** Partner -> token URL replacing the spec's (oauth2 / lwa). */
  readonly tokenUrls?: Readonly<Record<string, string>>
  /** Partner -> rate limit replacing the spec's; `null` turns the limit off. */
  readonly rateLimits?: Readonly<Record<string, { readonly requestsPerSecond: number; readonly burst?: number } | null>>
  /** Default timeout when neither the operation nor the partner declares one (ms). */
  readonly defaultTimeout?: number
}

interface Bucket {
  readonly rate: number
  readonly burst: number
  readonly state: Ref.Ref<{ tokens: number; at: number }>
}

const encode = (s: string) => encodeURIComponent(s)

export const make = (config: EgressConfig, transport: Transport) =>
  Effect.gen(function* () {
    const secrets = yield* Secrets
    const traced = yield* exporting
    const buckets = new Map<string, Bucket>()
    const tokens = new Map<string, { token: string; expires: number }>()

    const bucketFor = (http: HttpPartner): Bucket | undefined => {
      const override = config.rateLimits?.[http.partner]
      const limit = override === null ? undefined : (override ?? http.rateLimit)
      if (!limit || !(limit.requestsPerSecond > 0)) return undefined
      let b = buckets.get(http.partner)
      if (!b) {
        const burst = Math.max(1, limit.burst ?? 1)
        b = { rate: limit.requestsPerSecond, burst, state: Ref.unsafeMake({ tokens: burst, at: Date.now() }) }
        buckets.set(http.partner, b)
      }
      return b
    }

    /** Token bucket: takes a token now or reserves the next one and waits for it. */
    const acquire = (b: Bucket | undefined) =>
      b === undefined
        ? Effect.void
        : Ref.modify(b.state, (s) => {
            const now = Date.now()
            const tokensNow = Math.min(b.burst, s.tokens + ((now - s.at) / 1000) * b.rate) - 1
            const wait = tokensNow >= 0 ? 0 : (-tokensNow / b.rate) * 1000
            return [wait, { tokens: tokensNow, at: now }]
          }).pipe(Effect.flatMap((wait) => (wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void)))

    const accessToken = (http: HttpPartner): Effect.Effect<string | undefined, StepFailure> =>
      Effect.gen(function* () {
        const auth = http.auth!
        const cached = tokens.get(http.partner)
        if (cached && cached.expires > Date.now() + 5000) return cached.token
        const url = config.tokenUrls?.[http.partner] ?? auth.tokenUrl
        if (!url) return yield* new StepFailure({ errorClass: "http-4xx", reason: `partner ${http.partner}: no token URL` })
        const form: Record<string, string> =
          auth.type === "lwa"
            ? { grant_type: "refresh_token", refresh_token: secrets.get(auth.refreshToken) ?? "", client_id: secrets.get(auth.clientId) ?? "", client_secret: secrets.get(auth.clientSecret) ?? "" }
            : { grant_type: "client_credentials", client_id: secrets.get(auth.clientId) ?? "", client_secret: secrets.get(auth.clientSecret) ?? "", ...(auth.scopes ? { scope: auth.scopes.join(" ") } : {}) }
        const res = yield* transport
          .send({
            method: "POST",
            url,
            headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
            body: new URLSearchParams(form).toString(),
            timeout: config.defaultTimeout ?? 30_000
          })
          .pipe(Effect.mapError((e) => new StepFailure({ errorClass: e.timedOut === true ? "timeout" : "network", reason: `token request to ${http.partner} failed` })))
        if (res.status >= 300) {
          return yield* new StepFailure({ errorClass: classOfStatus(res.status), status: res.status, reason: `token request to ${http.partner} answered ${res.status}` })
        }
        let body: { access_token?: string; expires_in?: number } = {}
        try {
          body = JSON.parse(res.text) as typeof body
        } catch {
          body = {}
        }
        if (typeof body.access_token !== "string") return yield* new StepFailure({ errorClass: "http-4xx", reason: `token response from ${http.partner} has no access_token` })
        tokens.set(http.partner, { token: body.access_token, expires: Date.now() + (body.expires_in ?? 3600) * 1000 })
        return body.access_token
      })

    const authHeaders = (http: HttpPartner): Effect.Effect<Record<string, string>, StepFailure> =>
      Effect.gen(function* () {
        const auth = http.auth
        const none: Record<string, string> = {}
        if (!auth) return none
        switch (auth.type) {
          case "api-key": {
            const key = secrets.get(auth.key)
            return key !== undefined ? { [auth.header ?? "X-Api-Key"]: key } : none
          }
          case "bearer": {
            const t = secrets.get(auth.token)
            return t !== undefined ? { authorization: `Bearer ${t}` } : none
          }
          case "basic": {
            const u = secrets.get(auth.username) ?? ""
            const p = secrets.get(auth.password) ?? ""
            return { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` } as Record<string, string>
          }
          case "oauth2-client-credentials": {
            const t = yield* accessToken(http)
            return t !== undefined ? { authorization: `Bearer ${t}` } : none
          }
          case "lwa": {
            const t = yield* accessToken(http)
            return t !== undefined ? { "x-amz-access-token": t } : none
          }
        }
      })

    const request = (http: HttpPartner, op: HttpOperation, r: EgressRequest): Effect.Effect<EgressResponse, StepFailure> =>
      Effect.gen(function* () {
        const base = (config.endpoints?.[http.partner] ?? http.baseUrl).replace(/\/+$/, "")
        let missing: string | undefined
        const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          const v = r.param(name)
          if (v === undefined) missing = name
          return encode(v ?? "")
        })
        if (missing !== undefined) {
          return yield* new StepFailure({ errorClass: "mapping", reason: `${http.partner}.${op.name}: no value for path parameter {${missing}}` })
        }
        const qs = r.query && Object.keys(r.query).length > 0 ? `?${new URLSearchParams(r.query as Record<string, string>).toString()}` : ""
        yield* acquire(bucketFor(http))
        const headers: Record<string, string> = {
          accept: "application/json",
          ...http.headers,
          ...(yield* authHeaders(http)),
          ...(r.traceparent ? { traceparent: r.traceparent } : {}),
          ...(r.correlationId ? { "x-correlation-id": r.correlationId } : {}),
          ...(op.idempotencyHeader && r.idempotencyKey ? { [op.idempotencyHeader]: r.idempotencyKey } : {}),
          ...(!op.idempotencyHeader && r.idempotencyKey && op.method !== "GET" ? { "Idempotency-Key": r.idempotencyKey } : {})
        }
        const payload = r.body !== undefined && op.method !== "GET" ? JSON.stringify(r.body) : undefined
        const timeout = op.timeout ?? http.timeout ?? config.defaultTimeout ?? 30_000
        const res = yield* transport
          .send({
            method: op.method,
            url: `${base}${path}${qs}`,
            headers: payload !== undefined ? { ...headers, "content-type": "application/json" } : headers,
            ...(payload !== undefined ? { body: payload } : {}),
            timeout
          })
          .pipe(
            Effect.mapError((e) =>
              e.timedOut === true
                ? new StepFailure({ errorClass: "timeout", reason: `${http.partner}.${op.name} timed out after ${timeout} ms` })
                : new StepFailure({ errorClass: "network", reason: `${http.partner}.${op.name}: ${e.reason}` })
            )
          )
        const text = res.text
        let body: unknown = undefined
        if (text.length > 0) {
          try {
            body = JSON.parse(text)
          } catch {
            body = text
          }
        }
        if (res.status >= 200 && res.status < 300) return { status: res.status, body }
        const retryAfter = parseRetryAfter(res.headers["retry-after"], Date.now())
        const detail = typeof body === "object" && body !== null && "message" in body ? `: ${String((body as { message: unknown }).message).slice(0, 200)}` : ""
        return yield* new StepFailure({
          errorClass: classOfStatus(res.status),
          status: res.status,
          reason: `${http.partner}.${op.name} answered ${res.status}${detail}`,
          ...(retryAfter !== undefined ? { retryAfter } : {})
        })
      })

    const service: EgressService = {
      request: (http, op, r) => (traced ? Effect.withSpan(request(http, op, r), "Egress.request", { attributes: { "tradelane.partner": http.partner, "tradelane.operation": op.name }, captureStackTrace: false }) : request(http, op, r))
    }
    return service
  })

/** Egress over its own keep-alive connection pools, closed with the layer. */
export const layer = (config: EgressConfig = {}): Layer.Layer<Egress, never, Secrets> =>
  Layer.scoped(
    Egress,
    Effect.flatMap(exporting, (spans) =>
      Effect.acquireRelease(Effect.sync(() => makeTransport({ spans })), (t) => Effect.sync(() => t.close())).pipe(Effect.flatMap((t) => make(config, t)))
    )
  )
