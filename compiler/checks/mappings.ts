// Mapping checks: target fields exist in the target schema, source paths exist in the source schema,
// expression types fit target field types, required target fields are produced, lookups name tables.
import { parseExpression } from "../model/expressions.ts"
import { checkMapping } from "../emit/jsonata/index.ts"
import type { FieldTree, LookupTables } from "../emit/jsonata/index.ts"
import { didYouMean, suggestion } from "../diagnostics/didyoumean.ts"
import type { JsonSchema, MappingNode } from "../model/model.ts"
import type { BasicType, GuideShape } from "../model/shapes.ts"
import { itemsOf, propertyOf, requiredOf, shapeOf, typesOf } from "../model/shapes.ts"
import type { MappingEnd } from "../model/shapes.ts"
import type { JsonPath } from "../parse/yaml.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { showPath } from "../validate/schema.ts"
import type { CheckContext } from "./context.ts"
import { makeContext } from "./context.ts"
import { createHash } from "node:crypto"
import { digestOf, documentDigestOf } from "../model/digest.ts"

type Ast = { type: string; value?: unknown; position?: number; [k: string]: unknown }

/** What an expression is known to produce. `list` = it maps over an array, so it may yield several values. */
interface Inferred {
  readonly types?: ReadonlySet<BasicType>
  readonly schema?: JsonSchema
  readonly list?: boolean
}

const STRING: Inferred = { types: new Set(["string"]) }
const NUMBER: Inferred = { types: new Set(["number"]) }
const BOOLEAN: Inferred = { types: new Set(["boolean"]) }
const UNKNOWN: Inferred = {}

/** Built-ins the expressions may call, with what they return. */
export const FUNCTION_RESULTS: Readonly<Record<string, Inferred>> = {
  string: STRING, substring: STRING, substringBefore: STRING, substringAfter: STRING, uppercase: STRING, lowercase: STRING,
  trim: STRING, pad: STRING, join: STRING, replace: STRING, fromMillis: STRING, formatNumber: STRING, formatBase: STRING,
  number: NUMBER, length: NUMBER, sum: NUMBER, count: NUMBER, max: NUMBER, min: NUMBER, average: NUMBER, round: NUMBER,
  floor: NUMBER, ceil: NUMBER, abs: NUMBER, toMillis: NUMBER, power: NUMBER, sqrt: NUMBER,
  boolean: BOOLEAN, exists: BOOLEAN, not: BOOLEAN, contains: BOOLEAN,
  split: { types: new Set(["array"]) }, append: UNKNOWN, distinct: UNKNOWN, reverse: UNKNOWN, sort: UNKNOWN, lookup: UNKNOWN,
  keys: { types: new Set(["array"]) }, merge: { types: new Set(["object"]) }, map: UNKNOWN, filter: UNKNOWN, single: UNKNOWN,
  now: STRING, millis: NUMBER, type: STRING, uuid: STRING
}

const nameStart = (n: Ast): number => Math.max(0, (n.position ?? 0) - String(n.value ?? "").length)

interface ExprScope {
  readonly ctx: CheckContext
  readonly mapping: MappingNode
  readonly sourceRoot?: JsonSchema
  readonly yamlPath: JsonPath
  readonly tables: ReadonlyMap<string, ReadonlyArray<unknown>>
}

const reportAt = (scope: ExprScope, code: string, message: string, offset: number, length: number, hint?: string): void => {
  const d = scope.mapping.doc
  const r = d.locateIn(scope.yamlPath, offset, length)
  scope.ctx.report(code, message, { ...d, locate: () => r }, scope.yamlPath, hint ? { hint } : undefined)
}

const union = (a: Inferred, b: Inferred): Inferred =>
  a.types && b.types ? { types: new Set([...a.types, ...b.types]), list: Boolean(a.list || b.list) } : { list: Boolean(a.list || b.list) }

/** Walks an expression: checks paths against `context` (the current item's schema) and infers its type. */
const infer = (scope: ExprScope, node: Ast, context: JsonSchema | undefined): Inferred => {
  const root = scope.sourceRoot ?? {}
  switch (node.type) {
    case "string": return STRING
    case "number": return NUMBER
    case "value": return node.value === null ? { types: new Set(["null"]) } : BOOLEAN
    case "regex": return UNKNOWN
    case "variable": {
      if (node.value === "") return { ...(context ? { schema: context } : {}), ...(context ? { types: typesOf(context, root) ?? new Set() } : {}) }
      if (node.value === "$") return scope.sourceRoot ? { schema: scope.sourceRoot, types: new Set(["object"]) } : UNKNOWN
      return UNKNOWN
    }
    case "path": return inferPath(scope, node, context)
    case "name": return inferPath(scope, { type: "path", steps: [node] }, context)
    case "binary": {
      const lhs = infer(scope, node["lhs"] as Ast, context)
      const rhs = infer(scope, node["rhs"] as Ast, context)
      const op = node.value as string
      if (op === "&") return STRING
      if (["+", "-", "*", "/", "%"].includes(op)) return NUMBER
      if (["=", "!=", "<", "<=", ">", ">=", "and", "or", "in"].includes(op)) return BOOLEAN
      if (op === "..") return { types: new Set(["array"]) }
      return union(lhs, rhs)
    }
    case "unary": {
      if (node.value === "-") return (infer(scope, node["expression"] as Ast, context), NUMBER)
      if (node.value === "[") {
        for (const e of (node["expressions"] as Ast[]) ?? []) infer(scope, e, context)
        return { types: new Set(["array"]) }
      }
      if (node.value === "{") {
        for (const [k, v] of (node["lhs"] as Ast[][]) ?? []) {
          infer(scope, k!, context)
          infer(scope, v!, context)
        }
        return { types: new Set(["object"]) }
      }
      return UNKNOWN
    }
    case "condition": {
      infer(scope, node["condition"] as Ast, context)
      const then = infer(scope, node["then"] as Ast, context)
      const otherwise = node["else"] ? infer(scope, node["else"] as Ast, context) : { types: new Set<BasicType>() }
      return union(then, otherwise)
    }
    case "block": {
      let last: Inferred = UNKNOWN
      for (const e of (node["expressions"] as Ast[]) ?? []) last = infer(scope, e, context)
      return last
    }
    case "function":
    case "partial": {
      const proc = node["procedure"] as Ast
      const args = (node["arguments"] as Ast[]) ?? []
      const fname = proc.type === "variable" ? String(proc.value) : ""
      if (fname === "lookup") return inferLookup(scope, args, context)
      for (const a of args) infer(scope, a, context)
      if (proc.type === "variable" && !(fname in FUNCTION_RESULTS)) {
        reportAt(scope, "TL4103", `unknown function '$${fname}'.${suggestion(fname, Object.keys(FUNCTION_RESULTS))}`.replace(/\.\s*$/, ""), nameStart(proc) - 1, fname.length + 1)
        return UNKNOWN
      }
      return FUNCTION_RESULTS[fname] ?? UNKNOWN
    }
    default: {
      // Lambdas, transforms, bindings, sorts: not checked here; the compiler reports what it cannot compile.
      for (const key of ["lhs", "rhs", "expression", "body"]) {
        const child = node[key]
        if (child && typeof child === "object" && !Array.isArray(child)) infer(scope, child as Ast, context)
      }
      return UNKNOWN
    }
  }
}

const inferLookup = (scope: ExprScope, args: ReadonlyArray<Ast>, context: JsonSchema | undefined): Inferred => {
  const [table, ...rest] = args
  for (const a of rest) infer(scope, a, context)
  if (!table || table.type !== "string") return UNKNOWN
  const values = scope.tables.get(String(table.value))
  if (values === undefined) {
    const names = [...scope.tables.keys()]
    reportAt(scope, "TL4006", `unknown lookup table '${String(table.value)}'.${suggestion(String(table.value), names)}`.replace(/\.\s*$/, ""), nameStart(table) - 1, String(table.value).length + 2, names.length ? `Tables of this mapping: ${names.join(", ")}.` : "Declare it under spec.tables.")
    return UNKNOWN
  }
  const types = new Set<BasicType>(values.map((v) => (typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "string")))
  if (rest[1]) for (const t of infer(scope, rest[1], context).types ?? []) types.add(t)
  return { types }
}

const inferPath = (scope: ExprScope, node: Ast, context: JsonSchema | undefined): Inferred => {
  const root = scope.sourceRoot ?? {}
  let current: JsonSchema | undefined = context
  let list = false
  let known = scope.sourceRoot !== undefined
  let result: Inferred = UNKNOWN
  const steps = (node["steps"] as Ast[]) ?? []
  steps.forEach((step, i) => {
    if (step.type === "variable" && i === 0) {
      current = step.value === "$" ? scope.sourceRoot : step.value === "" ? context : undefined
      known = known && current !== undefined
      result = known && current ? { schema: current } : UNKNOWN
    } else if (step.type === "name") {
      const name = String(step.value)
      if (!known || current === undefined) {
        result = UNKNOWN
      } else {
        if (itemsOf(current, root)) list = true
        const found = propertyOf(current, name, root)
        if (found.schema === undefined) {
          if (found.closed) {
            reportAt(scope, "TL4002", `unknown source path '${name}'.${suggestion(name, found.candidates)}`.replace(/\.\s*$/, ""), nameStart(step), name.length, `Fields here: ${[...new Set(found.candidates)].slice(0, 12).join(", ")}.`)
          }
          known = false
          current = undefined
          result = UNKNOWN
        } else {
          current = found.schema
          result = { schema: current }
        }
      }
    } else {
      // A computed step (object constructor, function, wildcard...) evaluated per item.
      const item = current ? (itemsOf(current, root) ?? current) : undefined
      result = infer(scope, step, known ? item : undefined)
      current = result.schema
      known = known && current !== undefined
      if (current === undefined) list = list || (current !== undefined && itemsOf(current, root) !== undefined)
    }
    for (const stage of (step["stages"] as Ast[]) ?? (step["predicate"] as Ast[]) ?? []) {
      const expr = stage["expr"] as Ast | undefined
      if (!expr) continue
      const item = current ? (itemsOf(current, root) ?? current) : undefined
      const t = infer(scope, expr, known ? item : undefined)
      if (t.types?.has("number") && t.types.size === 1) {
        // [n] picks one item
        if (current && itemsOf(current, root)) {
          current = itemsOf(current, root)
          result = { schema: current! }
        }
      }
    }
  })
  if (result.schema) {
    const types = typesOf(result.schema, root)
    return { schema: result.schema, ...(types ? { types } : {}), list }
  }
  return { ...result, list }
}

const DESCRIBE: Record<string, string> = { string: "a string", number: "a number", integer: "an integer", boolean: "a boolean", object: "an object", array: "a list", null: "null" }

/** A hint on how to convert `from` into `to`. */
const conversion = (to: ReadonlySet<BasicType>): string | undefined =>
  to.has("number") || to.has("integer") ? "Convert with $number(...)." : to.has("string") ? "Convert with $string(...)." : to.has("boolean") ? "Convert with $boolean(...)." : undefined

const compatible = (from: ReadonlySet<BasicType>, to: ReadonlySet<BasicType>): boolean => {
  for (const t of from) {
    if (t === "null") continue
    if (to.has(t)) return true
    if ((t === "integer" && to.has("number")) || (t === "number" && to.has("integer"))) return true
  }
  return [...from].every((t) => t === "null")
}

interface FieldScope {
  readonly ctx: CheckContext
  readonly mapping: MappingNode
  readonly sourceRoot?: JsonSchema
  readonly targetRoot?: JsonSchema
  readonly tables: ReadonlyMap<string, ReadonlyArray<unknown>>
}

const checkExpression = (fs: FieldScope, expr: string, yamlPath: JsonPath, context: JsonSchema | undefined): Inferred => {
  const scope: ExprScope = { ctx: fs.ctx, mapping: fs.mapping, yamlPath, tables: fs.tables, ...(fs.sourceRoot ? { sourceRoot: fs.sourceRoot } : {}) }
  const parsed = parseExpression(expr)
  if ("error" in parsed) {
    const pos = typeof parsed.error.position === "number" ? Math.max(0, parsed.error.position - 1) : 0
    reportAt(scope, "TL4102", `expression syntax error: ${parsed.error.message}`, pos, 1)
    return UNKNOWN
  }
  return infer(scope, parsed.ast as Ast, context)
}

const checkFields = (fs: FieldScope, fields: Record<string, unknown>, yamlPath: JsonPath, sourceContext: JsonSchema | undefined, target: JsonSchema | undefined): void => {
  const troot = fs.targetRoot ?? {}
  const suggested = new Set<string>()
  for (const [key, rule] of Object.entries(fields)) {
    const at = [...yamlPath, key]
    const prop = target ? propertyOf(target, key, troot) : { closed: false, candidates: [] as string[] }
    if (target && prop.schema === undefined && prop.closed) {
      const s = didYouMean(key, prop.candidates)
      if (s !== undefined) suggested.add(s)
      fs.ctx.report("TL4001", `unknown target field '${key}'.${suggestion(key, prop.candidates)}`.replace(/\.\s*$/, ""), fs.mapping.doc, at, { atKey: true, hint: `Fields of the target here: ${[...new Set(prop.candidates)].join(", ")}.` })
    }
    const targetTypes = prop.schema ? typesOf(prop.schema, troot) : undefined
    if (typeof rule === "string") {
      const t = checkExpression(fs, rule, at, sourceContext)
      if (targetTypes && t.types && t.types.size > 0) {
        if (!compatible(t.types, targetTypes)) {
          const h = conversion(targetTypes)
          fs.ctx.report("TL4003", `'${key}' is ${[...targetTypes].map((x) => DESCRIBE[x]).join(" or ")} but the expression yields ${[...t.types].map((x) => DESCRIBE[x]).join(" or ")}`, fs.mapping.doc, at, h ? { hint: h } : undefined)
        } else if (t.list && !targetTypes.has("array") && !t.types.has("array")) {
          fs.ctx.report("TL4003", `'${key}' is ${[...targetTypes].map((x) => DESCRIBE[x]).join(" or ")} but the expression maps over a list and may yield several values`, fs.mapping.doc, at, { hint: "Pick one item ([0]), aggregate ($sum, $join), or build a list with each." })
        }
      }
    } else if (rule !== null && typeof rule === "object") {
      const r = rule as { each?: string; fields: Record<string, unknown> }
      if (r.each !== undefined) {
        const items = prop.schema ? itemsOf(prop.schema, troot) : undefined
        if (prop.schema && targetTypes && !targetTypes.has("array")) {
          fs.ctx.report("TL4005", `'${key}' is not a list, so it cannot be built with each`, fs.mapping.doc, at, { atKey: true })
        }
        const over = checkExpression(fs, r.each, [...at, "each"], sourceContext)
        const itemSchema = over.schema ? (itemsOf(over.schema, fs.sourceRoot ?? {}) ?? over.schema) : undefined
        checkFields(fs, r.fields, [...at, "fields"], itemSchema, items)
      } else {
        if (prop.schema && targetTypes && !targetTypes.has("object")) {
          fs.ctx.report("TL4005", `'${key}' is not an object, so it cannot be built with fields`, fs.mapping.doc, at, { atKey: true })
        }
        checkFields(fs, r.fields, [...at, "fields"], sourceContext, prop.schema)
      }
    }
  }
  // A misspelt required field is reported once, as unknown with its suggestion.
  const missing = requiredOf(target, troot).filter((r) => !(r in fields) && !suggested.has(r))
  reportMissing(fs, missing, yamlPath)
}

const reportMissing = (fs: FieldScope, missing: ReadonlyArray<string>, yamlPath: JsonPath): void => {
  if (missing.length > 0) {
    fs.ctx.report("TL4004", `required target field${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} not mapped`, fs.mapping.doc, yamlPath, { atKey: true })
  }
}

/**
 * Serves a mapping's findings from a cache. TL4101 findings depend on nothing but the mapping's document;
 * field findings on the document and the two shapes it maps between (`shapes` identifies them). Each
 * calls `compute` when it has nothing.
 */
export interface MappingMemo {
  readonly compilable: (m: MappingNode, compute: () => ReadonlyArray<Diagnostic>) => ReadonlyArray<Diagnostic>
  readonly fields: (m: MappingNode, shapes: string, compute: () => ReadonlyArray<Diagnostic>) => ReadonlyArray<Diagnostic>
}

export const checkMappings = (ctx: CheckContext, guideShape?: GuideShape, invalidShapes: ReadonlySet<object> = new Set(), memo?: MappingMemo): void => {
  const identity = shapeIdentity()
  // One end of a mapping: its identity, and its schema when the findings have to be computed. A payload
  // schema with a digest is known by it, and parsed only then (model/build.ts).
  // A shape that is not a valid JSON Schema is reported once (TL2011); checking against it would only echo that.
  const endOf = (end: MappingEnd): { readonly id: string; readonly schema: () => JsonSchema | undefined } => {
    if (end.entity === undefined && end.schema !== undefined) {
      const [partner, name] = end.schema.split("/") as [string, string]
      const node = ctx.model.partners.get(partner)?.schemas.get(name)
      const digest = node !== undefined ? documentDigestOf(node.doc) : undefined
      if (node !== undefined && digest !== undefined) return invalidShapes.has(node) ? { id: identity(undefined), schema: () => undefined } : { id: digest, schema: () => node.schema }
    }
    const shape = shapeOf(ctx.model, end, guideShape)
    const valid = shape && !invalidShapes.has(shape) ? shape : undefined
    return { id: identity(valid), schema: () => valid }
  }
  for (const m of ctx.model.mappings.values()) {
    const sourceEnd = endOf(m.spec.source as MappingEnd)
    const targetEnd = endOf(m.spec.target as MappingEnd)
    const fields = (): Diagnostic[] => {
      const source = sourceEnd.schema()
      const target = targetEnd.schema()
      const out: Diagnostic[] = []
      const tables = new Map(Object.entries(m.spec.tables ?? {}).map(([k, v]) => [k, Object.values(v as object)] as const))
      const fs: FieldScope = { ctx: makeContext(ctx.model, out), mapping: m, tables, ...(source ? { sourceRoot: source } : {}), ...(target ? { targetRoot: target } : {}) }
      checkFields(fs, m.spec.fields as Record<string, unknown>, ["spec", "fields"], source, target)
      return out
    }
    ctx.out.push(...(memo ? memo.fields(m, `${sourceEnd.id} ${targetEnd.id}`, fields) : fields()))
    ctx.out.push(...(memo ? memo.compilable(m, () => checkCompilable(m)) : checkCompilable(m)))
  }
}

/** Identifies a shape by content: its registered digest (model/digest.ts), else a hash of its JSON (once per object). */
const shapeIdentity = (): ((schema: JsonSchema | undefined) => string) => {
  const known = new WeakMap<object, string>()
  return (schema) => {
    if (schema === undefined) return "none"
    let id = digestOf(schema) ?? known.get(schema)
    if (id === undefined) {
      id = `value-sha1:${createHash("sha1").update(JSON.stringify(schema)).digest("hex")}`
      known.set(schema, id)
    }
    return id
  }
}

/** Constructs the ahead-of-time compiler does not support (TL4101), where the expression sits. */
const checkCompilable = (m: MappingNode): Diagnostic[] => {
  const out: Diagnostic[] = []
  for (const e of checkMapping(m.spec.fields as FieldTree, (m.spec.tables ?? {}) as LookupTables)) {
    // Syntax errors, unknown functions and tables are reported by the checks above.
    if (e.code !== "TL4101") continue
    const yamlPath: JsonPath = ["spec", "fields", ...e.fieldPath]
    out.push(diagnosticAt(e.code, e.message, m.doc.file, m.doc.locateIn(yamlPath, e.exprOffset, 1), { hint: e.hint, path: showPath(yamlPath) }))
  }
  return out
}
