// Shapes: a JSON Schema -> a TypeScript types module (json-schema-to-typescript) and an ajv standalone
// validator module (.js, with a .d.ts beside it). No ajv compilation happens when the runtime starts.
import { Ajv } from "ajv"
import type { Options as AjvOptions } from "ajv"
import addFormatsModule from "ajv-formats"
import standaloneModule from "ajv/dist/standalone/index.js"
import { compile as jsonToTs } from "json-schema-to-typescript"
import type { JsonSchema } from "../model/model.ts"
import type { ShapeUnit } from "./ir.ts"
import { compareText, jsString } from "./literal.ts"
import type { EmittedFile } from "./names.ts"
import { header, importPath, validatorModule } from "./names.ts"

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: Ajv, refsOrFunc?: unknown) => string

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Keywords whose value is one schema. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(["additionalItems", "additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then"])
/** Keywords whose value is a list of schemas. */
export const SCHEMA_LIST_KEYWORDS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "items"])
/** Keywords whose value maps names to schemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(["$defs", "definitions", "dependencies", "patternProperties", "properties"])
/** Keywords kept as data. Anything else (titles, $id, tsType, tsEnumNames, vendor keywords) is dropped. */
const DATA_KEYWORDS = new Set([
  "$ref",
  "const",
  "default",
  "deprecated",
  "description",
  "enum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "format",
  "maxItems",
  "maxLength",
  "maxProperties",
  "maximum",
  "minItems",
  "minLength",
  "minProperties",
  "minimum",
  "multipleOf",
  "pattern",
  "readOnly",
  "required",
  "type",
  "uniqueItems",
  "writeOnly"
])

/**
 * The schema json-schema-to-typescript sees: only validation keywords and descriptions. Titles and ids
 * would name types, `tsType` would splice text into the module; they are dropped. Local `$ref`s only.
 * Property order is the author's (the input is deterministic; the types read like the spec).
 */
export const typingSchema = (schema: unknown): unknown => {
  if (typeof schema === "boolean") return schema
  if (!isRecord(schema)) return {}
  const out: Record<string, unknown> = {}
  const set = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  for (const k of Object.keys(schema)) {
    const v = schema[k]
    if (k === "$ref") {
      if (typeof v === "string" && v.startsWith("#")) set(k, v)
    } else if (SCHEMA_MAP_KEYWORDS.has(k) && isRecord(v)) {
      const m: Record<string, unknown> = {}
      for (const name of Object.keys(v)) {
        const sub = k === "dependencies" && Array.isArray(v[name]) ? v[name] : typingSchema(v[name])
        Object.defineProperty(m, name, { value: sub, enumerable: true, writable: true, configurable: true })
      }
      set(k, m)
    } else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) set(k, v.map(typingSchema))
    else if (SCHEMA_KEYWORDS.has(k)) set(k, typingSchema(v))
    else if (k === "description" && typeof v === "string") set(k, v.replace(/\r\n?|[\u2028\u2029]/g, "\n"))
    else if (DATA_KEYWORDS.has(k)) set(k, v)
  }
  return out
}

/** Re-indents json-schema-to-typescript's unformatted output (braces at line ends), two spaces a level. */
const reindent = (text: string): string => {
  let depth = 0
  const out: string[] = []
  let inComment = false
  for (const raw of text.split("\n")) {
    const line = raw.trim()
    if (line === "") {
      out.push("")
      continue
    }
    if (inComment || line.startsWith("/**")) {
      out.push("  ".repeat(depth) + (line.startsWith("*") ? ` ${line}` : line))
      inComment = !line.endsWith("*/")
      continue
    }
    const closes = /^[}\])]/.test(line) ? 1 : 0
    depth = Math.max(0, depth - closes)
    out.push("  ".repeat(depth) + line)
    if (/[{[(]$/.test(line)) depth++
  }
  return out.join("\n")
}

export interface ShapeEmitOptions {
  /** Pretty-print types with prettier (json-schema-to-typescript's `format`); slower. */
  readonly format?: boolean
}

/** The types module of a shape. */
export const emitShapeTypes = async (unit: ShapeUnit, options: ShapeEmitOptions = {}): Promise<EmittedFile> => {
  const code = await jsonToTs(typingSchema(unit.schema) as never, unit.type.name, {
    bannerComment: "",
    format: options.format === true,
    declareExternallyReferenced: true,
    enableConstEnums: false,
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: false,
    strictIndexSignatures: false,
    $refOptions: { resolve: { external: false, file: false, http: false } } as never
  })
  // U+2028/U+2029 may only survive inside string literals (keys, enum members), where the escape means the same.
  const body = (options.format === true ? code : reindent(code)).trim().replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`).replace(/<\/(script)/gi, "<\\/$1")
  if (!new RegExp(`^export (interface|type) ${unit.type.name}\\b`, "m").test(body)) {
    throw new Error(`json-schema-to-typescript did not export ${unit.type.name} for ${unit.key}`)
  }
  return { path: unit.type.module, text: `${header(unit.from)}\n${body}\n` }
}

const AJV_OPTIONS: AjvOptions = {
  code: { source: true, esm: true, lines: false, optimize: 1 },
  allErrors: true,
  strict: false,
  ownProperties: true,
  allowUnionTypes: true,
  validateSchema: false,
  addUsedSchema: false,
  inlineRefs: true
}

/** `require("x").y` in ajv's standalone output -> an ESM default import of the CommonJS module. */
const esmImports = (code: string): { imports: string[]; code: string } => {
  const modules = new Map<string, string>()
  const body = code.replace(/require\("([^"\\]+)"\)/g, (_m, spec: string) => {
    const file = /\.[cm]?js$/.test(spec) ? spec : `${spec}.js`
    let alias = modules.get(file)
    if (alias === undefined) {
      alias = `cjs${modules.size}`
      modules.set(file, alias)
    }
    return alias
  })
  const imports = [...modules.entries()].sort(([a], [b]) => compareText(a, b)).map(([file, alias]) => `import ${alias} from ${jsString(file)}`)
  return { imports, code: body }
}

/** The validator module of a shape: `<module>.js` (ajv standalone, ESM) and its `.d.ts`. Throws on a schema ajv cannot compile. */
export const emitShapeValidator = (unit: ShapeUnit): ReadonlyArray<EmittedFile> => {
  const ajv = new Ajv(AJV_OPTIONS)
  addFormats(ajv)
  // The schema as written, minus an `$id` (it would only make two shapes with the same id collide).
  const schema = { ...(unit.schema as Record<string, unknown>) }
  delete schema["$id"]
  delete schema["$schema"]
  const validate = ajv.compile(schema as JsonSchema)
  const raw = standaloneCode(ajv, validate).replace(/^"use strict";/, "")
  const { imports, code } = esmImports(safeValidatorCode(raw))
  const js = validatorModule(unit.type.module)
  const jsText = `${header(unit.from)}${imports.map((i) => `${i}\n`).join("")}${code}\n`
  return [
    { path: js, text: jsText },
    validatorDeclarations(unit)
  ]
}

/**
 * ajv's standalone code made safe to embed: an object literal's `"__proto__":` key would set a
 * prototype (a computed key defines the property); U+2028/U+2029 and `</script` are escaped.
 */
const safeValidatorCode = (raw: string): string =>
  raw.replace(/([{,])"__proto__":/g, '$1["__proto__"]:').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`).replace(/<\/(script)/gi, "<\\/$1")

/** The `.d.ts` beside a shape's validator module. */
export const validatorDeclarations = (unit: ShapeUnit): EmittedFile => {
  const dts = validatorModule(unit.type.module).replace(/\.js$/, ".d.ts")
  const dtsText = [
    header(unit.from).trimEnd(),
    `import type { ErrorObject } from "ajv"`,
    `import type { ${unit.type.name} } from ${jsString(importPath(dts, unit.type.module))}`,
    "",
    `/** Checks a value against the schema of ${unit.type.name}; on false, \`validate.errors\` says why. */`,
    `export interface Validate${unit.type.name} {`,
    `  (data: unknown): data is ${unit.type.name}`,
    "  errors?: ErrorObject[] | null",
    "}",
    `export declare const validate: Validate${unit.type.name}`,
    "export default validate",
    ""
  ].join("\n")
  return { path: dts, text: dtsText }
}

/**
 * Both modules of a shape: the validator first (a schema ajv cannot compile is reported as `invalid`,
 * with ajv's message, and gets no types module), then the types.
 */
export const emitShapeFiles = async (
  unit: ShapeUnit,
  formatTypes: boolean
): Promise<{ readonly files: ReadonlyArray<EmittedFile> } | { readonly invalid: string }> => {
  let validator: ReadonlyArray<EmittedFile>
  try {
    validator = emitShapeValidator(unit)
  } catch (cause) {
    return { invalid: cause instanceof Error ? cause.message : String(cause) }
  }
  return { files: [await emitShapeTypes(unit, { format: formatTypes }), ...validator] }
}
