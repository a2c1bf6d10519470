// `tradelane run`: starts the runtime from generated/ (SQLite under the data dir, HTTP ingress, EDI inbox
// scans, schedules) and runs until interrupted.
import { resolve } from "node:path"
import { Command, Options } from "@effect/cli"
import { Effect, Layer } from "effect"
import { layer as runtimeLayer, loadFlows, start } from "../../../runtime/host.ts"
import type { AnyFlow } from "../../../runtime/engine/flow.ts"
import { reason, setExit, write, writeErr } from "../io.ts"
import { dataDirOption } from "./trace.ts"

const endpointsOption = Options.keyValueMap("endpoint").pipe(
  Options.withDescription("partner=baseUrl, replacing a partner's declared base URL (e.g. a sandbox or staging tenant)."),
  Options.optional
)

/** Every partner the flows call over HTTP. */
const partnersOf = (flows: ReadonlyMap<string, AnyFlow>): string[] => {
  const out = new Set<string>()
  for (const f of flows.values()) {
    if (f.trigger._tag === "schedule" && f.trigger.call) out.add(f.trigger.call.http.partner)
    for (const s of f.steps) if (s.action._tag === "call" || s.action._tag === "enrich") out.add(s.action.http.partner)
  }
  return [...out]
}

export const runCommand = Command.make(
  "run",
  {
    dataDir: dataDirOption,
    port: Options.integer("port").pipe(Options.withDefault(8080), Options.withDescription("Ingress port (0 = any free port).")),
    host: Options.text("host").pipe(Options.withDefault("127.0.0.1")),
    generated: Options.directory("generated").pipe(Options.withDefault("generated")),
    retryScale: Options.float("retry-scale").pipe(Options.withDefault(1), Options.withDescription("Multiply every declared retry delay (tests use < 1).")),
    endpoints: endpointsOption
  },
  ({ dataDir, port, host, generated, retryScale, endpoints }) =>
    Effect.scoped(
      Effect.gen(function* () {
        const { flows, registry } = yield* loadFlows(resolve(generated))
        const eps = endpoints._tag === "Some" ? Object.fromEntries(endpoints.value) : {}
        const buckets = registry["durationBuckets"] as ReadonlyArray<number> | undefined
        const config = {
          dataDir: resolve(dataDir),
          port,
          host,
          retryScale,
          endpoints: eps,
          ...(process.env["TRADELANE_OPS_TOKEN"] ? { opsToken: process.env["TRADELANE_OPS_TOKEN"] } : {}),
          ...(process.env["TRADELANE_TOKEN_URLS"] ? { tokenUrls: JSON.parse(process.env["TRADELANE_TOKEN_URLS"]) as Record<string, string> } : {}),
          ...(process.env["TRADELANE_RATE_LIMITS"] === "off" ? { rateLimits: Object.fromEntries(partnersOf(flows).map((p) => [p, null])) } : {}),
          ...(buckets ? { buckets } : {})
        }
        const ctx = yield* Layer.build(runtimeLayer(flows, config))
        const bound = yield* Effect.provide(start(config), ctx)
        yield* write(`tradelane runtime: ${flows.size} flows, ingress http://${host}:${bound.port}, data ${config.dataDir}\n`)
        return yield* Effect.never
      }).pipe(
        // What keeps it from starting (no compiled organisation, a database it cannot open, a port in use), said plainly.
        Effect.catchAll((e) => Effect.zipRight(writeErr(`tradelane run: ${reason(e)}\n`), setExit(1)))
      )
    )
).pipe(Command.withDescription("Start the runtime from generated/ and run until interrupted."))
