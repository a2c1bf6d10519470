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
  /** Takes a task no worker has started, for the caller to run and settle itself (work sharing). */
  readonly steal: () => { readonly unit: ShapeUnit; readonly formatTypes: boolean; readonly resolve: (r: ShapeResult) => void; readonly reject: (e: Error) => void } | undefined
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

/** Tasks in flight per worker: enough to keep it busy while this thread is busy too. */
const WINDOW = 8

interface Queued {
  readonly unit: ShapeUnit
  readonly formatTypes: boolean
  readonly resolve: (r: ShapeResult) => void
  readonly reject: (e: Error) => void
}

export const startShapePool = (size: number): ShapePool => {
  const entry = new URL("./shape-worker.ts", import.meta.url).href
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href
  let nextId = 0
  const queue: Queued[] = []
  let head = 0
  const pending = new Map<number, Queued & { readonly worker: number }>()
  const load = new Array<number>(size).fill(0)
  const alive = new Array<boolean>(size).fill(true)
  let closing = false
  const failWorker = (w: number, error: Error): void => {
    alive[w] = false
    for (const [id, p] of pending) {
      if (p.worker !== w) continue
      pending.delete(id)
      load[w]!--
      p.reject(error)
    }
  }
  const dispatch = (w: number): void => {
    while (alive[w] && !closing && load[w]! < WINDOW && head < queue.length) {
      const task = queue[head++]!
      const id = nextId++
      pending.set(id, { ...task, worker: w })
      load[w]!++
      workers[w]!.postMessage({ id, unit: task.unit, formatTypes: task.formatTypes } satisfies ShapeTask)
    }
  }
  const workers = Array.from({ length: size }, (_, w) => {
    // A larger young generation: ajv's code generation allocates many short-lived objects.
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, tsx }, resourceLimits: { maxYoungGenerationSizeMb: 64 } })
    worker.on("message", (reply: ShapeReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      pending.delete(reply.id)
      load[w]!--
      dispatch(w)
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
        queue.push({ unit, formatTypes, resolve, reject })
        for (let w = 0; w < size; w++) dispatch(w)
      }),
    steal: () => (head < queue.length ? queue[head++] : undefined),
    close: async () => {
      closing = true
      // Tasks never sent fail (their callers emit them in their own thread).
      while (head < queue.length) queue[head++]!.reject(new Error("the shape pool closed"))
      await Promise.all(workers.map((w) => w.terminate()))
    }
  }
}
