// A pool of worker threads for the shape units (json-schema-to-typescript and ajv standalone codegen
// dominate a full compile). Each worker runs emitShapeFiles, the same function the main thread runs, so
// the output does not depend on where a unit was emitted; the caller merges results in unit order.
// Workers load the TypeScript sources through tsx's loader, registered in each worker. A worker that
// cannot start or dies fails its tasks, which the caller then emits in its own thread.
import { availableParallelism } from "node:os"
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import type { ShapeUnit } from "./ir.ts"
import type { EmittedFile } from "./names.ts"
import type { ShapeReply, ShapeTask } from "./shape-worker.ts"

export type ShapeResult = { readonly files: ReadonlyArray<EmittedFile>; readonly ms: number } | { readonly invalid: string; readonly ms: number }

export interface ShapePool {
  readonly emit: (unit: ShapeUnit, formatTypes: boolean) => Promise<ShapeResult>
  readonly close: () => Promise<void>
}

/** Shapes to emit below which a pool costs more (worker start-up) than it saves. */
export const POOL_THRESHOLD = 48

/** Workers for this machine: one per core, at most four, none on a single core. */
export const poolSize = (): number => {
  const cores = availableParallelism()
  return cores < 2 ? 0 : Math.min(4, cores)
}

const BOOTSTRAP = `
const { workerData } = require("node:worker_threads")
;(async () => {
  const tsx = await import(workerData.tsx)
  tsx.register()
  await import(workerData.entry)
})().catch((e) => { setImmediate(() => { throw e }) })
`

export const startShapePool = (size: number): ShapePool => {
  const entry = new URL("./shape-worker.ts", import.meta.url).href
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href
  let nextId = 0
  const pending = new Map<number, { readonly resolve: (r: ShapeResult) => void; readonly reject: (e: Error) => void; readonly worker: number }>()
  const load = new Array<number>(size).fill(0)
  const failWorker = (w: number, error: Error): void => {
    for (const [id, p] of pending) {
      if (p.worker !== w) continue
      pending.delete(id)
      load[w]!--
      p.reject(error)
    }
  }
  let closing = false
  const workers = Array.from({ length: size }, (_, w) => {
    // A larger young generation: ajv's code generation allocates many short-lived objects.
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, tsx }, resourceLimits: { maxYoungGenerationSizeMb: 64 } })
    worker.on("message", (reply: ShapeReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      load[w]!--
      if ("files" in reply) p.resolve({ files: reply.files, ms: reply.ms })
      else if ("invalid" in reply) p.resolve({ invalid: reply.invalid, ms: reply.ms })
      else p.reject(new Error(reply.failed))
    })
    worker.on("error", (e) => failWorker(w, e instanceof Error ? e : new Error(String(e))))
    worker.on("exit", (code) => {
      if (!closing) failWorker(w, new Error(`a shape worker exited (${code})`))
    })
    return worker
  })
  return {
    emit: (unit, formatTypes) =>
      new Promise<ShapeResult>((resolve, reject) => {
        // The least loaded worker takes the task (ties: the lowest index).
        let w = 0
        for (let i = 1; i < size; i++) if (load[i]! < load[w]!) w = i
        const id = nextId++
        pending.set(id, { resolve, reject, worker: w })
        load[w]!++
        workers[w]!.postMessage({ id, unit, formatTypes } satisfies ShapeTask)
      }),
    close: async () => {
      closing = true
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }
}
