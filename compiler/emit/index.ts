// compile: model -> lower (ir.ts) -> emit a sorted list of { path, text } -> (the CLI writes or checks it).
// Every phase is pure; the only outside state is the optional unit cache, keyed by content hash, so a
// changed spec re-emits only the units that depend on it and the result is the same with or without it.
import { createHash } from "node:crypto"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { normalize } from "../diagnostics/diagnostic.ts"
import { renderCatalogMarkdown } from "../diagnostics/catalog.ts"
import { digestOf } from "../model/digest.ts"
import type { Model } from "../model/model.ts"
import type { GuideShape } from "../model/shapes.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { emitFlows, emitGuideModules, FlowExpressionError } from "./flows.ts"
import type { FlowUnit, MappingUnit, ShapeUnit, Unit, UnitOrigin } from "./ir.ts"
import { compareText, jsLiteral } from "./literal.ts"
import { lowerModel } from "./lower.ts"
import { emitMapping, mappingDiagnostic } from "./mappings.ts"
import type { EmittedFile } from "./names.ts"
import { deferredFile, isDeferred } from "./names.ts"
import { asyncApiInput, renderAsyncApi } from "./ops/asyncapi.ts"
import { emitCatalog } from "./ops/catalog.ts"
import { emitCodeowners } from "./ops/codeowners.ts"
import { emitPrometheus } from "./ops/prometheus.ts"
import { emitEditorSchemas } from "./ops/schemas.ts"
import { planSlos } from "./ops/slo.ts"
import { emitRegistry } from "./registry.ts"
import { POOL_THRESHOLD, poolSize, startShapePool } from "./shape-pool.ts"
import type { ShapePool } from "./shape-pool.ts"
import { emitShapeFiles } from "./shapes.ts"
import { instantiateShape, shareShape } from "./shape-share.ts"
import type { SharedShape } from "./shape-share.ts"

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
  /** Worker threads for shape units (default: one per core, at most four; 0: emit everything in this thread). `stats.ms.shape` then sums the workers' time. */
  readonly workers?: number | undefined
  /** Emit shapes that differ only in names and descriptions once (shape-share.ts; default on, off with formatTypes). */
  readonly share?: boolean | undefined
  /** Progress callback: units done of all. */
  readonly progress?: ((done: number, total: number) => void) | undefined
}

export interface CompileStats {
  readonly units: number
  readonly cached: number
  /** Shape units emitted from a template shared with other shapes (see shape-share.ts). */
  readonly shared: number
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
export const unitKey = (unit: Unit, fingerprint: string, formatTypes: boolean): string => {
  const hash = createHash("sha256").update(`${fingerprint}\u0000${formatTypes ? "fmt" : "raw"}\u0000`)
  // A schema that is JSON.parse of a file's text is keyed by that text's hash (model/digest.ts), without
  // reading it when the unit knows its digest (the schema may not be parsed yet).
  const digest = unit.k === "shape" ? (unit.digest ?? digestOf(unit.schema)) : undefined
  if (digest !== undefined) {
    const rest: Record<string, unknown> = {}
    for (const k of Object.keys(unit)) if (k !== "schema" && k !== "digest") rest[k] = unit[k as keyof Unit]
    rest["schema"] = null
    hash.update(JSON.stringify(rest)).update(`\u0000${digest}`)
  } else hash.update(JSON.stringify(unit))
  return hash.digest("hex")
}

type UnitResult = { readonly files: ReadonlyArray<EmittedFile> } | { readonly diagnostics: ReadonlyArray<Diagnostic> }

/** A shape's files, or its validator failure as a finding at the schema. */
const shapeResult = (unit: ShapeUnit, origin: UnitOrigin | undefined, r: { readonly files: ReadonlyArray<EmittedFile> } | { readonly invalid: string }): UnitResult => {
  if ("files" in r) return { files: r.files }
  // ajv accepted the schema against the meta-schema but cannot compile it (an unresolvable $ref, an unknown format).
  const file = origin?.doc.file ?? unit.from[0] ?? ""
  const range = origin ? origin.doc.locate(origin.path) : { line: 1, column: 1, endLine: 1, endColumn: 1 }
  return { diagnostics: [diagnosticAt("TL2011", `${unit.key.replace(/^\w+:/, "")}: the schema cannot be compiled into a validator: ${r.invalid}`, file, range)] }
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

/**
 * A file whose text is code around data literals (the registry), cached by exactly what it prints: a
 * first pass records each literal's value and indentation in place of printing it (cheap), the key
 * hashes the text around them and the values' JSON; on a miss the literals are printed (costly). Values
 * that JSON cannot tell apart but jsLiteral prints differently (non-finite numbers) are not cached.
 */
const cachedLiterals = (cache: UnitCache | undefined, salt: string, emit: (lit: (value: unknown, indent?: number) => string) => EmittedFile): ReadonlyArray<EmittedFile> => {
  if (cache === undefined) return [emit(jsLiteral)]
  const values: Array<readonly [unknown, number]> = []
  const skeleton = emit((value, indent = 0) => `\u0000${values.push([value, indent]) - 1}\u0000`)
  let exact = true
  const json = JSON.stringify(values, (_k, v: unknown) => {
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) exact = false
    return v
  })
  if (!exact || skeleton.path.includes("\u0000")) return [emit(jsLiteral)]
  const key = createHash("sha256").update(`${salt}\u0000${skeleton.path}\u0000${skeleton.text}\u0000${json}`).digest("hex")
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const text = skeleton.text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
    const [value, indent] = values[Number(i)]!
    return jsLiteral(value, indent)
  })
  const files = [{ path: skeleton.path, text }]
  cache.set(key, files)
  return files
}

export const compileModel = async (model: Model, options: CompileOptions = {}): Promise<CompileOutput> => {
  const fingerprint = options.fingerprint ?? "dev"
  const formatTypes = options.formatTypes === true
  // Phase 1: lower.
  const lowered = lowerModel(model, { guideShape: options.guideShape })
  // Phase 2: emit units (cached by content hash). Shape units that miss go to a worker pool when there
  // are enough of them, while this thread emits mappings and flows; results are merged in unit order.
  const diagnostics: Diagnostic[] = []
  let cached = 0
  let done = 0
  const ms = { shape: 0, mapping: 0, flow: 0, organisation: 0 }
  const keys = lowered.units.map((unit) => (options.cache ? unitKey(unit, fingerprint, formatTypes) : ""))
  const results: Array<ReadonlyArray<EmittedFile> | UnitResult | Promise<UnitResult>> = []
  const tick = () => options.progress?.(++done, lowered.units.length)
  const hits = lowered.units.map((_, i) => options.cache?.get(keys[i]!))
  // Shape misses that share a template with another miss are emitted once, as the template.
  const sharing = new Map<number, SharedShape>()
  if (options.share !== false && !formatTypes) {
    const byKey = new Map<string, number[]>()
    lowered.units.forEach((u, i) => {
      if (u.k !== "shape" || hits[i] !== undefined) return
      const s = shareShape(u)
      if (s === undefined) return
      sharing.set(i, s)
      const members = byKey.get(s.key)
      if (members) members.push(i)
      else byKey.set(s.key, [i])
    })
    for (const members of byKey.values()) if (members.length < 2) sharing.delete(members[0]!)
  }
  const shapeTasks = lowered.units.filter((u, i) => u.k === "shape" && hits[i] === undefined && !sharing.has(i)).length + new Set([...sharing.values()].map((s) => s.key)).size
  const size = options.workers ?? poolSize()
  const pool: ShapePool | undefined = shapeTasks >= POOL_THRESHOLD && size > 0 ? startShapePool(size) : undefined
  type ShapeRaw = Awaited<ReturnType<typeof emitShapeFiles>>
  const inProcessRaw = async (unit: ShapeUnit): Promise<ShapeRaw> => {
    const started = performance.now()
    const r = await emitShapeFiles(unit, formatTypes)
    ms.shape += performance.now() - started
    return r
  }
  const inProcess = async (unit: ShapeUnit, origin: UnitOrigin | undefined): Promise<UnitResult> => shapeResult(unit, origin, await inProcessRaw(unit))
  // A pool that fails (a worker that cannot start or dies) leaves the unit to this thread.
  const viaPool = (p: ShapePool, unit: ShapeUnit): Promise<ShapeRaw> =>
    p.emit(unit, formatTypes).then(
      (r) => {
        ms.shape += r.ms
        return r
      },
      () => inProcessRaw(unit)
    )
  const templates = new Map<string, Promise<ShapeRaw>>()
  let shared = 0
  const sharedResult = async (unit: ShapeUnit, s: SharedShape, origin: UnitOrigin | undefined): Promise<UnitResult> => {
    let template = templates.get(s.key)
    if (template === undefined) {
      template = pool ? viaPool(pool, s.template) : inProcessRaw(s.template)
      templates.set(s.key, template)
    }
    const t = await template
    const files = "files" in t ? instantiateShape(unit, s, t.files) : undefined
    if (files !== undefined) {
      shared++
      return { files }
    }
    // A check failed (or the template has no validator): this shape is emitted on its own.
    return shapeResult(unit, origin, await (pool ? viaPool(pool, unit) : inProcessRaw(unit)))
  }
  try {
    // Shapes first, so that the pool is busy while the rest is emitted here.
    lowered.units.forEach((unit, i) => {
      const hit = hits[i]
      if (hit) {
        cached++
        results[i] = hit
        tick()
      } else if (unit.k === "shape" && pool) {
        const origin = lowered.origins.get(unit.key)
        const s = sharing.get(i)
        const pending = (s !== undefined ? sharedResult(unit, s, origin) : viaPool(pool, unit).then((r) => shapeResult(unit, origin, r))).finally(tick)
        // Awaited below in unit order; a failure is not unhandled if this thread fails first.
        pending.catch(() => undefined)
        results[i] = pending
      }
    })
    let lastYield = performance.now()
    for (let i = 0; i < lowered.units.length; i++) {
      if (results[i] !== undefined) continue
      const unit = lowered.units[i]!
      const origin = lowered.origins.get(unit.key)
      if (unit.k === "shape") {
        const s = sharing.get(i)
        results[i] = s !== undefined ? await sharedResult(unit, s, origin) : await inProcess(unit, origin)
      } else {
        const started = performance.now()
        results[i] = unit.k === "mapping" ? emitMappingUnit(unit, origin) : emitFlowUnit(model, unit, origin, options.guideShape)
        ms[unit.k] += performance.now() - started
      }
      tick()
      // Let the pool's replies in (each hands its worker the next task) every few milliseconds.
      if (pool && performance.now() - lastYield > 5) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        lastYield = performance.now()
      }
    }
    // This thread's own units are done: it takes shapes no worker has started yet. Emitting a shape never
    // waits on a macrotask, so it yields before each one to let the workers' replies (and next tasks) through.
    const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve))
    for (let task = pool ? (await yieldNow(), pool.steal()) : undefined; task !== undefined; task = (await yieldNow(), pool!.steal())) {
      const started = performance.now()
      try {
        const r = await emitShapeFiles(task.unit, task.formatTypes)
        task.resolve({ ...r, ms: performance.now() - started })
      } catch (cause) {
        task.reject(cause instanceof Error ? cause : new Error(String(cause)))
      }
    }
    for (let i = 0; i < lowered.units.length; i++) results[i] = await results[i]!
  } finally {
    await pool?.close()
  }
  const generated: EmittedFile[] = []
  lowered.units.forEach((_, i) => {
    const r = results[i] as ReadonlyArray<EmittedFile> | UnitResult
    if (Array.isArray(r)) generated.push(...(r as ReadonlyArray<EmittedFile>))
    else if ("files" in r) {
      generated.push(...r.files)
      options.cache?.set(keys[i]!, r.files)
    } else diagnostics.push(...(r as { readonly diagnostics: ReadonlyArray<Diagnostic> }).diagnostics)
  })
  // Phase 3: whole-organisation artifacts.
  const started = performance.now()
  const plans = planSlos(model)
  // The AsyncAPI document is cheap to build and costly to print (YAML): printed text is cached by the document.
  const asyncApi = asyncApiInput(model)
  const asyncApiKey = options.cache ? createHash("sha256").update(`${fingerprint}\u0000artifact:asyncapi\u0000${JSON.stringify(asyncApi)}`).digest("hex") : ""
  let asyncApiFiles = options.cache?.get(asyncApiKey)
  if (asyncApiFiles === undefined) {
    asyncApiFiles = [renderAsyncApi(asyncApi)]
    options.cache?.set(asyncApiKey, asyncApiFiles)
  }
  generated.push(...emitGuideModules(model), ...emitPrometheus(plans), ...asyncApiFiles, emitCatalog(model, plans), ...emitEditorSchemas())
  generated.push(...cachedLiterals(options.cache, `${fingerprint}\u0000artifact:registry`, (lit) => emitRegistry({ model, plans, produced: new Set(generated.map((f) => f.path)) }, lit)))
  ms.organisation = performance.now() - started
  // Phase 4: one sorted list, relative to the project root.
  const files: EmittedFile[] = [
    ...generated.map((f) => (isDeferred(f) ? deferredFile(`${GENERATED_DIR}/${f.path}`, () => f.text) : { path: `${GENERATED_DIR}/${f.path}`, text: f.text })),
    emitCodeowners(model),
    { path: DIAGNOSTICS_DOC, text: renderCatalogMarkdown() }
  ].sort((a, b) => compareText(a.path, b.path))
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.path === files[i - 1]!.path) throw new Error(`two emitters produced ${files[i]!.path}`)
  }
  // (A deferred file is on disk as this compiler emitted it, and was checked then.)
  for (const f of files) if (!isDeferred(f) && f.text.includes("\r")) throw new Error(`${f.path} holds a carriage return`)
  return { files, diagnostics: normalize(diagnostics), stats: { units: lowered.units.length, cached, shared, ms } }
}
