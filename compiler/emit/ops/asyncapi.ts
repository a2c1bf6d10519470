// AsyncAPI 3.0 document of the event taxonomy: one channel, message and send operation per event type
// `<type>.v<N>`, CloudEvents 1.0 attributes as message headers, the canonical entity as payload.
import { stringify } from "yaml"
import type { Model } from "../../model/model.ts"
import { compareText, sortDeep } from "../literal.ts"
import type { EmittedFile } from "../names.ts"
import { header } from "../names.ts"

export const ASYNCAPI_MODULE = "ops/asyncapi.yaml"

export const cloudEventType = (type: string, version: number): string => `${type}.v${version}`

/** Component key for an entity id (`order@1` -> `order.v1`): AsyncAPI keys allow no `@`. */
const entityKey = (id: string): string => id.replace("@", ".v")

const cloudEventHeaders = (ceType: string, source: string | undefined): object => ({
  type: "object",
  description: "CloudEvents 1.0 attributes (binary content mode), with W3C trace context and the tradelane correlation id.",
  required: ["specversion", "id", "source", "type", "time", "correlationid"],
  properties: {
    specversion: { type: "string", const: "1.0" },
    id: { type: "string", description: "Unique per event; consumers de-duplicate on it." },
    source: { type: "string", format: "uri-reference", ...(source !== undefined ? { description: `Prefix ${source}` } : {}) },
    type: { type: "string", const: ceType },
    time: { type: "string", format: "date-time" },
    subject: { type: "string", description: "The business key of the payload." },
    datacontenttype: { type: "string", const: "application/json" },
    traceparent: { type: "string", description: "W3C trace context." },
    correlationid: { type: "string", description: "Follows one business transaction across flows." }
  }
})

export const asyncApiDocument = (model: Model): object => {
  const events = [...model.events.values()].sort((a, b) => compareText(a.type, b.type))
  const channels: Record<string, unknown> = {}
  const operations: Record<string, unknown> = {}
  const messages: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  for (const e of events) {
    const ce = cloudEventType(e.type, e.version)
    const entity = model.entities.get(e.spec.payload)
    channels[ce] = {
      address: ce,
      title: ce,
      ...(e.spec.description !== undefined ? { description: e.spec.description } : {}),
      messages: { [ce]: { $ref: `#/components/messages/${ce}` } }
    }
    operations[`send-${ce}`] = {
      action: "send",
      channel: { $ref: `#/channels/${ce}` },
      summary: `Produced by ${e.spec.producers.join(", ")}.`,
      messages: [{ $ref: `#/channels/${ce}/messages/${ce}` }]
    }
    messages[ce] = {
      name: ce,
      title: e.type,
      ...(e.spec.description !== undefined ? { summary: e.spec.description } : {}),
      contentType: "application/json",
      correlationId: { location: "$message.header#/correlationid" },
      headers: cloudEventHeaders(ce, e.taxonomy.spec.source),
      payload: entity ? { $ref: `#/components/schemas/${entityKey(e.spec.payload)}` } : {},
      "x-tradelane": { taxonomy: e.taxonomy.name, producers: e.spec.producers, key: e.spec.key, payload: e.spec.payload }
    }
    if (entity && schemas[entityKey(entity.id)] === undefined) {
      schemas[entityKey(entity.id)] = { schemaFormat: "application/schema+json;version=draft-07", schema: sortDeep(entity.spec.schema) }
    }
  }
  const sort = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => compareText(a, b)))
  return {
    asyncapi: "3.0.0",
    info: {
      title: "tradelane events",
      version: "1",
      description: "Business events published by tradelane and its partners, from the EventTaxonomy specs. Every event travels in a CloudEvents 1.0 envelope."
    },
    defaultContentType: "application/json",
    channels: sort(channels),
    operations: sort(operations),
    components: { messages: sort(messages), schemas: sort(schemas) }
  }
}

/** What the AsyncAPI file is printed from: the taxonomy files (for its header) and the document. */
export const asyncApiInput = (model: Model): { readonly from: ReadonlyArray<string>; readonly document: object } => ({
  from: [...new Set([...model.taxonomies.values()].map((t) => t.doc.file))].sort(compareText),
  document: asyncApiDocument(model)
})

export const renderAsyncApi = (input: { readonly from: ReadonlyArray<string>; readonly document: object }): EmittedFile => ({
  path: ASYNCAPI_MODULE,
  text: header(input.from, "#") + stringify(input.document, { lineWidth: 0, aliasDuplicateObjects: false })
})

export const emitAsyncApi = (model: Model): EmittedFile => renderAsyncApi(asyncApiInput(model))
