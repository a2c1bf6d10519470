// A worker of the shape pool (shape-pool.ts): emits one shape unit's types and validator modules per
// message, exactly as the main thread would (emitShapeFiles), and answers with the files or the failure.
import { parentPort } from "node:worker_threads"
import type { ShapeUnit } from "./ir.ts"
import { emitShapeFiles } from "./shapes.ts"

export interface ShapeTask {
  readonly id: number
  readonly unit: ShapeUnit
  readonly formatTypes: boolean
}

export type ShapeReply =
  | { readonly id: number; readonly ms: number; readonly files: ReadonlyArray<{ readonly path: string; readonly text: string }> }
  | { readonly id: number; readonly ms: number; readonly invalid: string }
  | { readonly id: number; readonly ms: number; readonly failed: string }

const port = parentPort
if (port) {
  // One task at a time, in arrival order (json-schema-to-typescript is asynchronous; interleaving would
  // only hold more schemas in memory at once).
  let queue: Promise<void> = Promise.resolve()
  port.on("message", (task: ShapeTask) => {
    queue = queue.then(async () => {
      const started = performance.now()
      try {
        const r = await emitShapeFiles(task.unit, task.formatTypes)
        port.postMessage({ id: task.id, ms: performance.now() - started, ...r } satisfies ShapeReply)
      } catch (cause) {
        port.postMessage({ id: task.id, ms: performance.now() - started, failed: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) } satisfies ShapeReply)
      }
    })
  })
}
