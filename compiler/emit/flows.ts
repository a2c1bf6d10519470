// Emits one Effect program per Flow (generated/flows/<name>.ts, exporting `flow`) with ts-morph,
// typed end to end, calling only the runtime library's public API.
import type { Model } from "../model/model.ts"
import type { EmittedFile } from "./names.ts"

export interface FlowEmitOptions {
  /** Turns a guide spec into the JSON Schema of its structured JSON (from the EDI engine). */
  readonly guideShape?: (guideSpec: unknown) => { readonly [key: string]: unknown }
}

export const emitFlows = (model: Model, _options: FlowEmitOptions = {}): ReadonlyArray<EmittedFile> => {
  void model
  return []
}
