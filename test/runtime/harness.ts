// Test harness: the compiled example organisation on a fresh SQLite data dir with the sandbox, in this
// process (or the runtime as a child process, for crash tests).
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { Effect, Exit, Layer, Scope } from "effect"
import { Engine, type EngineService } from "../../runtime/engine/engine.ts"
import { layer as runtimeLayer, loadFlows, type RuntimeConfig, start } from "../../runtime/host.ts"
import { make as makeSandbox, runtimeSettings, type SandboxOptions, type SandboxState } from "../../runtime/sandbox/index.ts"
import { Store, type StoreService } from "../../runtime/store/Store.ts"

export const root = resolve(import.meta.dirname, "../..")

export const STOCK: Record<string, Record<string, number>> = {
  IPOD2008GREEN: { RNO1: 1e6, ATL1: 1e6, CMH1: 1e6 },
  IPOD2008RED: { RNO1: 1e6, ATL1: 1e6 },
  IPOD2008BLACK: { RNO1: 1e6, ATL1: 1e6 },
  "BK-CARD-0001": { RNO1: 1e6 },
  AB3542: { CMH1: 1e6 },
  RD5322: { CMH1: 1e6 },
  XY5266: { CMH1: 1e6 },
  VX2332: { CMH1: 1e6 },
  RV0524: { CMH1: 1e6 },
  DX1875: { CMH1: 1e6 }
}

export const NO_LIMITS = { erp: null, wms: null, "amazon-us": null, "shopify-main": null }

export interface Harness {
  readonly engine: EngineService
  readonly store: StoreService
  readonly sandbox: SandboxState
  readonly base: string
  readonly dataDir: string
  readonly close: () => Promise<void>
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `tradelane-${prefix}-`))

/** The runtime in this process with the sandbox; `close` stops both. */
export const startHarness = async (options: { sandbox?: SandboxOptions; runtime?: Partial<RuntimeConfig> } = {}): Promise<Harness> => {
  const scope = await Effect.runPromise(Scope.make())
  const dataDir = tempDir("rt")
  const program = Effect.gen(function* () {
    const { flows } = yield* loadFlows(join(root, "generated"))
    const sandbox = yield* makeSandbox({ stock: STOCK, wmsStepMs: 20, ...options.sandbox })
    const config: RuntimeConfig = { dataDir, ...runtimeSettings(sandbox), retryScale: 0.001, schedules: "manual", holdRecheck: 500, ediPollInterval: 100, ...options.runtime }
    const ctx = yield* Layer.build(runtimeLayer(flows, config))
    const { port } = yield* Effect.provide(start(config), ctx)
    const base = `http://127.0.0.1:${port}`
    sandbox.connect(base)
    const engine = yield* Effect.provide(Engine, ctx)
    const store = yield* Effect.provide(Store, ctx)
    return { engine, store, sandbox, base, dataDir }
  })
  const h = await Effect.runPromise(Scope.extend(program, scope))
  return { ...h, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)

/** Starts `tradelane run` as a child process; resolves with its ingress URL. */
export const spawnRuntime = (dataDir: string, sandbox: SandboxState, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string }> =>
  new Promise((res, rej) => {
    const s = runtimeSettings(sandbox)
    const args = ["--import", "tsx", join(root, "compiler/cli/main.ts"), "run", "--data-dir", dataDir, "--port", "0", "--retry-scale", "0.001"]
    for (const [p, url] of Object.entries(s.endpoints)) args.push("--endpoint", `${p}=${url}`)
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...s.env, TRADELANE_TOKEN_URLS: JSON.stringify(s.tokenUrls), ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    const timer = setTimeout(() => rej(new Error(`runtime did not start: ${out}`)), 30_000)
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /ingress (http:\/\/[^\s,]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        res({ child, base: m[1]! })
      }
    })
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()))
    child.on("exit", (code) => {
      clearTimeout(timer)
      if (!/ingress/.test(out)) rej(new Error(`runtime exited ${code}: ${out}`))
    })
  })

export const shuffle = <T>(xs: T[], rnd: () => number = Math.random): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
