// compile: model -> lower (ir.ts) -> emit a sorted list of { path, text } -> (the CLI writes or checks it).
// Every phase is pure; the only outside state is the optional unit cache, keyed by content hash, so a
// changed spec re-emits only the units that depend on it and the result is the same with or without it.
import { createHash } from "node:crypto"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { normalize } from "../diagnostics/diagnostic.ts"
import { renderCatalogMarkdown } from "../diagnostics/catalog.ts"
import type { Model } from "../model/model.ts"
import type { GuideShape } from "../model/shapes.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { emitFlows, FlowExpressionError } from "./flows.ts"
import type { FlowUnit, MappingUnit, ShapeUnit, Unit, UnitOrigin } from "./ir.ts"
import { compareText } from "./literal.ts"
import { lowerModel } from "./lower.ts"
import { emitMapping, mappingDiagnostic } from "./mappings.ts"
import type { EmittedFile } from "./names.ts"
import { emitAsyncApi } from "./ops/asyncapi.ts"
import { emitCatalog } from "./ops/catalog.ts"
import { emitCodeowners } from "./ops/codeowners.ts"
import { emitPrometheus } from "./ops/prometheus.ts"
import { emitEditorSchemas } from "./ops/schemas.ts"
import { planSlos } from "./ops/slo.ts"
import { emitRegistry } from "./registry.ts"
import { emitShapeTypes, emitShapeValidator } from "./shapes.ts"

/** The folder generated artifacts live in, relative to the project root. */
export const GENERATED_DIR = "generated"
/** Files outside generated/ that compile also keeps in step (relative to the project root). */
export const DIAGNOSTICS_DOC = "docs/diagnostics.md"

/** Emitted units by content hash. Implementations may persist (see cache.ts); a miss is never an error. */
export interface UnitCache {
  readonly get: (key: string) => ReadonlyArray<EmittedFile> | undefined
  readonly set: (key: string, files: ReadonlyArray<EmittedFile>) => void
}

export interface CompileOptions {
  readonly guideShape?: GuideShape | undefined
  readonly cache?: UnitCache | undefined
  /** Identifies the emitters' version; part of every cache key. */
  readonly fingerprint?: string | undefined
  /** Pretty-print types with prettier (slower). */
  readonly formatTypes?: boolean | undefined
  /** Progress callback: units done of all. */
  readonly progress?: ((done: number, total: number) => void) | undefined
}

export interface CompileStats {
  readonly units: number
  readonly cached: number
  /** Milliseconds spent emitting each kind of unit (cache misses) and the whole-organisation artifacts. */
  readonly ms: { readonly shape: number; readonly mapping: number; readonly flow: number; readonly organisation: number }
}

export interface CompileOutput {
  /** Relative to the project root (generated/…, .github/CODEOWNERS, docs/diagnostics.md), sorted, LF. */
  readonly files: ReadonlyArray<EmittedFile>
  readonly diagnostics: ReadonlyArray<Diagnostic>
  readonly stats: CompileStats
}

/** The cache key of a unit: its whole content (which holds no document or position) and the emitters' fingerprint. */
export const unitKey = (unit: Unit, fingerprint: string, formatTypes: boolean): string =>
  createHash("sha256").update(`${fingerprint}\u0000${formatTypes ? "fmt" : "raw"}\u0000${JSON.stringify(unit)}`).digest("hex")

type UnitResult = { readonly files: ReadonlyArray<EmittedFile> } | { readonly diagnostics: ReadonlyArray<Diagnostic> }

const emitShape = async (unit: ShapeUnit, origin: UnitOrigin | undefined, formatTypes: boolean): Promise<UnitResult> => {
  let validator: ReadonlyArray<EmittedFile>
  try {
    validator = emitShapeValidator(unit)
  } catch (cause) {
    // ajv accepted the schema against the meta-schema but cannot compile it (an unresolvable $ref, an unknown format).
    const message = cause instanceof Error ? cause.message : String(cause)
    const file = origin?.doc.file ?? unit.from[0] ?? ""
    const range = origin ? origin.doc.locate(origin.path) : { line: 1, column: 1, endLine: 1, endColumn: 1 }
    return { diagnostics: [diagnosticAt("TL2011", `${unit.key.replace(/^\w+:/, "")}: the schema cannot be compiled into a validator: ${message}`, file, range)] }
  }
  return { files: [await emitShapeTypes(unit, { format: formatTypes }), ...validator] }
}

const emitMappingUnit = (unit: MappingUnit, origin: UnitOrigin | undefined): UnitResult => {
  const r = emitMapping(unit)
  if ("files" in r) return r
  if (!origin) throw new Error(`mapping unit ${unit.key} has no origin`)
  return { diagnostics: r.errors.map((e) => mappingDiagnostic(unit, origin, e)) }
}

const FLOW_CODES = new Set(["TL4101", "TL4102", "TL4103", "TL4104"])

/** One flow's module: flows.ts over the model narrowed to that flow; a rejected expression is a positioned finding. */
const emitFlowUnit = (model: Model, unit: FlowUnit, origin: UnitOrigin | undefined, guideShape: GuideShape | undefined): UnitResult => {
  const flow = model.flows.get(unit.name)
  if (!flow) throw new Error(`flow unit ${unit.key} has no flow`)
  try {
    return { files: emitFlows({ ...model, flows: new Map([[unit.name, flow]]) }, guideShape ? { guideShape } : {}) }
  } catch (cause) {
    if (!(cause instanceof FlowExpressionError)) throw cause
    const doc = origin?.doc ?? flow.doc
    return {
      diagnostics: cause.errors.map((e) =>
        diagnosticAt(FLOW_CODES.has(e.code) ? e.code : "TL4101", `flow '${cause.flow}': ${e.message}`, doc.file, doc.locateIn(cause.path, e.exprOffset), {
          hint: e.hint,
          path: cause.path.join(".")
        })
      )
    }
  }
}

export const compileModel = async (model: Model, options: CompileOptions = {}): Promise<CompileOutput> => {
  const fingerprint = options.fingerprint ?? "dev"
  const formatTypes = options.formatTypes === true
  // Phase 1: lower.
  const lowered = lowerModel(model, { guideShape: options.guideShape })
  // Phase 2: emit units (cached by content hash).
  const generated: EmittedFile[] = []
  const diagnostics: Diagnostic[] = []
  let cached = 0
  let done = 0
  const ms = { shape: 0, mapping: 0, flow: 0, organisation: 0 }
  for (const unit of lowered.units) {
    const key = options.cache ? unitKey(unit, fingerprint, formatTypes) : ""
    const hit = options.cache?.get(key)
    if (hit) {
      cached++
      generated.push(...hit)
    } else {
      const origin = lowered.origins.get(unit.key)
      const started = performance.now()
      const result =
        unit.k === "shape" ? await emitShape(unit, origin, formatTypes) : unit.k === "mapping" ? emitMappingUnit(unit, origin) : emitFlowUnit(model, unit, origin, options.guideShape)
      ms[unit.k] += performance.now() - started
      if ("files" in result) {
        generated.push(...result.files)
        options.cache?.set(key, result.files)
      } else diagnostics.push(...result.diagnostics)
    }
    options.progress?.(++done, lowered.units.length)
  }
  // Phase 3: whole-organisation artifacts.
  const started = performance.now()
  const plans = planSlos(model)
  generated.push(...emitPrometheus(plans), emitAsyncApi(model), emitCatalog(model, plans), ...emitEditorSchemas())
  generated.push(emitRegistry({ model, plans, produced: new Set(generated.map((f) => f.path)) }))
  ms.organisation = performance.now() - started
  // Phase 4: one sorted list, relative to the project root.
  const files: EmittedFile[] = [
    ...generated.map((f) => ({ path: `${GENERATED_DIR}/${f.path}`, text: f.text })),
    emitCodeowners(model),
    { path: DIAGNOSTICS_DOC, text: renderCatalogMarkdown() }
  ].sort((a, b) => compareText(a.path, b.path))
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.path === files[i - 1]!.path) throw new Error(`two emitters produced ${files[i]!.path}`)
  }
  for (const f of files) if (f.text.includes("\r")) throw new Error(`${f.path} holds a carriage return`)
  return { files, diagnostics: normalize(diagnostics), stats: { units: lowered.units.length, cached, ms } }
}
