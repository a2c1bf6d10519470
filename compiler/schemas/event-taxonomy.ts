import { envelope, name } from "./common.ts"
import { entityRef, eventType } from "./fragments.ts"

export const eventTaxonomySchema = envelope("EventTaxonomy", "tradelane EventTaxonomy: business events, their payloads and producers", {
  type: "object",
  additionalProperties: false,
  required: ["domain", "events"],
  properties: {
    domain: { type: "string", description: "Business domain, e.g. order-to-cash." },
    source: { type: "string", description: "CloudEvents source URI prefix." },
    description: { type: "string" },
    events: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["type", "version", "payload", "producers", "key"],
        properties: {
          type: eventType,
          version: { type: "integer", minimum: 1, description: "Published as <type>.v<version> in the CloudEvents type." },
          payload: entityRef,
          producers: { type: "array", minItems: 1, uniqueItems: true, items: name, description: "Systems (partners, or 'tradelane') that produce it." },
          key: { type: "string", description: "Business key field of the payload (order id, PO number, ASN, invoice)." },
          description: { type: "string" }
        }
      }
    }
  }
})
