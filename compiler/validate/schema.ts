// Schema check: every document against its kind's JSON Schema (ajv), with raw ajv errors rewritten into
// one readable, positioned finding per path.
import { Ajv } from "ajv"
import type { ErrorObject, ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { suggestion } from "../diagnostics/didyoumean.ts"
import type { JsonPath, ParsedDocument } from "../parse/yaml.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { API_VERSION, KINDS, SCHEMAS } from "../schemas/index.ts"
import type { JsonSchema, Kind } from "../schemas/index.ts"
import { SECRET_KEYWORD } from "../schemas/common.ts"

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

export const makeAjv = (): Ajv => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, verbose: true, allowUnionTypes: true })
  addFormats(ajv)
  ajv.addKeyword({ keyword: SECRET_KEYWORD, schemaType: "boolean" })
  return ajv
}

export interface KindValidators {
  readonly ajv: Ajv
  readonly byKind: ReadonlyMap<Kind, ValidateFunction>
}

let cached: KindValidators | undefined

/** Compiled once per process: the schemas are constants. */
export const kindValidators = (): KindValidators => {
  if (cached) return cached
  const ajv = makeAjv()
  const byKind = new Map<Kind, ValidateFunction>()
  for (const kind of KINDS) byKind.set(kind, ajv.compile(SCHEMAS[kind] as object))
  cached = { ajv, byKind }
  return cached
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const pathOf = (instancePath: string): Array<string | number> =>
  instancePath === ""
    ? []
    : instancePath
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))

export const showPath = (path: JsonPath): string =>
  path.length === 0
    ? "the document"
    : path.map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$-]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`)).join("")

const typeName = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : isRecord(v) ? "a mapping" : typeof v === "string" ? "a string" : typeof v === "number" ? (Number.isInteger(v) ? "an integer" : "a number") : typeof v === "boolean" ? "a boolean" : typeof v

const typeWord = (t: unknown): string => {
  const one = (x: string): string => ({ object: "a mapping", array: "a list", string: "a string", number: "a number", integer: "an integer", boolean: "a boolean", null: "null" })[x] ?? x
  return Array.isArray(t) ? t.map((x) => one(String(x))).join(" or ") : one(String(t))
}

const short = (v: unknown): string => {
  const s = typeof v === "string" ? `'${v}'` : JSON.stringify(v)
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s
}

interface Finding {
  readonly code: string
  readonly message: string
  readonly path: JsonPath
  readonly atKey: boolean
  readonly hint?: string
}

const describe = (schema: unknown): string => (isRecord(schema) && typeof schema["description"] === "string" ? ` ${schema["description"]}` : "")

/** Turns one raw ajv error into a finding, or undefined when a more specific error covers it. */
const rewrite = (err: ErrorObject): Finding | undefined => {
  const path = pathOf(err.instancePath)
  const where = showPath(path)
  const parent = err.parentSchema as Record<string, unknown> | undefined
  if (parent && parent[SECRET_KEYWORD] === true && !isRecord(err.data)) {
    return { code: "TL7001", message: `literal secret in '${where}': write { env: NAME } instead`, path, atKey: false, hint: "Secrets are referenced, never written in specs." }
  }
  switch (err.keyword) {
    case "additionalProperties": {
      const key = String((err.params as { additionalProperty: string }).additionalProperty)
      const allowed = isRecord(parent?.["properties"]) ? Object.keys(parent["properties"] as object) : []
      return {
        code: "TL2003",
        message: `unknown key '${key}' in '${where}'.${suggestion(key, allowed)}`.replace(/\.\s*$/, ""),
        path: [...path, key],
        atKey: true,
        ...(allowed.length > 0 ? { hint: `Allowed keys: ${allowed.join(", ")}.` } : {})
      }
    }
    case "required": {
      const key = String((err.params as { missingProperty: string }).missingProperty)
      return { code: "TL2004", message: `missing required key '${key}' in '${where}'`, path, atKey: true }
    }
    case "type":
      return { code: "TL2005", message: `'${where}' must be ${typeWord((err.params as { type: unknown }).type)}, found ${typeName(err.data)}`, path, atKey: false }
    case "enum": {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues
      const found = err.data
      return {
        code: "TL2006",
        message: `'${where}' must be one of ${allowed.map((a) => short(a)).join(", ")}; found ${short(found)}.${typeof found === "string" ? suggestion(found, allowed.map(String)) : ""}`.replace(/\.\s*$/, ""),
        path,
        atKey: false
      }
    }
    case "const":
      return { code: "TL2006", message: `'${where}' must be ${short((err.params as { allowedValue: unknown }).allowedValue)}; found ${short(err.data)}`, path, atKey: false }
    case "pattern":
    case "format":
      return { code: "TL2007", message: `'${where}' has the wrong format: ${short(err.data)}.${describe(parent)}`, path, atKey: false }
    case "propertyNames":
      return undefined // the nested pattern error names the key
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems": {
      const p = err.params as { comparison?: string; limit: number }
      const what = err.keyword.endsWith("Length") ? "length" : err.keyword.endsWith("Items") ? "number of items" : "value"
      const rel = err.keyword.startsWith("min") ? "at least" : err.keyword.startsWith("max") ? "at most" : err.keyword === "exclusiveMinimum" ? "more than" : "less than"
      return { code: "TL2008", message: `'${where}': ${what} must be ${rel} ${p.limit}`, path, atKey: false }
    }
    case "uniqueItems": {
      const p = err.params as { i: number; j: number }
      return { code: "TL2010", message: `'${where}' repeats an item (items ${p.j} and ${p.i} are equal)`, path: [...path, p.i], atKey: false }
    }
    case "minProperties":
    case "maxProperties":
    case "oneOf":
    case "anyOf": {
      const props = isRecord(parent?.["properties"]) ? Object.keys(parent["properties"] as object) : []
      const present = isRecord(err.data) ? Object.keys(err.data).filter((k) => props.includes(k)) : []
      if (err.keyword === "oneOf" && Array.isArray(parent?.["oneOf"]) && (parent["oneOf"] as unknown[]).every((b) => isRecord(b) && Array.isArray(b["required"]))) {
        const choices = (parent["oneOf"] as Array<{ required: string[] }>).map((b) => b.required[0]!)
        const given = isRecord(err.data) ? Object.keys(err.data).filter((k) => choices.includes(k)) : []
        return {
          code: "TL2009",
          message: given.length === 0 ? `'${where}' needs exactly one of ${choices.join(", ")}` : `'${where}' has more than one of ${choices.join(", ")}: ${given.join(", ")}`,
          path,
          atKey: true
        }
      }
      if (props.length > 0 && (err.keyword === "minProperties" || err.keyword === "maxProperties")) {
        return {
          code: "TL2009",
          message: present.length === 0 ? `'${where}' needs exactly one of ${props.join(", ")}` : `'${where}' takes exactly one of ${props.join(", ")}; found ${present.join(", ")}`,
          path,
          atKey: true
        }
      }
      if (err.keyword === "anyOf" && Array.isArray(parent?.["anyOf"]) && (parent["anyOf"] as unknown[]).every((b) => isRecord(b) && Array.isArray(b["required"]))) {
        const choices = (parent["anyOf"] as Array<{ required: string[] }>).map((b) => b.required[0]!)
        return { code: "TL2009", message: `'${where}' needs at least one of ${choices.join(", ")}`, path, atKey: true }
      }
      if (err.keyword === "minProperties") return { code: "TL2008", message: `'${where}' must not be empty`, path, atKey: false }
      return { code: "TL2009", message: `'${where}' does not match any allowed form`, path, atKey: false }
    }
    default:
      return { code: "TL2007", message: `'${where}' ${err.message ?? "is not valid"}`, path, atKey: false }
  }
}

/**
 * ajv reports every failing branch of a oneOf/anyOf. Keep the errors of the branch whose type fits the
 * value; when no branch fits, keep one type error; when several do, keep the oneOf's own error.
 */
const pruneBranches = (errors: ReadonlyArray<ErrorObject>): ErrorObject[] => {
  let list = [...errors]
  const combinators = list.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").sort((a, b) => b.schemaPath.length - a.schemaPath.length)
  for (const c of combinators) {
    if (!list.includes(c)) continue
    const prefix = c.schemaPath.replace(/\/(oneOf|anyOf)$/, `/${c.keyword}/`)
    const inBranches = list.filter((e) => e.schemaPath.startsWith(prefix))
    if (inBranches.length === 0) continue
    const byBranch = new Map<string, ErrorObject[]>()
    for (const e of inBranches) {
      const branch = e.schemaPath.slice(prefix.length).split("/")[0]!
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e])
    }
    const fitting = [...byBranch.entries()].filter(([, es]) => !es.some((e) => e.keyword === "type" && e.instancePath === c.instancePath))
    list = list.filter((e) => !inBranches.includes(e))
    if (fitting.length === 1) {
      list = list.filter((e) => e !== c)
      list.push(...fitting[0]![1])
    } else if (fitting.length === 0) {
      list = list.filter((e) => e !== c)
      const types = [...byBranch.values()].flatMap((es) => es.filter((e) => e.keyword === "type").map((e) => (e.params as { type: string }).type))
      list.push({ ...inBranches.find((e) => e.keyword === "type")!, params: { type: [...new Set(types.flatMap((t) => (Array.isArray(t) ? t : [t])))] } })
    }
  }
  return list
}

/** Envelope checks that give better messages than the schema would (kind typos, wrong apiVersion). */
const checkEnvelope = (doc: ParsedDocument): { kind?: Kind; diagnostics: Diagnostic[] } => {
  const value = doc.value
  if (!isRecord(value)) {
    return { diagnostics: [diagnosticAt("TL1003", `a spec document must be a mapping with apiVersion, kind, metadata and spec; found ${typeName(value)}`, doc.file, doc.locate([]))] }
  }
  const diagnostics: Diagnostic[] = []
  const kind = value["kind"]
  if (kind === undefined) {
    diagnostics.push(diagnosticAt("TL2004", "missing required key 'kind'", doc.file, doc.locate([])))
  } else if (typeof kind !== "string" || !(KINDS as ReadonlyArray<string>).includes(kind)) {
    diagnostics.push(
      diagnosticAt("TL2001", `unknown kind ${short(kind)}.${typeof kind === "string" ? suggestion(kind, KINDS) : ""}`.replace(/\.\s*$/, ""), doc.file, doc.locate(["kind"]), {
        hint: `kind is one of ${KINDS.join(", ")}.`
      })
    )
  }
  const apiVersion = value["apiVersion"]
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    diagnostics.push(diagnosticAt("TL2002", `unsupported apiVersion ${short(apiVersion)}; this compiler reads ${API_VERSION}`, doc.file, doc.locate(["apiVersion"])))
  }
  return diagnostics.length === 0 || (typeof kind === "string" && (KINDS as ReadonlyArray<string>).includes(kind) && diagnostics.every((d) => d.code === "TL2002"))
    ? { kind: kind as Kind, diagnostics }
    : { diagnostics }
}

export interface SchemaCheck {
  readonly kind?: Kind
  readonly valid: boolean
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

export const checkDocumentSchema = (doc: ParsedDocument): SchemaCheck => {
  const envelope = checkEnvelope(doc)
  if (envelope.kind === undefined) return { valid: false, diagnostics: envelope.diagnostics }
  const validate = kindValidators().byKind.get(envelope.kind)!
  if (validate(doc.value)) return { kind: envelope.kind, valid: envelope.diagnostics.length === 0, diagnostics: envelope.diagnostics }
  const rewritten = pruneBranches(validate.errors ?? [])
    .filter((e) => !(e.instancePath === "/apiVersion" && envelope.diagnostics.some((d) => d.code === "TL2002")))
    .map(rewrite)
    .filter((f): f is Finding => f !== undefined)
  // A misspelt required key shows up twice (unknown 'criticallity', missing 'criticality'): keep the first.
  const findings = rewritten.filter(
    (f) => !(f.code === "TL2004" && rewritten.some((u) => u.code === "TL2003" && showPath(u.path.slice(0, -1)) === showPath(f.path) && u.message.includes(`Did you mean '${/'([^']+)'/.exec(f.message)?.[1]}'`)))
  )
  const diagnostics = [
    ...envelope.diagnostics,
    ...findings.map((f) => diagnosticAt(f.code, f.message, doc.file, doc.locate(f.path, f.atKey), { hint: f.hint, path: showPath(f.path) }))
  ]
  return { kind: envelope.kind, valid: false, diagnostics }
}

let metaAjv: Ajv | undefined

/** Checks that an embedded JSON Schema (canonical entity, partner payload) is itself a valid draft-07 schema. */
export const checkEmbeddedSchema = (schema: JsonSchema): string | undefined => {
  metaAjv ??= makeAjv()
  if (metaAjv.validateSchema(schema as object) === true) return undefined
  return metaAjv.errorsText(metaAjv.errors, { dataVar: "schema" })
}
