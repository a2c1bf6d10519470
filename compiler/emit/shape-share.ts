// Shapes that differ only in names and descriptions share one emission. Partners of the same kind
// often carry the same payload schema with their own descriptions (and every shape has its own type
// name and spec file), and emitting a shape (json-schema-to-typescript + ajv standalone) costs 10–20 ms.
//
// A shape's *template* is its schema with every plain description replaced by a numbered token (the
// same text, the same token) and its type name replaced by a token. Shapes with the same template are
// emitted once, as the template; each shape's files are then the template's with the tokens put back:
//   - types: json-schema-to-typescript copies a description verbatim into a JSDoc line and uses the
//     type name only as the root declaration's name (and in references to it). Only descriptions that
//     it and the re-indenter copy verbatim are tokenized: one trimmed line, no `*/`, no `@`, no `</`.
//   - validator: ajv embeds the schema as JSON (`const schema0 = {...}`, and one literal per schema a
//     `$ref` reaches) and generates code from its structure, never from a description's text.
// Every substitution is checked (each token is a whole word in the types and a description's value in
// the validator, the type name does not appear in the template); a shape that fails a check is emitted
// on its own.
// test/compile/share.test.ts compares shared and separate emission byte for byte.
import { createHash } from "node:crypto"
import type { ShapeUnit } from "./ir.ts"
import type { EmittedFile } from "./names.ts"
import { header, validatorModule } from "./names.ts"
import { SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS, validatorDeclarations } from "./shapes.ts"

const ROOT = "TlShareRootQz"
const DESC = "TlShareDescQz"
const descToken = (i: number): string => `${DESC}${i}Qz`

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** A description that both emitters copy verbatim into their output, so that a token can stand for it. */
const plainDescription = (d: string): boolean =>
  d.length > 0 && d === d.trim() && !/[\r\n\u2028\u2029]/.test(d) && !d.includes("*/") && !d.includes("@") && !d.includes("</") && !d.includes(DESC) && !d.includes(ROOT)

export interface SharedShape {
  /** Hash of the template: shapes with the same key share one emission. */
  readonly key: string
  /** The template, emitted as a shape of its own (type name and descriptions tokenized, no spec file). */
  readonly template: ShapeUnit
  /** This shape's descriptions, by token number. */
  readonly descriptions: ReadonlyArray<string>
}

/** The schema the validator is compiled from (shapes.ts drops a top-level `$id` and `$schema`). */
const validatorSchema = (schema: unknown): Record<string, unknown> => {
  const s = { ...(schema as Record<string, unknown>) }
  delete s["$id"]
  delete s["$schema"]
  return s
}

/** The shape's template, or undefined when it cannot have one (not an object schema, or it holds a token already). */
export const shareShape = (unit: ShapeUnit): SharedShape | undefined => {
  if (!isRecord(unit.schema) || !/^[A-Z][A-Za-z0-9]*$/.test(unit.type.name)) return undefined
  const own = JSON.stringify(unit.schema)
  if (own.includes(ROOT) || own.includes(DESC)) return undefined
  const descriptions: string[] = []
  const tokens = new Map<string, string>()
  // Walks schema positions only (the same keywords typingSchema reads as schemas); data is copied as it is.
  const tokenize = (schema: unknown): unknown => {
    if (Array.isArray(schema) || !isRecord(schema)) return schema
    const out: Record<string, unknown> = {}
    const set = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
    for (const k of Object.keys(schema)) {
      const v = schema[k]
      if (k === "description" && typeof v === "string" && plainDescription(v)) {
        let token = tokens.get(v)
        if (token === undefined) {
          token = descToken(descriptions.length)
          tokens.set(v, token)
          descriptions.push(v)
        }
        set(out, k, token)
      } else if (SCHEMA_MAP_KEYWORDS.has(k) && isRecord(v)) {
        const m: Record<string, unknown> = {}
        for (const name of Object.keys(v)) set(m, name, k === "dependencies" && Array.isArray(v[name]) ? v[name] : tokenize(v[name]))
        set(out, k, m)
      } else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) set(out, k, v.map(tokenize))
      else if (SCHEMA_KEYWORDS.has(k)) set(out, k, tokenize(v))
      else set(out, k, v)
    }
    return out
  }
  const schema = tokenize(unit.schema) as Record<string, unknown>
  const text = JSON.stringify(validatorSchema(schema))
  const key = createHash("sha256").update(text).digest("hex")
  return {
    key,
    template: { k: "shape", key: `template:${key}`, type: { name: ROOT, module: unit.type.module }, from: [], schema },
    descriptions
  }
}

/**
 * One shape's files from its template's (emitted by emitShapeFiles: types, validator, declarations),
 * or undefined when a check fails and the shape must be emitted on its own.
 */
export const instantiateShape = (unit: ShapeUnit, shared: SharedShape, templateFiles: ReadonlyArray<EmittedFile>): ReadonlyArray<EmittedFile> | undefined => {
  if (templateFiles.length !== 3) return undefined
  const [types, js] = templateFiles as [EmittedFile, EmittedFile, EmittedFile]
  const head = header(shared.template.from)
  if (!types.text.startsWith(head) || !js.text.startsWith(head)) return undefined
  const name = unit.type.name
  // Types: the name must not occur in the template (json-schema-to-typescript renames a declaration
  // that would clash with the root's name), and the root token must occur only as a whole word.
  const typesBody = types.text.slice(head.length)
  if (typesBody.includes(name) || /[\w$]TlShareRootQz|TlShareRootQz[\w$]/.test(typesBody)) return undefined
  const typesText = typesBody.split(ROOT).join(name).replace(/TlShareDescQz(\d+)Qz/g, (m, i: string) => shared.descriptions[Number(i)] ?? m)
  if (typesText.includes(ROOT) || typesText.includes(DESC)) return undefined
  if (!new RegExp(`^export (interface|type) ${name}\\b`, "m").test(typesText)) return undefined
  // Validator: ajv embeds the schema (and each schema a `$ref` reaches) as JSON literals; every token
  // must stand there as a description's value, and becomes this shape's description, JSON-escaped.
  const jsBody = js.text.slice(head.length)
  const tokens = jsBody.match(/TlShareDescQz\d+Qz/g)?.length ?? 0
  const asValues = jsBody.match(/"description":"TlShareDescQz\d+Qz"/g)?.length ?? 0
  if (tokens !== asValues || jsBody.includes(ROOT)) return undefined
  const jsText = jsBody.replace(/"description":"TlShareDescQz(\d+)Qz"/g, (m, i: string) => {
    const d = shared.descriptions[Number(i)]
    return d === undefined ? m : `"description":${JSON.stringify(d)}`
  })
  if (jsText.includes(DESC)) return undefined
  const own = header(unit.from)
  return [
    { path: unit.type.module, text: own + typesText },
    { path: validatorModule(unit.type.module), text: own + jsText },
    validatorDeclarations(unit)
  ]
}
