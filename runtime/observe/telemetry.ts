// OpenTelemetry export of the runtime's spans through @effect/opentelemetry, configured from the standard
// environment: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces)
// for OTLP/HTTP, OTEL_EXPORTER_OTLP_HEADERS / _TRACES_HEADERS, OTEL_SERVICE_NAME (default `tradelane`),
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, OTEL_BSP_* and OTEL_SDK_DISABLED /
// OTEL_TRACES_EXPORTER=none; TRADELANE_TRACE_SQL=true adds the database spans inside runs. Without an
// endpoint (and without an exporter passed in, as tests do) nothing is loaded and spans stay on Effect's
// own tracer. Exported spans pass a redaction of every secret value the runtime has read, and HTTP headers
// that carry credentials or signatures are recorded as `<redacted>`. The tracer provider is flushed and
// shut down when the layer's scope closes.
import { Headers } from "@effect/platform"
import type { ReadableSpan, Sampler, SpanExporter, SpanProcessor, TimedEvent } from "@opentelemetry/sdk-trace-base"
import { Context, Duration, Effect, Layer, Option, Tracer } from "effect"
import { Secrets } from "../connectors/secrets.ts"

export interface TelemetryConfig {
  /** Environment the OTEL_* settings are read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** An exporter to send spans to as well (tests: InMemorySpanExporter). */
  readonly exporter?: SpanExporter
  /** How `exporter` is fed: each span as it ends (`simple`, the default) or in batches. */
  readonly processor?: "simple" | "batch"
}

export interface TelemetrySettings {
  /** OTLP/HTTP traces URL, when spans are exported over OTLP. */
  readonly endpoint: string | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly serviceName: string
  readonly sampler: string
  readonly samplerArg: number | undefined
  readonly batch: { readonly scheduledDelayMillis?: number; readonly maxQueueSize?: number; readonly maxExportBatchSize?: number; readonly exportTimeoutMillis?: number }
  /** Whether database spans inside runs are recorded (TRADELANE_TRACE_SQL=true); pollers' database spans never are. */
  readonly sql: boolean
}

export interface TelemetryService {
  /** Whether spans leave the process (an OTLP endpoint or an exporter is configured). */
  readonly exporting: boolean
  readonly endpoint: string | undefined
  /** Exports every ended span now. */
  readonly flush: Effect.Effect<void>
}

export class Telemetry extends Context.Tag("tradelane/runtime/Telemetry")<Telemetry, TelemetryService>() {}

/**
 * Whether spans are exported here. Without an exporter the engine, egress and ingress make no spans at
 * all (Effect's own tracer would keep them for nobody) and trace context is carried by `traceparent` alone.
 */
export const exporting: Effect.Effect<boolean> = Effect.map(Effect.serviceOption(Telemetry), (t) => t._tag === "Some" && t.value.exporting)

/** HTTP headers recorded as `<redacted>` on client and server spans: Effect's defaults, and anything carrying a credential or a signature. */
export const REDACTED_HEADERS: ReadonlyArray<string | RegExp> = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  /token|secret|passw|signature|hmac|api-?key|auth|session|credential/i
]

const text = (env: TelemetryConfig["env"], name: string): string | undefined => {
  const v = env?.[name]?.trim()
  return v === undefined || v === "" ? undefined : v
}

const int = (env: TelemetryConfig["env"], name: string): number | undefined => {
  const v = Number(text(env, name))
  return Number.isInteger(v) && v > 0 ? v : undefined
}

/** `k=v,k2=v2` (values URL-encoded), as OTEL_EXPORTER_OTLP_HEADERS. */
const parseHeaders = (s: string | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const part of (s ?? "").split(",")) {
    const i = part.indexOf("=")
    if (i <= 0) continue
    try {
      out[decodeURIComponent(part.slice(0, i).trim())] = decodeURIComponent(part.slice(i + 1).trim())
    } catch {
      /* a malformed pair is skipped */
    }
  }
  return out
}

/** The settings the standard OTEL_* variables give. */
export const settingsFromEnv = (env: Readonly<Record<string, string | undefined>> = process.env): TelemetrySettings => {
  const disabled = text(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true" || text(env, "OTEL_TRACES_EXPORTER")?.toLowerCase() === "none"
  const traces = text(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
  const base = text(env, "OTEL_EXPORTER_OTLP_ENDPOINT")
  const endpoint = disabled ? undefined : (traces ?? (base !== undefined ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined))
  const arg = Number(text(env, "OTEL_TRACES_SAMPLER_ARG"))
  const batch: Record<string, number> = {}
  for (const [name, key] of [
    ["OTEL_BSP_SCHEDULE_DELAY", "scheduledDelayMillis"],
    ["OTEL_BSP_MAX_QUEUE_SIZE", "maxQueueSize"],
    ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "maxExportBatchSize"],
    ["OTEL_BSP_EXPORT_TIMEOUT", "exportTimeoutMillis"]
  ] as const) {
    const v = int(env, name)
    if (v !== undefined) batch[key] = v
  }
  return {
    endpoint,
    headers: { ...parseHeaders(text(env, "OTEL_EXPORTER_OTLP_HEADERS")), ...parseHeaders(text(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS")) },
    serviceName: text(env, "OTEL_SERVICE_NAME") ?? "tradelane",
    sampler: text(env, "OTEL_TRACES_SAMPLER")?.toLowerCase() ?? "parentbased_always_on",
    sql: /^(1|true|on|yes)$/i.test(text(env, "TRADELANE_TRACE_SQL") ?? ""),
    samplerArg: Number.isFinite(arg) && arg >= 0 && arg <= 1 && text(env, "OTEL_TRACES_SAMPLER_ARG") !== undefined ? arg : undefined,
    batch
  }
}

type SdkTraceBase = typeof import("@opentelemetry/sdk-trace-base")

const samplerOf = (sdk: SdkTraceBase, name: string, arg: number | undefined): Sampler => {
  const ratio = () => new sdk.TraceIdRatioBasedSampler(arg ?? 1)
  switch (name) {
    case "always_on":
      return new sdk.AlwaysOnSampler()
    case "always_off":
      return new sdk.AlwaysOffSampler()
    case "traceidratio":
      return ratio()
    case "parentbased_always_off":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() })
    case "parentbased_traceidratio":
      return new sdk.ParentBasedSampler({ root: ratio() })
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() })
  }
}

/**
 * Database spans (@effect/sql's `sql.execute`, `sql.transaction`; a run makes dozens) are not recorded,
 * or, with `nested`, only those inside another span: the pollers' (due runs, bus offsets, every few
 * hundred milliseconds) never are. Everything else goes to `inner`.
 */
export const withoutSql = (inner: Sampler, nested: boolean, isRoot: (context: unknown) => boolean): Sampler => ({
  shouldSample: (context, traceId, name, kind, attributes, links) =>
    name.startsWith("sql.") && (!nested || isRoot(context)) ? { decision: 0 /* SamplingDecision.NOT_RECORD */ } : inner.shouldSample(context, traceId, name, kind, attributes, links),
  toString: () => `WithoutSql{${inner.toString()}}`
})

/** A copy of a span with `redact` applied to every string it carries (the span itself when nothing changes). */
export const redactSpan = (span: ReadableSpan, redact: (s: string) => string): ReadableSpan => {
  let changed = false
  const value = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = redact(v)
      if (r !== v) changed = true
      return r
    }
    return Array.isArray(v) ? v.map(value) : v
  }
  const attrs = (a: ReadableSpan["attributes"] | undefined) => {
    if (a === undefined) return a
    const out: Record<string, unknown> = {}
    for (const k in a) out[k] = value(a[k])
    return out as ReadableSpan["attributes"]
  }
  const name = value(span.name) as string
  const attributes = attrs(span.attributes)!
  const events: TimedEvent[] = span.events.map((e) => ({ ...e, name: value(e.name) as string, ...(e.attributes ? { attributes: attrs(e.attributes)! } : {}) }))
  const status = span.status.message !== undefined ? { ...span.status, message: value(span.status.message) as string } : span.status
  if (!changed) return span
  return Object.create(span, { name: { value: name }, attributes: { value: attributes }, events: { value: events }, status: { value: status } }) as ReadableSpan
}

/** An exporter that redacts before it hands spans on. */
export const redactingExporter = (exporter: SpanExporter, redact: (s: string) => string): SpanExporter => ({
  export: (spans, done) => exporter.export(spans.map((s) => redactSpan(s, redact)), done),
  shutdown: () => exporter.shutdown(),
  ...(exporter.forceFlush ? { forceFlush: () => exporter.forceFlush!() } : {})
})

const off: TelemetryService = { exporting: false, endpoint: undefined, flush: Effect.void }

/**
 * The runtime's tracing: Effect's tracer with credential headers redacted, and, when an OTLP endpoint or an
 * exporter is configured, the OpenTelemetry tracer exporting every span (flushed when the scope closes).
 */
export const layer = (config: TelemetryConfig = {}): Layer.Layer<Telemetry, never, Secrets> => {
  const redactHeaders = Layer.locallyScoped(Headers.currentRedactedNames, REDACTED_HEADERS)
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const settings = settingsFromEnv(config.env ?? process.env)
      if (settings.endpoint === undefined && config.exporter === undefined) return Layer.merge(redactHeaders, Layer.succeed(Telemetry, off))
      const secrets = yield* Secrets
      const redact = (s: string) => secrets.redact(s)
      const [api, sdk, NodeSdk, OtelTracer, OtelResource, otlp] = yield* Effect.promise(() =>
        Promise.all([
          import("@opentelemetry/api"),
          import("@opentelemetry/sdk-trace-base"),
          import("@effect/opentelemetry/NodeSdk"),
          import("@effect/opentelemetry/Tracer"),
          import("@effect/opentelemetry/Resource"),
          settings.endpoint !== undefined ? import("@opentelemetry/exporter-trace-otlp-http") : Promise.resolve(undefined)
        ])
      )
      const processors: SpanProcessor[] = []
      if (config.exporter) {
        const e = redactingExporter(config.exporter, redact)
        processors.push(config.processor === "batch" ? new sdk.BatchSpanProcessor(e, settings.batch) : new sdk.SimpleSpanProcessor(e))
      }
      if (otlp && settings.endpoint !== undefined) {
        const exporter = new otlp.OTLPTraceExporter({ url: settings.endpoint, headers: settings.headers })
        processors.push(new sdk.BatchSpanProcessor(redactingExporter(exporter, redact), settings.batch))
      }
      const service: TelemetryService = {
        exporting: true,
        endpoint: settings.endpoint,
        flush: Effect.promise(() => Promise.all(processors.map((p) => p.forceFlush()))).pipe(Effect.asVoid, Effect.timeoutOption(Duration.seconds(10)), Effect.asVoid)
      }
      const sampler = withoutSql(samplerOf(sdk, settings.sampler, settings.samplerArg), settings.sql, (c) => api.trace.getSpanContext(c as never) === undefined)
      // The provider (flushed and shut down when the scope closes) and its tracer, for this resource.
      const provider = NodeSdk.layerTracerProvider(processors as [SpanProcessor, ...SpanProcessor[]], { sampler, shutdownTimeout: Duration.seconds(5) }).pipe(
        Layer.provideMerge(OtelResource.layerFromEnv(OtelResource.configToAttributes({ serviceName: settings.serviceName })))
      )
      // Effect's tracer backed by it, without @effect/opentelemetry's per-fiber-step OpenTelemetry context
      // (nothing here reads OpenTelemetry's active context, and building it on every step cost ~10% CPU).
      // A remote parent that is not sampled (traceparent flags 00) is passed on as such: @effect/opentelemetry
      // reads the flags from a tag that Effect's own traceparent parsing (HTTP server, ...) does not set.
      const unsampled = Context.make(OtelTracer.OtelTraceFlags, 0)
      const withFlags = (parent: Option.Option<Tracer.AnySpan>): Option.Option<Tracer.AnySpan> => {
        if (Option.isNone(parent) || parent.value._tag !== "ExternalSpan" || parent.value.sampled) return parent
        if (Option.isSome(Context.getOption(parent.value.context, OtelTracer.OtelTraceFlags))) return parent
        return Option.some({ ...parent.value, context: Context.merge(parent.value.context, unsampled) })
      }
      const tracer = Layer.unwrapEffect(
        Effect.map(OtelTracer.make, (t) =>
          Layer.setTracer(
            Tracer.make({
              span: (name, parent, context, links, startTime, kind, options) => t.span(name, withFlags(parent), context, links, startTime, kind, options),
              context: (f) => f()
            })
          )
        )
      ).pipe(
        Layer.provide(OtelTracer.layerTracer.pipe(Layer.provideMerge(provider)))
      )
      return Layer.mergeAll(redactHeaders, Layer.succeed(Telemetry, service)).pipe(Layer.provideMerge(tracer))
    })
  )
}
