// The engine: admits work (deduplicated by the flow's idempotency key before any side effect), runs each
// admitted run step by step, and persists every step that has an effect in one Store transaction with its
// state change: outbox records for calls and EDI sends (delivered with an idempotency key, so a retried
// or replayed delivery is harmless), events on the Bus, lifecycle moves, the trace. Failures are
// classified from the flow spec: transient -> retried with exponential backoff and jitter (honouring
// Retry-After); permanent -> dead letter with the reason, the spec file and path, the input and the
// attempt count; policy -> held until the awaited event happens (or re-checked later).
import { createHash } from "node:crypto"
import { Clock, Context, Duration, Effect, Either, Layer, Queue, Ref, Schedule, type Scope } from "effect"
import { Bus, type BusError, type Envelope } from "../bus/Bus.ts"
import { EdiFiles, guideOf, identityOf } from "../connectors/edi.ts"
import { Egress } from "../connectors/http.ts"
import { Secrets } from "../connectors/secrets.ts"
import { ControlNumbers, outbound } from "../edi/index.ts"
import type { JsonObject } from "../edi/index.ts"
import { newCorrelationId, newRunId } from "../observe/context.ts"
import { Metrics } from "../observe/metrics.ts"
import { spansFor } from "../observe/spans.ts"
import { exporting } from "../observe/telemetry.ts"
import { type RunRecord, Store, type StoreError, type TraceEntry } from "../store/Store.ts"
import { dispositionOf, StepFailure } from "./errors.ts"
import { type AnyFlow, keyText, type RetryPolicy, SELF_SYSTEM, type SpecRef, type Step } from "./flow.ts"
import { regionOf, route } from "./route.ts"

export class Refused extends Error {
  readonly _tag = "Refused"
  constructor(readonly detail: string) {
    super(detail)
  }
}

export interface EngineConfig {
  /** Multiplies every retry delay the specs declare (1 = as declared; the demo and tests shorten them). */
  readonly retryScale?: number
  /** Runs processed at once. */
  readonly concurrency?: number
  /** How often due and re-checked runs are looked for (ms). */
  readonly pollInterval?: number
  /** How long a held run waits before it is checked again without an event (ms). */
  readonly holdRecheck?: number
  /** `cron`: schedule triggers run on their cron (and once at start); `manual`: only through `trigger`. */
  readonly schedules?: "cron" | "manual"
  /**
   * Admitted runs kept in memory for the workers (default 10,000). Past it, a burst of admissions waits in
   * the store and the poller brings it in, so memory does not grow with the backlog.
   */
  readonly maxHandOver?: number
}

export interface SubmitMeta {
  readonly correlationId?: string
  readonly traceparent?: string
  /** Where the work came from (webhook topic, EDI file and set, event id...), kept with the run. */
  readonly source?: Readonly<Record<string, unknown>>
  /**
   * The JSON text the payload was parsed from, when the caller has it (a webhook body): kept as the run's
   * input as received, and the payload is taken to be a plain JSON value nobody else holds.
   */
  readonly text?: string
}

export type SubmitResult =
  | { readonly _tag: "admitted"; readonly runId: string; readonly idempotencyKey: string }
  | { readonly _tag: "duplicate"; readonly idempotencyKey: string }
  | { readonly _tag: "dead-lettered"; readonly runId: string; readonly reason: string }

export interface EngineService {
  readonly flows: ReadonlyMap<string, AnyFlow>
  /** Admits one trigger payload for a flow (or recognises it as a duplicate). */
  readonly submit: (flow: string, payload: unknown, meta?: SubmitMeta) => Effect.Effect<SubmitResult, StoreError>
  /** Starts the workers, the poller, the event subscriptions and the schedules; they stop with the scope. */
  readonly start: Effect.Effect<void, never, Scope.Scope>
  /** Keeps input that cannot become a run (a rejected EDI set, an unknown document) as a dead letter. */
  readonly reject: (flow: string, input: unknown, errorClass: StepFailure["errorClass"], reason: string, spec: SpecRef) => Effect.Effect<string, StoreError>
  /** Runs a schedule-triggered flow's poll now. */
  readonly trigger: (flow: string) => Effect.Effect<number, StepFailure | StoreError>
  /** Whether nothing is running or due right now. */
  readonly idle: Effect.Effect<boolean, StoreError>
}

export class Engine extends Context.Tag("tradelane/runtime/Engine")<Engine, EngineService>() {}

/** The flows the engine runs (from generated/index.ts `flows`). */
export class Flows extends Context.Tag("tradelane/runtime/Flows")<Flows, ReadonlyMap<string, AnyFlow>>() {}

type Rec = Record<string, unknown>
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v)

/** The first value of a property of this name, breadth first (fills `{name}` path parameters). */
const findDeep = (v: unknown, name: string, depth = 0): unknown => {
  if (depth > 4) return undefined
  if (isRec(v)) {
    if (name in v && (typeof v[name] === "string" || typeof v[name] === "number")) return v[name]
    for (const x of Object.values(v)) {
      if (typeof x === "object" && x !== null) {
        const r = findDeep(x, name, depth + 1)
        if (r !== undefined) return r
      }
    }
  } else if (Array.isArray(v)) {
    for (const x of v) {
      const r = findDeep(x, name, depth + 1)
      if (r !== undefined) return r
    }
  }
  return undefined
}

/** An enrich response reduced to what `into` names: the property of that name, or the single list it carries. */
const unwrap = (body: unknown, into: string): unknown => {
  if (!isRec(body)) return body
  if (into in body) return body[into]
  if (isRec(body["payload"])) return unwrap(body["payload"], into)
  const lists = Object.values(body).filter(Array.isArray)
  return lists.length === 1 ? lists[0] : body
}

const walk = (v: unknown, path: ReadonlyArray<string>): unknown => {
  let cur = v
  for (const p of path) {
    if (isRec(cur) && p in cur) cur = cur[p]
    else if (isRec(cur) && isRec(cur["payload"]) && p in cur["payload"]) cur = cur["payload"][p]
    else return undefined
  }
  return cur
}

/** A path parameter naming the channel's order id (`{AmazonOrderId}`, `{order_id}`) is the canonical order's source id. */
const channelOrderId = (name: string, payload: unknown): string | undefined => {
  if (!/order_?id$/i.test(name) || !isRec(payload)) return undefined
  const order = isRec(payload["order"]) ? payload["order"] : isRec(payload["source"]) ? payload["source"] : undefined
  return order ? keyText(order["externalId"]) : undefined
}

const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16)

const textKeys = (keys: Readonly<Record<string, unknown>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(keys)) {
    const t = keyText(v)
    if (t !== undefined) out[k] = t
  }
  return out
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : isRec(e) && typeof e["message"] === "string" ? e["message"] : String(e))

/** The schedule for transient failures: exponential from the spec's initial delay, capped, full jitter, Retry-After honoured. */
export const retrySchedule = (policy: RetryPolicy, scale: number, isTransient: (e: StepFailure) => boolean) => {
  const initial = Math.max(1, policy.initialDelay * scale)
  const cap = Math.max(initial, policy.maxDelay * scale)
  const base = Schedule.exponential(Duration.millis(initial), policy.multiplier).pipe(
    Schedule.modifyDelay((_, d) => Duration.min(d, Duration.millis(cap)))
  )
  const jittered = policy.jitter ? Schedule.jitteredWith(base, { min: 0.5, max: 1 }) : base
  return jittered.pipe(
    Schedule.intersect(Schedule.recurs(Math.max(0, policy.maxAttempts - 1))),
    Schedule.intersect(Schedule.identity<StepFailure>()),
    Schedule.modifyDelay(([, e], d) => (e.retryAfter !== undefined ? Duration.max(d, Duration.millis(e.retryAfter)) : d)),
    Schedule.whileInput(isTransient)
  )
}

/** An admission as the engine sees it: an admitted run comes with its record, handed to a worker after the commit. */
type Admission = Exclude<SubmitResult, { readonly _tag: "admitted" }> | { readonly _tag: "admitted"; readonly runId: string; readonly idempotencyKey: string; readonly record: RunRecord }

interface StepDone {
  readonly payload: unknown
  readonly outcome: string
  readonly system: string
  readonly detail?: string
  /** Writes that belong to the step's state change (run in the same transaction). */
  readonly writes?: Effect.Effect<void, StoreError | BusError | StepFailure | Refused>
  /** After the writes commit: whether they woke held runs (the poller is then asked to look now). */
  readonly woke?: () => boolean
  /** After the writes commit: the runs they admitted (flows triggered by an event it published inline). */
  readonly started?: () => ReadonlyArray<RunRecord>
}

const failure = (errorClass: StepFailure["errorClass"], reason: string, spec?: SpecRef) =>
  new StepFailure({ errorClass, reason: spec ? `${reason} (${spec.file}${spec.path !== "" ? ` ${spec.path}` : ""})` : reason })

export const make = (config: EngineConfig = {}) =>
  Effect.gen(function* () {
    const flows = yield* Flows
    const store = yield* Store
    const bus = yield* Bus
    const egress = yield* Egress
    const files = yield* EdiFiles
    const numbers = yield* ControlNumbers
    const metrics = yield* Metrics
    const secrets = yield* Secrets
    const scale = config.retryScale ?? 1
    // Spans only when they are exported; otherwise the run's recorded traceparent carries the trace alone.
    const spans = spansFor(yield* exporting)
    const queue = yield* Queue.unbounded<string>()
    const inflight = new Set<string>()
    /** Ids waiting in the queue, so the poller never queues a run twice. */
    const queued = new Set<string>()
    /** Runs just admitted, handed to the worker as they are (saves reading back and parsing what was just written). */
    const fresh = new Map<string, RunRecord>()
    const enqueue = (id: string) =>
      inflight.has(id) || queued.has(id) ? Effect.void : Effect.zipRight(Effect.sync(() => queued.add(id)), Queue.offer(queue, id))

    const now = Clock.currentTimeMillis

    const trace = (run: RunRecord, step: string, action: string, outcome: string, system: string, at: number, detail?: string): TraceEntry => ({
      runId: run.id,
      flow: run.flow,
      step,
      action,
      outcome,
      system,
      ...(detail !== undefined ? { detail: secrets.redact(detail) } : {}),
      correlationId: run.correlationId,
      at
    })

    // ---- admission ----

    const reject = (flowName: string, payload: unknown, errorClass: StepFailure["errorClass"], reason: string, spec: SpecRef, meta: SubmitMeta = {}) =>
      Effect.gen(function* () {
        const at = yield* now
        const id = newRunId()
        const correlationId = meta.correlationId ?? newCorrelationId()
        const runKey = `rejected:${hash(JSON.stringify(payload ?? null))}`
        const redacted = secrets.redact(reason)
        const r = yield* store.transaction(
          Effect.gen(function* () {
            // In the caller's trace (a webhook's, an event's), like an admitted run.
            const traceparent = yield* spans.traceparent(meta.traceparent)
            const admitted = yield* store.admit({ id, flow: flowName, idempotencyKey: runKey, input: payload, correlationId, traceparent, keys: {}, meta: { source: meta.source ?? {} }, at })
            if (admitted === "duplicate") return "duplicate" as const
            yield* store.updateRun(id, { status: "dead" }, at)
            yield* store.putDeadLetter({ id, runId: id, flow: flowName, step: "trigger", errorClass, reason: redacted, specFile: spec.file, specPath: spec.path, input: payload, attempts: 1, createdAt: at })
            yield* store.trace([{ runId: id, flow: flowName, step: "trigger", action: "dead-letter", outcome: errorClass, system: SELF_SYSTEM, detail: redacted, correlationId, at }])
            return "dead" as const
          })
        )
        if (r === "dead") metrics.run(flowName, "dead_letter", 0)
        return id
      })

    /**
     * Admission inside the caller's transaction: the run and its first trace line (or, when the payload
     * gives no idempotency key, its dead letter). The caller enqueues an admitted run once that commits.
     */
    const admitIn = (flowName: string, payload: unknown, meta: SubmitMeta = {}): Effect.Effect<Admission, StoreError> => Effect.gen(function* () {
      const flow = flows.get(flowName)
      const at = yield* now
      const correlationId = meta.correlationId ?? newCorrelationId()
      const traceparent = yield* spans.traceparent(meta.traceparent)
      let key: string | undefined
      let keys: Record<string, string> = {}
      let problem: string | undefined
      if (!flow) problem = `no compiled flow named '${flowName}'`
      else {
        try {
          key = keyText(flow.idempotencyKey(payload as never))
          keys = textKeys(flow.businessKeys(payload as never))
          yield* spans.noteAdmission(flowName, correlationId, key, keys)
          if (key === undefined) problem = `the idempotency key (${flow.spec.file} /spec/idempotencyKey) is empty for this payload`
        } catch (e) {
          problem = `the idempotency key or a business key (${flow.spec.file}) failed: ${errorText(e)}`
        }
      }
      if (problem !== undefined || key === undefined || !flow) {
        // Nothing to deduplicate on: keep the payload as a dead letter rather than drop it.
        const reason = problem ?? "invalid"
        const id = yield* reject(flowName, payload, "validation", reason, { file: flow?.spec.file ?? "", path: "/spec/idempotencyKey" }, meta)
        return { _tag: "dead-lettered", runId: id, reason } as const
      }
      const id = newRunId()
      const runMeta = { source: meta.source ?? {} }
      // The input as it reads back from the store (JSON), so a run behaves the same whether handed over or reloaded.
      const inputText = meta.text ?? JSON.stringify(payload ?? null)
      const admitted = yield* store.admit({ id, flow: flowName, idempotencyKey: key, input: payload, inputText, correlationId, traceparent, keys, meta: runMeta, at })
      let record: RunRecord | undefined
      if (admitted === "admitted") {
        const stored: unknown = meta.text !== undefined ? payload : JSON.parse(inputText)
        record = { id, flow: flowName, idempotencyKey: key, status: "pending", cursor: 0, input: stored, payload: stored, attempts: 0, nextAt: at, correlationId, traceparent, keys, meta: runMeta, createdAt: at }
        const src = meta.source ? Object.entries(meta.source).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ") : ""
        yield* store.trace([{ runId: id, flow: flowName, step: "trigger", action: "received", outcome: "admitted", system: triggerSystem(flow), detail: `key ${key}${src ? ` ${src}` : ""}`, correlationId, at }])
      }
      yield* spans.noteAdmitted(admitted, id)
      if (record === undefined) return { _tag: "duplicate", idempotencyKey: key } as const
      return { _tag: "admitted", runId: id, idempotencyKey: key, record } as const
    })

    /** Once the admitting transaction has committed: the run goes to a worker as admitted (no read back). */
    const maxHandOver = config.maxHandOver ?? 10_000
    const handOver = (record: RunRecord) =>
      Effect.suspend(() => {
        // A backlog past the limit stays in the store (pending and due): the poller queues it as workers free up.
        if (fresh.size + queued.size >= maxHandOver) return Effect.void
        fresh.set(record.id, record)
        return enqueue(record.id)
      })

    const submitted = (flowName: string, payload: unknown, meta: SubmitMeta = {}): Effect.Effect<SubmitResult, StoreError> =>
      Effect.flatMap(store.transaction(admitIn(flowName, payload, meta)), (r): Effect.Effect<SubmitResult> =>
        r._tag === "admitted" ? Effect.as(handOver(r.record), { _tag: "admitted", runId: r.runId, idempotencyKey: r.idempotencyKey } as const) : Effect.succeed(r)
      )
    const submit = (flowName: string, payload: unknown, meta: SubmitMeta = {}) => spans.submit(submitted(flowName, payload, meta))

    /** The flows each event type triggers, admitted with the publishing step when the bus is inline. */
    const subscribers = new Map<string, AnyFlow[]>()
    if (bus.inline === true) {
      for (const f of flows.values()) {
        if (f.trigger._tag !== "event") continue
        const list = subscribers.get(f.trigger.type) ?? []
        list.push(f)
        subscribers.set(f.trigger.type, list)
      }
    }

    const triggerSystem = (flow: AnyFlow): string => {
      const t = flow.trigger
      return t._tag === "webhook" ? t.ingress.partner : t._tag === "edi" ? t.partner : t._tag === "schedule" ? (t.call?.http.partner ?? SELF_SYSTEM) : SELF_SYSTEM
    }

    // ---- steps ----

    const deliverWithRetry = <A>(flow: AnyFlow, run: RunRecord, attempts: Ref.Ref<number>, effect: Effect.Effect<A, StepFailure>) =>
      Effect.suspend(() => Ref.update(attempts, (n) => n + 1).pipe(Effect.zipRight(effect))).pipe(
        Effect.tapError((e) =>
          Effect.gen(function* () {
            const n = yield* Ref.get(attempts)
            const at = yield* now
            yield* store.updateRun(run.id, { attempts: run.attempts + n }, at).pipe(Effect.ignore)
            metrics.step(flow.name, "retry", e.errorClass)
          })
        ),
        Effect.retry(retrySchedule(flow.retry, scale, (e) => dispositionOf(flow.errors, e.errorClass) === "transient"))
      )

    const runStep = (flow: AnyFlow, run: RunRecord, step: Step, payload: unknown, attempts: Ref.Ref<number>, firstPass: boolean): Effect.Effect<StepDone, StepFailure | StoreError | Refused> =>
      Effect.gen(function* () {
        const a = step.action
        const outboxId = `${run.id}/${step.id}`
        const idem = `${flow.name}:${run.idempotencyKey}:${step.id}`
        const tp = a._tag === "call" || a._tag === "enrich" || a._tag === "emit" ? yield* spans.traceparent(run.traceparent) : run.traceparent
        switch (a._tag) {
          case "map": {
            const out = yield* Effect.try({
              try: () => a.mapping.apply(payload),
              catch: (e) => failure("mapping", `mapping '${a.mapping.name}' failed: ${errorText(e)}`, a.mapping.spec)
            })
            return { payload: out, outcome: "mapped", system: SELF_SYSTEM, detail: a.mapping.name }
          }
          case "validate": {
            const ok = yield* Effect.try({ try: () => a.validate(payload), catch: (e) => failure("validation", `validator for ${a.entity} failed: ${errorText(e)}`, step.spec) })
            if (!ok) {
              const errs = (a.validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
              return yield* failure("validation", `not a valid ${a.entity}: ${errs.join("; ")}`, step.spec)
            }
            return { payload, outcome: "valid", system: SELF_SYSTEM, detail: a.entity }
          }
          case "enrich": {
            const key = a.key ? keyText(a.key(payload)) : undefined
            const hasParam = /\{[^}]+\}/.test(a.operation.path)
            const res = yield* deliverWithRetry(
              flow,
              run,
              attempts,
              egress.request(a.http, a.operation, {
                param: (name) => key ?? keyText(findDeep(payload, name)),
                ...(!hasParam && key !== undefined ? { query: { key } } : {}),
                traceparent: tp,
                correlationId: run.correlationId
              })
            )
            const into = unwrap(res.body, a.into)
            return { payload: isRec(payload) ? { ...payload, [a.into]: into } : payload, outcome: "enriched", system: a.http.partner, detail: `${a.http.partner}.${a.operation.name} ${res.status}` }
          }
          case "route": {
            const p = isRec(payload) ? payload : {}
            const lines = (Array.isArray(p["lines"]) ? (p["lines"] as Rec[]) : []).map((l) => ({ sku: String(l["sku"]), quantity: Number(l["quantity"] ?? l["qty"] ?? 1) }))
            const items = Array.isArray(p["items"]) ? (p["items"] as Rec[]) : []
            const itemOf = (sku: string) => items.find((i) => i["number"] === sku || i["sku"] === sku)
            const hazmat = lines.some((l) => itemOf(l.sku)?.["hazardous"] === true || itemOf(l.sku)?.["hazmat"] === true)
            const weights = lines.map((l) => Number(itemOf(l.sku)?.["netWeightKg"] ?? NaN) * l.quantity)
            const weightKg = weights.every(Number.isFinite) && weights.length > 0 ? weights.reduce((x, y) => x + y, 0) : undefined
            const sl = a.serviceLevel ? keyText(a.serviceLevel(payload)) : keyText(p["serviceLevel"])
            const positions = yield* store.getInventory([...new Set(lines.map((l) => l.sku))])
            const stock = new Map<string, Map<string, number>>()
            for (const pos of positions) {
              const m = stock.get(pos.sku) ?? new Map<string, number>()
              m.set(pos.warehouse, pos.available)
              stock.set(pos.sku, m)
            }
            const shipTo = isRec(p["shipTo"]) ? (p["shipTo"] as Rec) : {}
            const result = route(a.warehouses, a.by, {
              lines,
              ...(sl !== undefined ? { serviceLevel: sl } : {}),
              ...(typeof p["channel"] === "string" ? { channel: p["channel"] } : {}),
              ...(regionOf(keyText(shipTo["region"])) !== undefined ? { shipToRegion: regionOf(keyText(shipTo["region"]))! } : {}),
              hazmat,
              ...(weightKg !== undefined ? { weightKg } : {}),
              ...(positions.length > 0 ? { stock } : {})
            })
            if (result._tag === "none") return yield* failure("waiting", `no warehouse can fulfil the order: ${result.reasons.join("; ")}`)
            const fulfillment = { ...(isRec(p["fulfillment"]) ? (p["fulfillment"] as Rec) : {}), warehouse: result.warehouse }
            return {
              payload: { ...p, fulfillment },
              outcome: "routed",
              system: SELF_SYSTEM,
              detail: `${result.warehouse} (candidates ${result.considered.join(", ")})`,
              writes: store.reserveInventory(result.warehouse, lines)
            }
          }
          case "call": {
            const body = a.mapping
              ? yield* Effect.try({ try: () => a.mapping!.apply(payload), catch: (e) => failure("mapping", `mapping '${a.mapping!.name}' failed: ${errorText(e)}`, a.mapping!.spec) })
              : payload
            // No record is committed before the call: the run's committed cursor is what makes it happen again
            // after a crash, with the same idempotency key, so the partner sees one request however often it
            // is sent. The record of the call (request, response, attempts) commits with the step's state change.
            // A run's first pass (handed over from its admission) has no record to find.
            const prior = firstPass ? undefined : yield* store.getOutbox(outboxId)
            if (prior?.status === "done") return { payload, outcome: "already-delivered", system: a.http.partner, detail: `${a.http.partner}.${a.operation.name}` }
            const res = yield* deliverWithRetry(
              flow,
              run,
              attempts,
              egress.request(a.http, a.operation, {
                body,
                param: (name) => keyText(findDeep(body, name)) ?? keyText(findDeep(payload, name)) ?? channelOrderId(name, payload),
                idempotencyKey: idem,
                traceparent: tp,
                correlationId: run.correlationId
              })
            )
            const n = yield* Ref.get(attempts)
            return {
              payload,
              outcome: "delivered",
              system: a.http.partner,
              detail: `${a.http.partner}.${a.operation.name} ${res.status} idempotency-key ${idem}`,
              writes: store.recordDelivered(
                { id: outboxId, runId: run.id, flow: flow.name, step: step.id, kind: "call", partner: a.http.partner, operation: a.operation.name, idempotencyKey: idem, request: body },
                res.body ?? null,
                n
              )
            }
          }
          case "send": {
            const json = a.mapping
              ? yield* Effect.try({ try: () => a.mapping!.apply(payload), catch: (e) => failure("mapping", `mapping '${a.mapping!.name}' failed: ${errorText(e)}`, a.mapping!.spec) })
              : payload
            const rec = yield* store.putOutbox({ id: outboxId, runId: run.id, flow: flow.name, step: step.id, kind: "send", partner: a.edi.partner, operation: a.document, idempotencyKey: idem, request: json })
            if (rec.status === "done") return { payload, outcome: "already-sent", system: a.edi.partner }
            let rendered = rec.response as { file: string; text: string; control: number } | undefined
            if (rendered === undefined || typeof rendered.text !== "string") {
              const guide = guideOf(a.edi, a.document)
              if (!guide) return yield* failure("edi-syntax", `partner ${a.edi.partner} declares no guide for ${a.document}`, step.spec)
              const at = yield* now
              const out = yield* outbound(a.edi.partner, identityOf(a.edi), [{ guide, json: json as JsonObject }], new Date(at)).pipe(
                Effect.provideService(ControlNumbers, numbers),
                Effect.mapError((e) => failure("timeout", e.message)),
                Effect.catchAllDefect((d) => Effect.fail(failure("edi-syntax", `${a.document} for ${a.edi.partner} could not be serialized: ${errorText(d)}`, step.spec)))
              )
              const file = `${a.edi.partner}-${a.document}-${String(out.interchangeControl).padStart(9, "0")}.x12`
              rendered = { file, text: out.text, control: out.interchangeControl }
              yield* store.noteOutbox(outboxId, rendered)
            }
            const r = rendered
            const written = yield* files.writeOutbound(a.edi, r.file, r.text)
            return {
              payload,
              outcome: written.existed ? "already-written" : "sent",
              system: a.edi.partner,
              detail: `${a.document} ${r.file} ISA13 ${r.control}`,
              writes: store.completeOutbox(outboxId, { file: r.file, control: r.control }, 1)
            }
          }
          case "acknowledge": {
            const ack = isRec(run.meta["source"]) ? (run.meta["source"] as Rec)["ack"] : undefined
            return { payload, outcome: ack ? "acknowledged" : "no-ack-due", system: a.edi.partner, detail: typeof ack === "string" ? ack : undefined }
          }
          case "emit": {
            const at = yield* now
            const keyValues = [...new Set(Object.values(run.keys))]
            const envelope: Envelope = {
              specversion: "1.0",
              id: `${run.id}/${step.id}`,
              source: `urn:tradelane:flow:${flow.name}`,
              type: a.event,
              ...(run.keys["orderId"] !== undefined ? { subject: run.keys["orderId"] } : {}),
              time: new Date(at).toISOString(),
              datacontenttype: "application/json",
              traceparent: tp,
              correlationid: run.correlationId,
              tradelanekeys: run.keys,
              data: payload
            }
            const moves: string[] = []
            let woken = 0
            const started: RunRecord[] = []
            const writes = Effect.gen(function* () {
              for (const le of a.lifecycle) {
                const key = run.keys[le.key]
                if (key === undefined) continue
                const state = yield* store.getLifecycle(le.lifecycle, key)
                if (le.creates !== undefined) {
                  if (state === undefined) {
                    yield* store.setLifecycle(le.lifecycle, key, le.creates, at)
                    moves.push(`${le.lifecycle} ${key} -> ${le.creates}`)
                  }
                  continue
                }
                if (le.transitions.length === 0) continue
                if (!le.transitions.some((t) => t.owner === a.system)) {
                  return yield* Effect.fail(new Refused(`${a.system} does not own ${a.event} on ${le.lifecycle} ${key} (owner ${[...new Set(le.transitions.map((t) => t.owner))].join(", ")})`))
                }
                const t = le.transitions.find((t) => state !== undefined && t.from.includes(state) && t.owner === a.system)
                if (t) {
                  yield* store.setLifecycle(le.lifecycle, key, t.to, at)
                  moves.push(`${le.lifecycle} ${key} ${state} -> ${t.to}`)
                  continue
                }
                const targets = le.transitions.map((x) => le.states.indexOf(x.to))
                if (state !== undefined && le.states.indexOf(state) >= Math.min(...targets)) continue // already there or beyond
                return yield* failure("lifecycle", `${a.event} for ${le.lifecycle} ${key} waits: state is ${state ?? "unknown"}, needs ${[...new Set(le.transitions.flatMap((x) => x.from))].join("|")}`)
              }
              yield* bus.publish(envelope)
              for (const sub of subscribers.get(a.event) ?? []) {
                const r = yield* spans.submit(
                  admitIn(sub.name, envelope.data, { correlationId: envelope.correlationid, traceparent: envelope.traceparent, source: { event: envelope.type, id: envelope.id } })
                )
                if (r._tag === "admitted") started.push(r.record)
              }
              yield* store.recordEvent(a.event, keyValues)
              woken = yield* store.wakeHeld(keyValues, at)
              const positions = isRec(payload) && Array.isArray(payload["positions"]) ? (payload["positions"] as Rec[]) : undefined
              if (positions && a.event.startsWith("inventory.")) {
                yield* store.setInventory(
                  positions.flatMap((pos) =>
                    (Array.isArray(pos["locations"]) ? (pos["locations"] as Rec[]) : []).map((l) => ({ sku: String(pos["sku"]), warehouse: String(l["location"]), available: Number(l["available"] ?? 0) }))
                  ),
                  at
                )
              }
            })
            return { payload, outcome: "published", system: a.system, detail: `${a.event}.v${a.version}`, writes, woke: () => woken > 0, started: () => started, moves }
          }
        }
      })

    // ---- runs ----

    const hold = (run: RunRecord, step: string, reason: string) =>
      Effect.gen(function* () {
        const at = yield* now
        yield* store.transaction(
          Effect.all([
            store.updateRun(run.id, { status: "held", waitFor: reason, nextAt: at + (config.holdRecheck ?? 60_000) }, at),
            store.trace([trace(run, step, "hold", "waiting", SELF_SYSTEM, at, reason)])
          ])
        )
        yield* spans.noteRun("held")
      })

    const deadLetter = (flow: AnyFlow, run: RunRecord, step: Step | undefined, e: StepFailure, attempts: number) =>
      Effect.gen(function* () {
        const at = yield* now
        const m = /\(([^()\s]+\.ya?ml|[^()\s]+\.json)(?: ([^()]*))?\)$/.exec(e.reason)
        yield* store.transaction(
          Effect.all([
            store.updateRun(run.id, { status: "dead", attempts }, at),
            store.putDeadLetter({
              id: run.id,
              runId: run.id,
              flow: flow.name,
              step: step?.id ?? "trigger",
              errorClass: e.errorClass,
              reason: secrets.redact(e.reason),
              specFile: m?.[1] ?? step?.spec.file ?? flow.spec.file,
              specPath: m?.[2] ?? step?.spec.path ?? flow.spec.path,
              input: run.input,
              attempts,
              createdAt: at
            }),
            store.trace([trace(run, step?.id ?? "trigger", "dead-letter", e.errorClass, SELF_SYSTEM, at, e.reason)])
          ])
        )
        metrics.run(flow.name, "dead_letter", (at - run.createdAt) / 1000)
        yield* spans.noteRun("dead_letter", e.errorClass)
      })

    const processRun = (id: string) =>
      Effect.flatMap(
        Effect.suspend(() => {
          const admitted = fresh.get(id)
          fresh.delete(id)
          return admitted !== undefined ? Effect.succeed({ run: admitted, firstPass: true }) : Effect.map(store.getRun(id), (run) => ({ run, firstPass: false }))
        }),
        ({ run, firstPass }) => Effect.gen(function* () {
        const start = yield* now
        if (!run || (run.status !== "pending" && run.status !== "held") || run.nextAt > start) return
        const flow = flows.get(run.flow)
        if (!flow) return yield* deadLetter({ name: run.flow, spec: { file: "", path: "" } } as AnyFlow, run, undefined, new StepFailure({ errorClass: "mapping", reason: `no compiled flow named '${run.flow}'` }), run.attempts)
        if (run.cursor === 0) {
          for (const type of flow.requires) {
            if (!(yield* store.eventSeen(type, Object.values(run.keys)))) return yield* hold(run, "requires", `waiting for ${type}`)
          }
        }
        let payload = run.payload
        /** The payload as last committed: a step that passes the payload on unchanged does not write it again. */
        let persisted = payload
        let cursor = run.cursor
        let pending: TraceEntry[] = []
        const attempts = yield* Ref.make(0)
        while (cursor < flow.steps.length) {
          const step = flow.steps[cursor]!
          const at = yield* now
          let skip = false
          if (step.when) {
            const w = Either.try({ try: () => step.when!(payload), catch: (e) => failure("mapping", `when of step '${step.id}' failed: ${errorText(e)}`, step.spec) })
            if (Either.isLeft(w)) return yield* deadLetter(flow, run, step, w.left, run.attempts + 1)
            skip = !w.right
          }
          let done: StepDone
          if (skip) done = { payload, outcome: "skipped", system: SELF_SYSTEM }
          else {
            const r = yield* Effect.either(spans.step(flow, run, step)(runStep(flow, run, step, payload, attempts, firstPass)))
            if (Either.isLeft(r)) {
              const e = r.left
              if (e instanceof Refused) {
                const t = yield* now
                yield* store.transaction(
                  Effect.all([
                    store.updateRun(run.id, { status: "refused" }, t),
                    store.putException({ kind: "lifecycle-refused", flow: flow.name, runId: run.id, key: run.keys["orderId"] ?? run.idempotencyKey, detail: e.detail, at: t }),
                    store.trace([trace(run, step.id, step.action._tag, "refused", SELF_SYSTEM, t, e.detail)])
                  ])
                )
                metrics.run(flow.name, "failure", (t - run.createdAt) / 1000)
                yield* spans.noteRun("refused")
                return
              }
              if (e._tag === "StoreError") return yield* Effect.fail(e)
              metrics.step(flow.name, step.id, e.errorClass)
              const d = dispositionOf(flow.errors, e.errorClass)
              if (d === "policy") return yield* hold(run, step.id, e.reason)
              return yield* deadLetter(flow, run, step, e, run.attempts + Math.max(1, yield* Ref.get(attempts)))
            }
            done = r.right
          }
          payload = done.payload
          cursor++
          metrics.step(flow.name, step.id, done.outcome)
          const moves = (done as { moves?: string[] }).moves
          pending.push(trace(run, step.id, step.action._tag, done.outcome, done.system, at, done.detail))
          if (done.writes !== undefined || cursor === flow.steps.length) {
            const last = cursor === flow.steps.length
            const writes = done.writes ?? Effect.void
            const committed = yield* store
              .transaction(
                Effect.gen(function* () {
                  // The run's own lines first, so that the admission of a run its event starts comes after them.
                  yield* store.trace(pending)
                  yield* writes
                  const t = yield* now
                  const extra = moves && moves.length > 0 ? [trace(run, step.id, "lifecycle", "moved", done.system, t, moves.join("; "))] : []
                  yield* store.updateRun(run.id, { cursor, ...(payload !== persisted ? { payload } : {}), ...(last ? { status: "done" as const } : {}) }, t)
                  yield* store.trace([...extra, ...(last ? [trace(run, "end", "done", "success", SELF_SYSTEM, t)] : [])])
                })
              )
              .pipe(Effect.either)
            if (Either.isLeft(committed)) {
              const e = committed.left
              if (e instanceof Refused) {
                const t = yield* now
                yield* store.transaction(
                  Effect.all([
                    store.updateRun(run.id, { status: "refused" }, t),
                    store.putException({ kind: "lifecycle-refused", flow: flow.name, runId: run.id, key: run.keys["orderId"] ?? run.idempotencyKey, detail: e.detail, at: t }),
                    store.trace([...pending.slice(0, -1), trace(run, step.id, step.action._tag, "refused", SELF_SYSTEM, t, e.detail)])
                  ])
                )
                metrics.run(flow.name, "failure", (t - run.createdAt) / 1000)
                yield* spans.noteRun("refused")
                return
              }
              if (e._tag === "StepFailure") {
                if (dispositionOf(flow.errors, e.errorClass) === "policy" || e.errorClass === "lifecycle") return yield* hold(run, step.id, e.reason)
                return yield* deadLetter(flow, run, step, e, run.attempts + 1)
              }
              return yield* Effect.fail(e)
            }
            pending = []
            persisted = payload
            if (done.woke?.()) yield* poke
            for (const record of done.started?.() ?? []) yield* handOver(record)
          }
        }
        const end = yield* now
        metrics.run(flow.name, "success", (end - run.createdAt) / 1000)
        yield* spans.noteRun("success")
      }).pipe(spans.run(run)))

    const poke = Effect.gen(function* () {
      const at = yield* now
      const due = yield* store.dueRuns(at, 500)
      for (const id of due) yield* enqueue(id)
    }).pipe(Effect.ignore)

    const worker = Effect.gen(function* () {
      const id = yield* Queue.take(queue)
      queued.delete(id)
      if (inflight.has(id)) return
      inflight.add(id)
      yield* processRun(id).pipe(
        Effect.catchAllCause((cause) => Effect.logError("run failed; it stays pending and is retried", { run: id, cause: String(cause) })),
        Effect.ensuring(Effect.sync(() => inflight.delete(id)))
      )
    }).pipe(Effect.forever)

    const pollFlow = (flow: AnyFlow) =>
      Effect.gen(function* () {
        const t = flow.trigger
        if (t._tag !== "schedule" || !t.call) return 0
        const res = yield* egress.request(t.call.http, t.call.operation, { param: () => undefined })
        const list = t.items.length > 0 ? walk(res.body, t.items) : res.body
        const items = t.items.length > 0 ? (Array.isArray(list) ? list : []) : [list]
        let admitted = 0
        for (const item of items) {
          const r = yield* submit(flow.name, item, { source: { schedule: `${t.call.http.partner}.${t.call.operation.name}` } })
          if (r._tag === "admitted") admitted++
        }
        return admitted
      })

    const service: EngineService = {
      flows,
      submit: (f, p, m) => submit(f, p, m).pipe(spans.continueTrace(m?.traceparent)),
      reject: (f, input, c, reason, spec) => reject(f, input, c, reason, spec),
      trigger: (name) => {
        const flow = flows.get(name)
        return flow ? pollFlow(flow) : Effect.fail(new StepFailure({ errorClass: "validation", reason: `no flow named '${name}'` }))
      },
      idle: Effect.gen(function* () {
        const at = yield* now
        const due = yield* store.dueRuns(at, 1)
        const size = yield* Queue.size(queue)
        return due.length === 0 && inflight.size === 0 && size <= 0
      }),
      start: Effect.gen(function* () {
        for (let i = 0; i < (config.concurrency ?? 16); i++) yield* Effect.forkScoped(worker)
        yield* poke.pipe(Effect.zipRight(Effect.sleep(Duration.millis(config.pollInterval ?? 100))), Effect.forever, Effect.forkScoped)
        for (const flow of flows.values()) {
          const t = flow.trigger
          if (t._tag === "event" && bus.inline !== true) {
            yield* bus.subscribe(`flow:${flow.name}`, [t.type], (e) =>
              submit(flow.name, e.data, { correlationId: e.correlationid, traceparent: e.traceparent, source: { event: e.type, id: e.id } }).pipe(spans.continueTrace(e.traceparent))
            )
          } else if (t._tag === "schedule" && t.call && (config.schedules ?? "cron") === "cron") {
            const cron = Schedule.cron(t.cron)
            yield* pollFlow(flow).pipe(
              Effect.catchAll((e) => Effect.logWarning(`schedule poll for ${flow.name} failed`, { reason: secrets.redact(e.message) })),
              Effect.repeat(cron),
              Effect.forkScoped
            )
          }
        }
      })
    }
    return service
  })

export const layer = (config: EngineConfig = {}) => Layer.effect(Engine, make(config))
