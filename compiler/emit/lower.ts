// Lowering: model -> emit units (see ir.ts). Pure; reads only the model.
import { createHash } from "node:crypto"
import type { JsonSchema, Model } from "../model/model.ts"
import type { GuideShape, MappingEnd } from "../model/shapes.ts"
import { digestOf, documentDigestOf } from "../model/digest.ts"
import { compareText } from "./literal.ts"
import type { FlowUnit, LoweredModel, MappingUnit, ShapeUnit, Unit, UnitOrigin } from "./ir.ts"
import { flowLinks } from "./ops/graph.ts"
import type { FieldTree, LookupTables } from "./jsonata/index.ts"
import type { TypeRef } from "./names.ts"
import { endType, entityType, guideType, mappingModule, partnerSchemaType } from "./names.ts"

export interface LowerOptions {
  /** The JSON Schema of a guide's structured JSON (from the EDI engine); without it guides get no types. */
  readonly guideShape?: GuideShape | undefined
}

/** The type a mapping end resolves to, only when the compile produces that type's module. */
const resolvedEnd = (end: MappingEnd, shapes: ReadonlySet<string>): TypeRef | undefined => {
  const ref = endType(end)
  return ref !== undefined && shapes.has(ref.module) ? ref : undefined
}

export const lowerModel = (model: Model, options: LowerOptions = {}): LoweredModel => {
  const shapes: ShapeUnit[] = []
  const origins = new Map<string, UnitOrigin>()
  for (const e of model.entities.values()) {
    shapes.push({ k: "shape", key: `entity:${e.id}`, type: entityType(e.id), from: [e.doc.file], schema: e.spec.schema as JsonSchema })
    origins.set(`entity:${e.id}`, { doc: e.doc, path: ["spec", "schema"] })
  }
  for (const p of model.partners.values()) {
    for (const s of p.schemas.values()) {
      const base = { k: "shape", key: `schema:${p.name}/${s.name}`, type: partnerSchemaType(`${p.name}/${s.name}`), from: [s.file] } as const
      // A schema with a digest is read (and parsed) only if the unit is emitted: the cache key uses the digest.
      const digest = documentDigestOf(s.doc)
      if (digest === undefined) shapes.push({ ...base, schema: s.schema })
      else {
        const node = s
        shapes.push({
          ...base,
          get schema(): JsonSchema {
            return node.schema
          },
          digest
        })
      }
      origins.set(`schema:${p.name}/${s.name}`, { doc: s.doc, path: [] })
    }
  }
  if (options.guideShape !== undefined) {
    for (const g of model.guides.values()) {
      shapes.push({ k: "shape", key: `guide:${g.name}`, type: guideType(g.name), from: [g.doc.file], schema: options.guideShape(g.spec) })
      origins.set(`guide:${g.name}`, { doc: g.doc, path: ["spec"] })
    }
  }
  const shapeModules = new Set(shapes.map((s) => s.type.module))
  const mappings: MappingUnit[] = []
  for (const m of model.mappings.values()) {
    const input = resolvedEnd(m.spec.source as MappingEnd, shapeModules)
    const output = resolvedEnd(m.spec.target as MappingEnd, shapeModules)
    const key = `mapping:${m.name}`
    mappings.push({
      k: "mapping",
      key,
      name: m.name,
      module: mappingModule(m.name),
      from: [m.doc.file],
      fields: m.spec.fields as FieldTree,
      ...(m.spec.tables !== undefined ? { tables: m.spec.tables as LookupTables } : {}),
      ...(input !== undefined ? { input } : {}),
      ...(output !== undefined ? { output } : {})
    })
    origins.set(key, { doc: m.doc, path: ["spec", "fields"] })
  }
  const flows: FlowUnit[] = []
  const shared = JSON.stringify([[...model.taxonomies.values()].map((t) => [t.name, t.spec]), [...model.lifecycles.values()].map((l) => [l.name, l.spec])])
  for (const f of model.flows.values()) {
    const links = flowLinks(model, f)
    const partners = links.partners.map((name) => {
      const p = model.partners.get(name)
      // A schema with a registered digest (model/digest.ts) stands for itself by that digest.
      return p ? [name, p.folder, p.spec, [...p.schemas.values()].map((s) => [s.name, documentDigestOf(s.doc) ?? digestOf(s.schema) ?? s.schema])] : [name]
    })
    const guideNames = new Set(
      links.partners.flatMap((name) => (model.partners.get(name)?.spec.edi?.documents ?? []).map((d) => (d as { guide?: string }).guide ?? ""))
    )
    const guides = [...model.guides.values()].filter((g) => guideNames.has(g.name) || (g.partner !== undefined && links.partners.includes(g.partner))).map((g) => [g.name, g.spec])
    const maps = links.mappings.map((name) => [name, model.mappings.get(name)?.spec ?? null])
    const deps = createHash("sha256").update(JSON.stringify([f.name, f.doc.file, f.owners, f.labels, f.spec, partners, guides, maps])).update(shared).digest("hex")
    flows.push({ k: "flow", key: `flow:${f.name}`, name: f.name, deps })
    origins.set(`flow:${f.name}`, { doc: f.doc, path: ["spec"] })
  }
  const units: Unit[] = [...shapes, ...mappings, ...flows].sort((a, b) => compareText(a.key, b.key))
  return { units, origins }
}
