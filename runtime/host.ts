// Putting the runtime together: the layers (Store and Bus on SQLite, egress, EDI files, control numbers,
// metrics, secrets, the engine) and `start`, which runs the engine, the HTTP ingress and the EDI inbox
// scans until its scope closes. The scale-out engine swaps the Store/Bus layers; nothing else changes.
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Layer } from "effect"
import { layer as ediFilesLayer } from "./connectors/edi.ts"
import { poll as pollEdi } from "./connectors/ediInbound.ts"
import { type EgressConfig, layer as egressLayer } from "./connectors/http.ts"
import { layerEnv as secretsLayer } from "./connectors/secrets.ts"
import { Engine, type EngineConfig, Flows, layer as engineLayer } from "./engine/engine.ts"
import { type AnyFlow, isFlow } from "./engine/flow.ts"
import { layer as metricsLayer } from "./observe/metrics.ts"
import { type TelemetryConfig, layer as telemetryLayer } from "./observe/telemetry.ts"
import { serve, type IngressConfig } from "./server/ingress.ts"
import { layer as embeddedLayer } from "./store/embedded.ts"

export interface RuntimeConfig extends EngineConfig, EgressConfig, IngressConfig {
  /** Where the database and the EDI folders live (default `.tradelane/`). */
  readonly dataDir: string
  /** Environment the secret references read (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Histogram buckets (seconds); the registry's `durationBuckets`. */
  readonly buckets?: ReadonlyArray<number>
  /** Milliseconds between EDI inbox scans. */
  readonly ediPollInterval?: number
  /** Span export (OTEL_* environment by default; tests pass an exporter). */
  readonly telemetry?: TelemetryConfig
}

export const databaseFile = (dataDir: string): string => join(dataDir, "tradelane.db")

/** Every service the runtime needs, for these flows, on the embedded engine. */
export const layer = (flows: ReadonlyMap<string, AnyFlow>, config: RuntimeConfig) => {
  mkdirSync(config.dataDir, { recursive: true })
  const db = databaseFile(config.dataDir)
  // Store, Bus and control numbers share one connection, so an event commits with the step that publishes it.
  const store = embeddedLayer(db)
  // One Secrets instance, so the redaction of stored text and exported spans knows every value read.
  const secrets = secretsLayer(config.env)
  const base = Layer.mergeAll(
    store,
    egressLayer(config).pipe(Layer.provide(secrets)),
    ediFilesLayer(config.dataDir),
    metricsLayer(config.buckets),
    secrets,
    Layer.succeed(Flows, flows)
  )
  // Telemetry first: the tracer it installs is in place for everything built and started after it.
  const telemetry = telemetryLayer(config.telemetry).pipe(Layer.provide(secrets))
  return engineLayer(config).pipe(Layer.provideMerge(base), Layer.provideMerge(telemetry))
}

/** Runs the runtime until the scope closes; returns the ingress port. */
export const start = (config: RuntimeConfig) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    yield* engine.start
    yield* pollEdi({ pollInterval: config.ediPollInterval ?? 250 })
    return yield* serve(config)
  })

/** The flows of a compiled organisation: generated/index.ts `flows` (or every flow module's `flow`). */
export const loadFlows = (generatedDir: string) =>
  Effect.tryPromise({
    try: async () => {
      const mod = (await import(pathToFileURL(resolve(generatedDir, "index.ts")).href)) as Record<string, unknown>
      const out = new Map<string, AnyFlow>()
      const table = mod["flows"]
      if (typeof table === "object" && table !== null) for (const f of Object.values(table)) if (isFlow(f)) out.set(f.name, f)
      return { flows: out as ReadonlyMap<string, AnyFlow>, registry: mod }
    },
    catch: (cause) => new Error(`cannot load the compiled organisation from ${generatedDir}: ${cause instanceof Error ? cause.message : String(cause)}`)
  })
