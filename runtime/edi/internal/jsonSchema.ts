// guideJsonSchema: the draft-07 JSON Schema of exactly the JSON `structure` produces for a guide (and
// `fromJson` accepts). The compiler checks mapping field paths against it.
import { impliedDecimals, isLoop, type Guide, type GuideElement, type GuideLoop, type GuideNode } from "./guide.ts"

type Schema = Record<string, unknown>

const describeElement = (e: GuideElement): string =>
  [e.id, e.type !== undefined ? `${e.type}${e.min !== undefined || e.max !== undefined ? ` ${e.min ?? 0}/${e.max ?? "-"}` : ""}` : "composite", e.description]
    .filter((x) => x !== undefined && x !== "")
    .join(" · ")

const simpleSchema = (e: GuideElement): Schema => {
  const description = describeElement(e)
  if (e.type === "R" || impliedDecimals(e.type) !== undefined) return { type: "number", description }
  const s: Schema = { type: "string", description }
  if (e.codes !== undefined) s["enum"] = [...e.codes]
  else if (e.type === "DT") s["pattern"] = e.max === 6 ? "^[0-9]{6}$" : "^[0-9]{8}$"
  else if (e.type === "TM") s["pattern"] = "^[0-9]{4}([0-9]{2}([0-9]{1,2})?)?$"
  else {
    if (e.max !== undefined) s["maxLength"] = e.max
    if (e.min !== undefined && e.min > 0 && e.type !== "AN") s["minLength"] = e.min
  }
  return s
}

const elementSchema = (e: GuideElement): Schema => {
  let one: Schema
  if (e.components !== undefined) {
    const props: Schema = {}
    const required: string[] = []
    for (const c of e.components) {
      if (c.name === undefined) continue
      props[c.name] = simpleSchema(c)
      if (c.usage === "required") required.push(c.name)
    }
    one = { type: "object", additionalProperties: false, properties: props, description: describeElement(e) }
    if (required.length > 0) one["required"] = required
  } else one = simpleSchema(e)
  return e.repeat !== undefined ? { type: "array", items: one, maxItems: e.repeat, description: one["description"] } : one
}

const objectOf = (nodes: readonly GuideNode[], children: readonly GuideLoop[] = []): Schema => {
  const props: Schema = {}
  const required: string[] = []
  for (const n of nodes) {
    const req = (n.usage ?? "optional") === "required"
    if (isLoop(n)) {
      props[n.name] = many(loopSchema(n), n.max ?? 1)
      if (req) required.push(n.name)
      continue
    }
    const els = (n.elements ?? []).filter((e) => e.name !== undefined && e.usage !== "not-used")
    if (n.name !== undefined) {
      const inner: Schema = {}
      const innerReq: string[] = []
      for (const e of els) {
        inner[e.name!] = elementSchema(e)
        if (e.usage === "required") innerReq.push(e.name!)
      }
      const obj: Schema = { type: "object", additionalProperties: false, properties: inner, description: n.description ?? n.segment }
      if (innerReq.length > 0) obj["required"] = innerReq
      props[n.name] = many(obj, n.max ?? 1)
      if (req) required.push(n.name)
    } else {
      for (const e of els) {
        props[e.name!] = elementSchema(e)
        if (req && e.usage === "required") required.push(e.name!)
      }
    }
  }
  for (const c of children) props[c.name] = many(loopSchema(c), c.max ?? 1)
  const s: Schema = { type: "object", additionalProperties: false, properties: props }
  if (required.length > 0) s["required"] = [...new Set(required)]
  return s
}

const loopSchema = (l: GuideLoop): Schema => {
  const s = objectOf(l.segments, l.children)
  s["description"] = l.description ?? `loop ${l.loop}${l.level !== undefined ? ` level ${l.level}` : ""}${l.qualifier ? ` (${l.qualifier.element} ${l.qualifier.codes.join("|")})` : ""}`
  return s
}

const many = (s: Schema, max: number): Schema =>
  max > 1 ? { type: "array", items: s, maxItems: max, description: s["description"] } : s

/** JSON Schema (draft-07) of the structured JSON for `guide`. */
export const guideJsonSchema = (guide: Guide): Record<string, unknown> => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: `X12 ${guide.transactionSet} (${guide.version})`,
  description: guide.description ?? `Structured ${guide.transactionSet} transaction set`,
  ...objectOf(guide.segments)
})
