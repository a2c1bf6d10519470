// JSON-Schema helpers over the shapes mappings read and write: canonical entities, partner payload
// schemas and EDI guides (through the guide's structured-JSON schema).
import type { JsonSchema, MappingNode, Model } from "./model.ts"

export type MappingEnd = { readonly entity?: string; readonly schema?: string; readonly guide?: string }

export type GuideShape = (guideSpec: unknown) => JsonSchema

/** The JSON Schema of one end of a mapping, or undefined when it does not resolve. */
export const shapeOf = (model: Model, end: MappingEnd, guideShape?: GuideShape): JsonSchema | undefined => {
  if (end.entity !== undefined) return model.entities.get(end.entity)?.spec.schema as JsonSchema | undefined
  if (end.schema !== undefined) {
    const [partner, name] = end.schema.split("/") as [string, string]
    return model.partners.get(partner)?.schemas.get(name)?.schema
  }
  if (end.guide !== undefined && guideShape) {
    const g = model.guides.get(end.guide)
    return g ? guideShape(g.spec) : undefined
  }
  return undefined
}

export const mappingShapes = (model: Model, m: MappingNode, guideShape?: GuideShape) => ({
  source: shapeOf(model, m.spec.source as MappingEnd, guideShape),
  target: shapeOf(model, m.spec.target as MappingEnd, guideShape)
})

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Follows local `$ref`s (`#/definitions/x`, `#/$defs/x`) against the root schema. */
export const deref = (schema: unknown, root: JsonSchema, depth = 0): JsonSchema | undefined => {
  if (!isRecord(schema)) return undefined
  const ref = schema["$ref"]
  if (typeof ref !== "string" || depth > 32) return schema
  if (!ref.startsWith("#/")) return undefined
  let cur: unknown = root
  for (const part of ref.slice(2).split("/")) cur = isRecord(cur) ? cur[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined
  return deref(cur, root, depth + 1)
}

/** The alternatives a schema allows (anyOf/oneOf flattened, allOf merged shallowly). */
const alternatives = (schema: JsonSchema, root: JsonSchema): JsonSchema[] => {
  const s = deref(schema, root)
  if (!s) return []
  const alts = (s["anyOf"] ?? s["oneOf"]) as unknown[] | undefined
  if (Array.isArray(alts)) return alts.flatMap((a) => alternatives(a as JsonSchema, root))
  const all = s["allOf"] as unknown[] | undefined
  if (Array.isArray(all)) {
    const merged: Record<string, unknown> = { ...s, properties: { ...((s["properties"] as object) ?? {}) } }
    delete merged["allOf"]
    for (const part of all.flatMap((a) => alternatives(a as JsonSchema, root))) {
      Object.assign(merged["properties"] as object, (part["properties"] as object) ?? {})
      if (part["type"] !== undefined && merged["type"] === undefined) merged["type"] = part["type"]
      if (Array.isArray(part["required"])) merged["required"] = [...((merged["required"] as string[]) ?? []), ...(part["required"] as string[])]
    }
    return [merged]
  }
  return [s]
}

export type BasicType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null"

/** The JSON types a schema allows; undefined = anything. */
export const typesOf = (schema: JsonSchema | undefined, root: JsonSchema): Set<BasicType> | undefined => {
  if (!schema) return undefined
  const out = new Set<BasicType>()
  for (const alt of alternatives(schema, root)) {
    const t = alt["type"]
    if (t === undefined) {
      if (isRecord(alt["properties"])) out.add("object")
      else if (alt["items"] !== undefined) out.add("array")
      else if (Array.isArray(alt["enum"])) for (const v of alt["enum"] as unknown[]) out.add(v === null ? "null" : Array.isArray(v) ? "array" : (typeof v as BasicType))
      else if (alt["const"] !== undefined) out.add(typeof alt["const"] as BasicType)
      else return undefined
    } else for (const x of Array.isArray(t) ? t : [t]) out.add(x as BasicType)
  }
  return out.size === 0 ? undefined : out
}

export interface PropertyLookup {
  /** The property's schema, when declared. */
  readonly schema?: JsonSchema
  /** Whether the object declares its properties closely enough to call a missing one unknown. */
  readonly closed: boolean
  readonly candidates: ReadonlyArray<string>
}

/** Looks a property up on an object schema (through arrays: a path step maps over items). */
export const propertyOf = (schema: JsonSchema | undefined, name: string, root: JsonSchema): PropertyLookup => {
  if (!schema) return { closed: false, candidates: [] }
  const candidates: string[] = []
  let closed = true
  for (const alt of alternatives(schema, root)) {
    const items = itemsOf(alt, root)
    const obj = items ?? alt
    for (const o of items ? alternatives(items, root) : [obj]) {
      const props = o["properties"]
      if (isRecord(props)) {
        if (name in props) return { schema: props[name] as JsonSchema, closed: true, candidates: [] }
        candidates.push(...Object.keys(props))
      } else if (!items || typesOf(o, root)?.has("object") !== false) closed = false
      if (isRecord(o["additionalProperties"]) || isRecord(o["patternProperties"])) closed = false
    }
  }
  return { closed: closed && candidates.length > 0, candidates }
}

/** The items schema of an array schema (undefined when it is not an array). */
export const itemsOf = (schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined => {
  if (!schema) return undefined
  for (const alt of alternatives(schema, root)) {
    if (alt["type"] === "array" || (Array.isArray(alt["type"]) && (alt["type"] as string[]).includes("array")) || alt["items"] !== undefined) {
      const items = alt["items"]
      return isRecord(items) ? (deref(items, root) ?? {}) : {}
    }
  }
  return undefined
}

export const requiredOf = (schema: JsonSchema | undefined, root: JsonSchema): ReadonlyArray<string> => {
  if (!schema) return []
  const alts = alternatives(schema, root)
  if (alts.length !== 1) return []
  const r = alts[0]!["required"]
  return Array.isArray(r) ? (r as string[]) : []
}
