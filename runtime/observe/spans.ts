// Span helpers for the engine: W3C traceparent <-> Effect spans, the run and step spans (parented on the
// trace recorded with the run) and their attributes. Attributes carry names, ids and business keys only;
// never a payload or a secret. This module loads no OpenTelemetry code: the spans go to whatever tracer
// is installed (Effect's own, or the OpenTelemetry one from ./telemetry.ts).
import { Effect, Option, Tracer } from "effect"
import type { ErrorPolicy } from "../engine/flow.ts"
import { dispositionOf } from "../engine/errors.ts"
import { childOf, newTraceparent } from "./context.ts"

export const ATTR = {
  flow: "tradelane.flow",
  runId: "tradelane.run.id",
  stepId: "tradelane.step.id",
  action: "tradelane.step.action",
  system: "tradelane.system",
  correlationId: "tradelane.correlation_id",
  idempotencyKey: "tradelane.idempotency_key",
  /** Prefix of the business keys: `tradelane.key.orderId`, `tradelane.key.poNumber`, `tradelane.key.asn`, `tradelane.key.invoice`... */
  keyPrefix: "tradelane.key.",
  outcome: "tradelane.outcome",
  admission: "tradelane.admission",
  /** OpenTelemetry's semantic convention for the class of an error. */
  errorType: "error.type"
} as const

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/
const ZEROS = /^0+$/

/** The span a W3C `traceparent` names, or undefined when it is missing or malformed. */
export const parseTraceparent = (traceparent: string | undefined): Tracer.ExternalSpan | undefined => {
  if (traceparent === undefined) return undefined
  const m = TRACEPARENT.exec(traceparent.trim())
  if (!m || m[1] === "ff" || (m[1] === "00" && traceparent.trim().length !== 55) || ZEROS.test(m[2]!) || ZEROS.test(m[3]!)) return undefined
  return Tracer.externalSpan({ traceId: m[2]!, spanId: m[3]!, sampled: (parseInt(m[4]!, 16) & 1) === 1 })
}

/** The `traceparent` of a span. */
export const traceparentOf = (span: { readonly traceId: string; readonly spanId: string; readonly sampled: boolean }): string =>
  `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`

/**
 * The `traceparent` to record or send from here: the current span's, when there is one in the trace of
 * `parent` (or `parent` is absent); otherwise a child of `parent` (or a new trace), as before spans.
 */
export const currentTraceparent = (parent: string | undefined): Effect.Effect<string> =>
  Effect.map(Effect.currentSpan.pipe(Effect.option), (current) => {
    const span = Option.isSome(current) ? recordable(current.value) : undefined
    if (span !== undefined && (parent === undefined || parent.slice(3, 35) === span.traceId)) return traceparentOf(span)
    return parent !== undefined ? childOf(parent) : newTraceparent()
  })

/** The span itself, or its nearest ancestor that is not a database span (those are not exported: see telemetry.ts). */
const recordable = (span: Tracer.AnySpan): Tracer.AnySpan | undefined => {
  let s: Tracer.AnySpan = span
  while (s._tag === "Span" && s.name.startsWith("sql.")) {
    if (Option.isNone(s.parent)) return undefined
    s = s.parent.value
  }
  return s
}

/**
 * Continues the trace of `traceparent` (an event's or a caller's): the effect's spans become its children,
 * unless the effect already runs under a span of that trace.
 */
export const continueTrace =
  (traceparent: string | undefined) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    const parent = parseTraceparent(traceparent)
    if (parent === undefined) return self
    return Effect.flatMap(Effect.currentParentSpan.pipe(Effect.option), (current) =>
      Option.isSome(current) && current.value.traceId === parent.traceId ? self : Effect.withParentSpan(self, parent)
    )
  }

interface RunLike {
  readonly id: string
  readonly flow: string
  readonly idempotencyKey: string
  readonly correlationId: string
  readonly traceparent: string
  readonly keys: Readonly<Record<string, string>>
}

/** Flow, run, correlation id, idempotency key and business keys of a run. */
export const runAttributes = (run: RunLike): Record<string, string> => {
  const out: Record<string, string> = {
    [ATTR.flow]: run.flow,
    [ATTR.runId]: run.id,
    [ATTR.correlationId]: run.correlationId,
    [ATTR.idempotencyKey]: run.idempotencyKey
  }
  for (const k in run.keys) out[`${ATTR.keyPrefix}${k}`] = run.keys[k]!
  return out
}

/** Sets attributes on the current span if it is the named one (so an admission made inside another run's step never relabels that run). */
const annotateIf = (name: string, attributes: () => Record<string, string>) =>
  Effect.flatMap(Effect.currentSpan.pipe(Effect.option), (span) => {
    if (Option.isNone(span) || span.value.name !== name) return Effect.void
    const s = span.value
    return Effect.sync(() => {
      const a = attributes()
      for (const k in a) s.attribute(k, a[k])
    })
  })

/** What an admission was about (for the submit span). */
export const noteAdmission = (flow: string, correlationId: string, idempotencyKey: string | undefined, keys: Readonly<Record<string, string>>) =>
  annotateIf("Engine.submit", () => runAttributes({ id: "", flow, idempotencyKey: idempotencyKey ?? "", correlationId, traceparent: "", keys }))

/** How an admission ended (admitted / duplicate / dead-lettered), and the run it made. */
export const noteAdmitted = (result: string, runId: string) => annotateIf("Engine.submit", () => ({ [ATTR.admission]: result, [ATTR.runId]: runId }))

export type RunOutcome = "success" | "dead_letter" | "held" | "refused"

/** Records how the current run ended on its span (a dead letter also marks the span as an error). */
export const noteRun = (outcome: RunOutcome, errorClass?: string) =>
  annotateIf("Engine.run", (): Record<string, string> => (errorClass !== undefined ? { [ATTR.outcome]: outcome, [ATTR.errorType]: errorClass } : { [ATTR.outcome]: outcome }))

class DeadLettered extends Error {
  readonly _tag = "DeadLettered"
  constructor(readonly errorClass: string) {
    super(`dead letter: ${errorClass}`)
    this.name = "DeadLettered"
  }
}

const failIfDeadLettered = Effect.flatMap(Effect.currentSpan.pipe(Effect.option), (span) => {
  if (Option.isNone(span) || span.value.attributes.get(ATTR.outcome) !== "dead_letter") return Effect.void
  return Effect.fail(new DeadLettered(String(span.value.attributes.get(ATTR.errorType) ?? "unknown")))
})

/**
 * The span of one pass over a run: a child of the span recorded with the run (its `traceparent`), with
 * the run's attributes. A pass that dead-letters the run ends the span as an error.
 */
export const runSpan =
  (run: (RunLike & { readonly status: string }) | undefined) =>
  <E, R>(self: Effect.Effect<void, E, R>): Effect.Effect<void, E, R> => {
    // A run that is gone or finished makes the pass a no-op: no span for it.
    if (run === undefined || (run.status !== "pending" && run.status !== "held")) return self
    const parent = parseTraceparent(run.traceparent)
    return self.pipe(
      Effect.zipLeft(failIfDeadLettered),
      Effect.withSpan("Engine.run", {
        attributes: runAttributes(run),
        kind: "consumer",
        captureStackTrace: false,
        ...(parent ? { parent } : {})
      }),
      Effect.catchAll((e) => (e instanceof DeadLettered ? Effect.void : Effect.fail(e as E)))
    )
  }

class Held {
  constructor(readonly error: unknown) {}
}

interface StepFailureLike {
  readonly _tag: string
  readonly errorClass?: string
}

/**
 * The span of one step: the run's attributes, the step id and action, and its outcome. A failure that the
 * flow's policy holds (waiting, lifecycle) is recorded as `held` without marking the span as an error.
 */
export const stepSpan =
  (flow: { readonly name: string; readonly errors: ErrorPolicy }, run: RunLike, step: { readonly id: string; readonly action: { readonly _tag: string } }) =>
  <A extends { readonly outcome: string; readonly system: string }, E extends StepFailureLike, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    self.pipe(
      Effect.tap((done) => Effect.annotateCurrentSpan({ [ATTR.outcome]: done.outcome, [ATTR.system]: done.system })),
      Effect.catchAll((e): Effect.Effect<A | Held, E> => {
        const errorClass = e.errorClass ?? e._tag
        const held = e.errorClass !== undefined && dispositionOf(flow.errors, e.errorClass as never) === "policy"
        return Effect.zipRight(
          Effect.annotateCurrentSpan({ [ATTR.outcome]: held ? "held" : "failed", [ATTR.errorType]: errorClass }),
          held ? Effect.succeed(new Held(e)) : Effect.fail(e)
        )
      }),
      Effect.withSpan(`Engine.step ${step.id}`, {
        attributes: { ...runAttributes(run), [ATTR.stepId]: step.id, [ATTR.action]: step.action._tag },
        captureStackTrace: false
      }),
      Effect.flatMap((r) => (r instanceof Held ? Effect.fail(r.error as E) : Effect.succeed(r)))
    )

const same = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => self

export interface Spans {
  /** The `traceparent` to record or send from here (see `currentTraceparent`). */
  readonly traceparent: (parent: string | undefined) => Effect.Effect<string>
  readonly submit: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly continueTrace: typeof continueTrace
  readonly run: typeof runSpan
  readonly step: typeof stepSpan
  readonly noteAdmission: typeof noteAdmission
  readonly noteAdmitted: typeof noteAdmitted
  readonly noteRun: typeof noteRun
}

/**
 * The engine's spans, or none: with spans exported (see telemetry.ts `exporting`) the helpers above;
 * without, the same calls make no span and a recorded `traceparent` gets a fresh child span id, so runs
 * still carry and pass on their caller's trace.
 */
export const spansFor = (on: boolean): Spans =>
  on
    ? {
        traceparent: currentTraceparent,
        submit: (self) => Effect.withSpan(self, "Engine.submit", { captureStackTrace: false }),
        continueTrace,
        run: runSpan,
        step: stepSpan,
        noteAdmission,
        noteAdmitted,
        noteRun
      }
    : {
        traceparent: (parent) => Effect.sync(() => (parent !== undefined ? childOf(parent) : newTraceparent())),
        submit: same,
        continueTrace: () => same,
        run: () => same,
        step: () => same,
        noteAdmission: () => Effect.void,
        noteAdmitted: () => Effect.void,
        noteRun: () => Effect.void
      }
