// `tradelane new partner`: a partner folder that validates as it is, with stubs for everything the
// partner type needs (guides for the declared X12 documents, payload schemas, mapping skeletons that
// produce every required target field, placeholder fixtures marked as such) and a list of what is left.
// Pure: the model and options in, files and to-dos out.
import { stringify } from "yaml"
import { pascal } from "../emit/names.ts"
import type { JsonSchema, Model } from "../model/model.ts"
import { itemsOf, requiredOf, shapeOf, typesOf } from "../model/shapes.ts"
import type { GuideShape, MappingEnd } from "../model/shapes.ts"

export type PartnerType = "edi" | "marketplace" | "warehouse"

export interface ScaffoldOptions {
  readonly name: string
  readonly type: PartnerType
  readonly owners: ReadonlyArray<string>
}

export interface ScaffoldFile {
  readonly path: string
  readonly text: string
}

export interface Scaffold {
  readonly files: ReadonlyArray<ScaffoldFile>
  readonly todo: ReadonlyArray<string>
}

const TODO = "TODO"

const yamlDoc = (schemaFile: string, depth: number, doc: unknown, comment?: string): string =>
  `# yaml-language-server: $schema=${"../".repeat(depth)}generated/schemas/${schemaFile}\n${comment ? `# ${comment}\n` : ""}${stringify(doc, { lineWidth: 0, flowCollectionPadding: true })}`

/** A placeholder expression of the target field's type, so the skeleton validates and compiles. */
const placeholderRule = (schema: JsonSchema | undefined, root: JsonSchema, depth = 0): unknown => {
  const types = typesOf(schema, root)
  if (depth > 6 || !types) return `'${TODO}'`
  if (types.has("array")) {
    const items = itemsOf(schema, root)
    const it = typesOf(items, root)
    if (it?.has("object")) return { each: "[{}]", fields: placeholderFields(items, root, depth + 1) }
    return "[]"
  }
  if (types.has("object")) return { fields: placeholderFields(schema, root, depth + 1) }
  if (types.has("string")) {
    const s = schema as { enum?: unknown[]; pattern?: string; format?: string }
    if (Array.isArray(s.enum) && typeof s.enum[0] === "string") return `'${String(s.enum[0]).replace(/'/g, "")}'`
    if (s.format === "date-time") return "'1970-01-01T00:00:00Z'"
    if (s.format === "date" || s.pattern === "^[0-9]{8}$") return s.format === "date" ? "'1970-01-01'" : "'19700101'"
    return `'${TODO}'`
  }
  if (types.has("integer") || types.has("number")) return "0"
  if (types.has("boolean")) return "false"
  return `'${TODO}'`
}

const placeholderFields = (schema: JsonSchema | undefined, root: JsonSchema, depth = 0): Record<string, unknown> => {
  const props = ((schema as { properties?: Record<string, JsonSchema> } | undefined)?.properties ?? {}) as Record<string, JsonSchema>
  const required = requiredOf(schema, root)
  const keys = required.length > 0 ? required : Object.keys(props).slice(0, 1)
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = placeholderRule(props[k], root, depth)
  return Object.keys(out).length ? out : { [TODO]: `'${TODO}'` }
}

const X12_STUBS: Record<string, { group: string; direction: "inbound" | "outbound"; segments: unknown[] }> = {
  "850": {
    group: "PO",
    direction: "inbound",
    segments: [
      { segment: "BEG", usage: "required", elements: [
        { id: "BEG01", name: "purposeCode", type: "ID", min: 2, max: 2, usage: "required" },
        { id: "BEG02", name: "orderType", type: "ID", min: 2, max: 2, usage: "required" },
        { id: "BEG03", name: "poNumber", type: "AN", min: 1, max: 22, usage: "required" },
        { id: "BEG05", name: "poDate", type: "DT", min: 8, max: 8, usage: "required" }
      ] },
      { loop: "N1", name: "shipTo", usage: "required", qualifier: { element: "N101", codes: ["ST"] }, segments: [
        { segment: "N1", elements: [
          { id: "N101", type: "ID", min: 2, max: 3, usage: "required", codes: ["ST"] },
          { id: "N102", name: "name", type: "AN", min: 1, max: 60 },
          { id: "N103", name: "idQualifier", type: "ID", min: 1, max: 2 },
          { id: "N104", name: "id", type: "AN", min: 2, max: 80 }
        ] }
      ] },
      { loop: "PO1", name: "lines", usage: "required", max: 100000, segments: [
        { segment: "PO1", elements: [
          { id: "PO101", name: "lineNumber", type: "AN", min: 1, max: 20 },
          { id: "PO102", name: "quantity", type: "R", min: 1, max: 15, usage: "required" },
          { id: "PO103", name: "uom", type: "ID", min: 2, max: 2, usage: "required" },
          { id: "PO104", name: "unitPrice", type: "R", min: 1, max: 17 },
          { id: "PO106", name: "idQualifier", type: "ID", min: 2, max: 2 },
          { id: "PO107", name: "productId", type: "AN", min: 1, max: 48 }
        ], syntax: ["P0607"] }
      ] },
      { loop: "CTT", name: "totals", usage: "optional", max: 1, segments: [
        { segment: "CTT", elements: [{ id: "CTT01", name: "lineCount", type: "N0", min: 1, max: 6, usage: "required" }] }
      ] }
    ]
  },
  "855": {
    group: "PR",
    direction: "outbound",
    segments: [
      { segment: "BAK", usage: "required", elements: [
        { id: "BAK01", name: "purposeCode", type: "ID", min: 2, max: 2, usage: "required" },
        { id: "BAK02", name: "ackType", type: "ID", min: 2, max: 2, usage: "required" },
        { id: "BAK03", name: "poNumber", type: "AN", min: 1, max: 22, usage: "required" },
        { id: "BAK04", name: "poDate", type: "DT", min: 8, max: 8, usage: "required" }
      ] }
    ]
  },
  "856": {
    group: "SH",
    direction: "outbound",
    segments: [
      { segment: "BSN", usage: "required", elements: [
        { id: "BSN01", name: "purposeCode", type: "ID", min: 2, max: 2, usage: "required" },
        { id: "BSN02", name: "shipmentId", type: "AN", min: 2, max: 30, usage: "required" },
        { id: "BSN03", name: "shipDate", type: "DT", min: 8, max: 8, usage: "required" },
        { id: "BSN04", name: "shipTime", type: "TM", min: 4, max: 8, usage: "required" }
      ] }
    ]
  },
  "810": {
    group: "IN",
    direction: "outbound",
    segments: [
      { segment: "BIG", usage: "required", elements: [
        { id: "BIG01", name: "invoiceDate", type: "DT", min: 8, max: 8, usage: "required" },
        { id: "BIG02", name: "invoiceNumber", type: "AN", min: 1, max: 22, usage: "required" },
        { id: "BIG04", name: "poNumber", type: "AN", min: 1, max: 22 }
      ] },
      { segment: "TDS", usage: "required", elements: [{ id: "TDS01", name: "totalAmount", type: "N2", min: 1, max: 15, usage: "required" }] }
    ]
  }
}

/** The canonical entity a document carries, by X12 transaction set. */
const ENTITY_OF: Record<string, string> = { "850": "order", "855": "order", "856": "shipment", "810": "invoice" }

const latest = (model: Model, entity: string): string | undefined =>
  [...model.entities.values()].filter((e) => e.name === entity).sort((a, b) => b.spec.version - a.spec.version)[0]?.id

const sampleOf = (schema: JsonSchema | undefined, root: JsonSchema, depth = 0): unknown => {
  const types = typesOf(schema, root)
  if (!types || depth > 6) return "placeholder"
  if (types.has("object")) {
    const props = ((schema as { properties?: Record<string, JsonSchema> }).properties ?? {}) as Record<string, JsonSchema>
    return Object.fromEntries(requiredOf(schema, root).map((k) => [k, sampleOf(props[k], root, depth + 1)]))
  }
  if (types.has("array")) return [sampleOf(itemsOf(schema, root), root, depth + 1)]
  if (types.has("integer") || types.has("number")) return 1
  if (types.has("boolean")) return false
  return "placeholder"
}

export const scaffoldPartner = (model: Model, o: ScaffoldOptions, guideShape?: GuideShape): Scaffold => {
  const dir = `partners/${o.name}`
  const files: ScaffoldFile[] = []
  const todo: string[] = []
  const meta = (name: string) => ({ name, owners: [...o.owners] })
  const spec: Record<string, unknown> = { type: o.type, displayName: `${pascal(o.name)} (${TODO})`, criticality: "medium" }
  const mappings: Array<{ name: string; source: MappingEnd; target: MappingEnd; sourceSchema?: JsonSchema }> = []
  const guides = new Map<string, unknown>()
  const schemas: Record<string, JsonSchema> = {}

  if (o.type === "edi") {
    const id = o.name.replace(/[^A-Za-z0-9]/g, "").toUpperCase().slice(0, 15) || "PARTNER"
    const us = [...model.partners.values()].find((p) => p.spec.edi)?.spec.edi?.us ?? { qualifier: "ZZ", id: "OURID" }
    spec["transport"] = { protocol: "directory", inbox: `edi/${o.name}/in`, outbox: `edi/${o.name}/out`, archive: `edi/${o.name}/archive`, quarantine: `edi/${o.name}/quarantine` }
    const documents = Object.entries(X12_STUBS).map(([type, stub]) => {
      const guide = `${o.name}-${type}`
      const entity = latest(model, ENTITY_OF[type]!)
      const mapping = stub.direction === "inbound" ? `${o.name}-${type}-to-${ENTITY_OF[type]}` : `${ENTITY_OF[type]}-to-${o.name}-${type}`
      guides.set(type, { apiVersion: "tradelane/v1", kind: "Guide", metadata: { ...meta(guide), description: `${TODO}: ${pascal(o.name)} ${type} implementation guide` }, spec: { transactionSet: type, functionalGroup: stub.group, version: "004010", direction: stub.direction, description: `Stub ${type} guide: replace with the partner's implementation guide.`, segments: stub.segments } })
      if (entity) mappings.push(stub.direction === "inbound" ? { name: mapping, source: { guide }, target: { entity } } : { name: mapping, source: { entity }, target: { guide } })
      return { type, direction: stub.direction, guide, ...(entity ? { mapping } : {}) }
    })
    spec["edi"] = { partner: { qualifier: "ZZ", id, gsId: id }, us, version: "00401", groupVersion: "004010", usage: "T", documents, acknowledgment: { send: "997", expect: "997", within: "24h" } }
    todo.push(
      `${dir}/partner.yaml: the partner's real ISA/GS identity (spec.edi.partner), usage P when live, transport folders or SFTP`,
      ...[...guides.keys()].map((t) => `${dir}/guides/${t}.yaml: the partner's ${t} implementation guide (this stub has only the mandatory segments)`)
    )
  } else {
    spec["http"] = {
      baseUrl: `https://${o.name}.invalid/api`,
      timeout: "30s",
      auth: { type: "bearer", token: { env: `${o.name.replace(/-/g, "_").toUpperCase()}_TOKEN` } },
      rateLimit: { requestsPerSecond: 5, burst: 10 },
      operations: o.type === "marketplace" ? { confirmShipment: { method: "POST", path: "/orders/{orderId}/shipments", request: "ShipmentConfirmation" } } : { releaseOrder: { method: "POST", path: "/orders", request: "ReleaseOrder", idempotencyHeader: "Idempotency-Key" } }
    }
    todo.push(`${dir}/partner.yaml: base URL, authentication and rate limit of the real API; its operations`)
    if (o.type === "marketplace") {
      spec["webhook"] = { path: `/webhooks/${o.name}`, topics: { "orders/create": "Order" }, signature: { algorithm: "hmac-sha256", header: "X-Signature", encoding: "base64", secret: { env: `${o.name.replace(/-/g, "_").toUpperCase()}_WEBHOOK_SECRET` } }, maxBodyBytes: 1048576 }
      schemas["Order"] = { $schema: "http://json-schema.org/draft-07/schema#", title: `${pascal(o.name)} order (${TODO})`, type: "object", required: ["id", "items"], additionalProperties: true, properties: { id: { type: "string" }, items: { type: "array", items: { type: "object", required: ["sku", "quantity"], properties: { sku: { type: "string" }, quantity: { type: "integer" } } } } } }
      schemas["ShipmentConfirmation"] = { $schema: "http://json-schema.org/draft-07/schema#", title: `${pascal(o.name)} shipment confirmation (${TODO})`, type: "object", required: ["orderId"], additionalProperties: true, properties: { orderId: { type: "string" }, trackingNumber: { type: "string" } } }
      const order = latest(model, "order")
      if (order) mappings.push({ name: `${o.name}-order-to-order`, source: { schema: `${o.name}/Order` }, target: { entity: order }, sourceSchema: schemas["Order"] })
      todo.push(`${dir}/schemas/Order.schema.json: the marketplace's real order payload`)
    } else {
      spec["warehouses"] = [{ code: "WH1", name: `${TODO}: first warehouse`, serviceLevels: ["standard"], cutoff: "15:00", constraints: { hazmat: false } }]
      schemas["ReleaseOrder"] = { $schema: "http://json-schema.org/draft-07/schema#", title: `${pascal(o.name)} release order (${TODO})`, type: "object", required: ["orderId", "lines"], additionalProperties: false, properties: { orderId: { type: "string" }, warehouse: { type: "string" }, lines: { type: "array", items: { type: "object", additionalProperties: false, required: ["sku", "quantity"], properties: { sku: { type: "string" }, quantity: { type: "integer" } } } } } }
      const order = latest(model, "order")
      if (order) mappings.push({ name: `order-to-${o.name}-release`, source: { entity: order }, target: { schema: `${o.name}/ReleaseOrder` } })
      todo.push(`${dir}/partner.yaml: the warehouses (codes, service levels, cut-offs, constraints)`, `${dir}/schemas/ReleaseOrder.schema.json: the WMS's real order-release payload`)
    }
    spec["schemas"] = Object.fromEntries(Object.keys(schemas).map((k) => [k, `schemas/${k}.schema.json`]))
  }
  spec["mappings"] = mappings.map((m) => m.name)

  files.push({ path: `${dir}/partner.yaml`, text: yamlDoc("partner.schema.json", 2, { apiVersion: "tradelane/v1", kind: "Partner", metadata: { ...meta(o.name), description: `${TODO}: who ${pascal(o.name)} is` }, spec }, `Scaffolded by tradelane new partner: replace every ${TODO}.`) })
  for (const [type, g] of guides) files.push({ path: `${dir}/guides/${type}.yaml`, text: yamlDoc("guide.schema.json", 3, g, `Stub guide: replace with the partner's ${type} implementation guide.`) })
  for (const [name, s] of Object.entries(schemas)) files.push({ path: `${dir}/schemas/${name}.schema.json`, text: JSON.stringify(s, null, 2) + "\n" })

  // Shapes of the new partner's own schemas and guides are not in the model yet: resolve them here.
  const shapeHere = (end: MappingEnd): JsonSchema | undefined => {
    if (end.schema?.startsWith(`${o.name}/`)) return schemas[end.schema.split("/")[1]!]
    if (end.guide !== undefined && guideShape) {
      const g = [...guides.values()].find((x) => (x as { metadata: { name: string } }).metadata.name === end.guide) as { spec: unknown } | undefined
      if (g) return guideShape(g.spec)
    }
    return shapeOf(model, end, guideShape)
  }
  for (const m of mappings) {
    const target = shapeHere(m.target)
    const source = shapeHere(m.source)
    const fields = placeholderFields(target, target ?? {})
    files.push({
      path: `${dir}/mappings/${m.name}.yaml`,
      text: yamlDoc("mapping.schema.json", 3, { apiVersion: "tradelane/v1", kind: "Mapping", metadata: meta(m.name), spec: { description: `${TODO}: map the partner's fields; every '${TODO}' and 0 below is a placeholder.`, source: m.source, target: m.target, fields } }, `Skeleton: each required target field has a placeholder of its type. Replace them with expressions over the source.`)
    })
    const input = sampleOf(source, source ?? {})
    files.push({ path: `${dir}/tests/${m.name}/placeholder.input.json`, text: JSON.stringify(input ?? {}, null, 2) + "\n" })
    todo.push(`${dir}/mappings/${m.name}.yaml: replace the placeholders with real field rules`, `${dir}/tests/${m.name}/: replace placeholder.input.json with a real sample, then write its expected output`)
  }
  files.push({
    path: `${dir}/tests/README.md`,
    text: `# Fixtures of ${o.name}\n\nThe \`placeholder.*\` files were written by \`tradelane new partner\` and are placeholders, not real partner data.\nReplace each with a real sample (\`<case>.input.json\` or \`<case>.input.edi\`) and its expected output (\`<case>.expected.json\`).\nKeep a note of where each real sample comes from and its licence in this folder.\n`
  })
  todo.push(`specs/flows/: flows that use ${o.name} (and an SLO for each: policy flow-has-slo)`)
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), todo }
}
