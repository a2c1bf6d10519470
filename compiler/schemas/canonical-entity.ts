import type { JsonSchema } from "./common.ts"
import { envelope } from "./common.ts"

export const canonicalEntitySchema = envelope("CanonicalEntity", "tradelane CanonicalEntity: one entity of the canonical data model at one major version", {
  type: "object",
  additionalProperties: false,
  required: ["version", "key", "schema"],
  properties: {
    version: { type: "integer", minimum: 1, description: "Major version; a breaking change needs a new one (order@2)." },
    key: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "Business key field, e.g. orderId." },
    description: { type: "string" },
    schema: {
      type: "object",
      description: "JSON Schema (draft-07) of the entity; an object with properties.",
      required: ["type", "properties"],
      properties: {
        type: { const: "object" },
        properties: { type: "object" },
        required: { type: "array", items: { type: "string" } },
        additionalProperties: { type: "boolean" }
      }
    }
  }
} satisfies JsonSchema)
