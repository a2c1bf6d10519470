// Test harness: compile a field tree, load the generated module in-process (transpiled with
// typescript's transpileModule, its one import bound to runtime/mapping), and run the same mapping
// through the jsonata interpreter for the differential comparison.
import jsonata from "jsonata"
import ts from "typescript"
import { Either } from "effect"
import * as runtime from "../../runtime/mapping/index.ts"
import {
  compileMappingModule,
  toJsonataExpression,
  type FieldTree,
  type LookupTables,
  type MappingCompileError,
  type MappingCompileInput
} from "../../compiler/emit/jsonata/index.ts"

export const RUNTIME_IMPORT = "../../runtime/mapping/index.ts"

export type Outcome = { readonly ok: unknown } | { readonly error: string }

export interface Compiled {
  readonly code: string
  readonly apply: (input: unknown) => unknown
}

export const compile = (fields: FieldTree, tables?: LookupTables, extra?: Partial<MappingCompileInput>): Compiled => {
  const result = compileMappingModule({ name: "test-mapping", fields, tables, runtimeImport: RUNTIME_IMPORT, ...extra })
  if (Either.isLeft(result)) {
    throw new Error(`compile failed: ${JSON.stringify(result.left, null, 2)}`)
  }
  return { code: result.right.code, apply: load(result.right.code) }
}

export const compileErrors = (fields: FieldTree, tables?: LookupTables): ReadonlyArray<MappingCompileError> => {
  const result = compileMappingModule({ name: "test-mapping", fields, tables, runtimeImport: RUNTIME_IMPORT })
  if (Either.isRight(result)) throw new Error(`expected compile errors, got a module:\n${result.right.code}`)
  return result.left
}

/** Evaluates a generated module without touching the disk. */
export const load = (code: string): ((input: unknown) => unknown) => {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }
  }).outputText
  const mod: { exports: Record<string, unknown> } = { exports: {} }
  const require = (id: string): unknown => {
    if (id === RUNTIME_IMPORT) return runtime
    throw new Error(`generated module imports unexpected '${id}'`)
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("module", "exports", "require", js)(mod, mod.exports, require)
  const apply = mod.exports["apply"]
  if (typeof apply !== "function") throw new Error("generated module has no apply()")
  return apply as (input: unknown) => unknown
}

export const run = (apply: (input: unknown) => unknown, input: unknown): Outcome => {
  try {
    return { ok: apply(input) }
  } catch (e: unknown) {
    if (e instanceof runtime.MappingError) return { error: e.code }
    throw e
  }
}

export interface Interpreter {
  /** Evaluates on a copy of `input`; `mutated` when jsonata changed that copy while evaluating. */
  readonly evaluate: (input: unknown) => Promise<Outcome & { readonly mutated?: boolean }>
}

/** The jsonata interpreter over `toJsonataExpression(fields)`, with `$lookup` registered. */
export const interpreter = (fields: FieldTree, tables?: LookupTables): Interpreter => {
  const expr = jsonata(toJsonataExpression(fields))
  const maps = new Map(Object.entries(tables ?? {}).map(([name, rows]) => [name, runtime.table(Object.entries(rows))] as const))
  expr.registerFunction("lookup", (name: unknown, key: unknown, dflt: unknown) => {
    const t = typeof name === "string" ? maps.get(name) : undefined
    return t === undefined ? undefined : runtime.lookupTable(t, key, dflt)
  })
  return {
    evaluate: async (input) => {
      // jsonata 2.2 pushes `undefined` into an empty array it groups over (an object constructor whose
      // context is `[]`), changing the input under its own feet; such runs are reported as `mutated`.
      const copy = structuredClone(input)
      let outcome: Outcome
      try {
        outcome = { ok: await expr.evaluate(copy) }
      } catch (e: unknown) {
        const code = typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "?"
        outcome = { error: code }
      }
      return same(copy, input) ? outcome : { ...outcome, mutated: true }
    }
  }
}

/** Deep equality for JSON results: arrays by items (ignoring JSONata's `sequence` flags), objects by own keys. */
export const same = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false
    return true
  }
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  if (ka.length !== kb.length) return false
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false
  for (const k of ka) if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  return true
}

/** Outcomes agree: equal values, or both failed (codes compared only when asked). */
export const agree = (compiled: Outcome, interpreted: Outcome, codes = false): boolean => {
  if ("ok" in compiled && "ok" in interpreted) return same(compiled.ok, interpreted.ok)
  if ("error" in compiled && "error" in interpreted) return !codes || compiled.error === interpreted.error
  return false
}

export const show = (o: Outcome): string =>
  "ok" in o ? `ok ${JSON.stringify(o.ok, (_k, v: unknown) => (v === undefined ? "<undefined>" : v))}` : `error ${o.error}`
