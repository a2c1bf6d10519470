import { envelope, name } from "./common.ts"
import { entityRef, eventType } from "./fragments.ts"

const stateName = { type: "string", pattern: "^[a-z][a-z0-9-]*$" }

export const lifecycleSchema = envelope("Lifecycle", "tradelane Lifecycle: a state machine with one owning system per transition", {
  type: "object",
  additionalProperties: false,
  required: ["entity", "initial", "states", "transitions"],
  properties: {
    entity: entityRef,
    description: { type: "string" },
    initial: stateName,
    states: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: { name: stateName, terminal: { type: "boolean" }, description: { type: "string" } }
      }
    },
    transitions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["from", "to", "owner", "event"],
        properties: {
          from: { oneOf: [stateName, { type: "array", items: stateName, minItems: 1 }] },
          to: stateName,
          owner: { ...name, description: "The one system (partner name, or 'tradelane') allowed to make this transition." },
          event: eventType,
          requires: { type: "array", items: eventType, description: "Events that must have happened first; work waits until they have." }
        }
      }
    }
  }
})
