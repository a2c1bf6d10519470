import type { JsonSchema } from "./common.ts"
import { envelope } from "./common.ts"
import { expression, mappingEnd } from "./fragments.ts"

/** A field rule: an expression, a nested object, or an array built `each` over items. */
const fieldRule: JsonSchema = {
  oneOf: [
    expression,
    {
      type: "object",
      additionalProperties: false,
      required: ["fields"],
      properties: {
        each: { ...expression, description: "Items to iterate; inside, paths are relative to the item and $$ is the input." },
        fields: { $ref: "#/definitions/fields" }
      }
    }
  ]
}

export const mappingSchema = envelope("Mapping", "tradelane Mapping: JSONata field rules from a source shape to a target shape", {
  type: "object",
  additionalProperties: false,
  required: ["source", "target", "fields"],
  properties: {
    description: { type: "string" },
    source: mappingEnd,
    target: mappingEnd,
    tables: {
      type: "object",
      description: "Lookup tables (crosswalks) for $lookup('table', key[, default]).",
      additionalProperties: { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } },
      propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }
    },
    fields: { $ref: "#/definitions/fields" }
  }
}, {
  fields: {
    type: "object",
    description: "Target field -> rule.",
    minProperties: 1,
    additionalProperties: fieldRule
  }
})
