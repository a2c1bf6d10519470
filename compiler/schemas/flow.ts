import type { JsonSchema } from "./common.ts"
import { envelope, name } from "./common.ts"
import { criticality, cron, duration, entityRef, eventType, expression, retry, x12Document } from "./fragments.ts"

const one = (properties: Record<string, JsonSchema>, required: string[], description: string): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  required,
  properties,
  description
})

const trigger: JsonSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  description: "Exactly one of webhook, edi, event, schedule.",
  properties: {
    webhook: one({ partner: name, topic: { type: "string" } }, ["partner", "topic"], "An HTTP webhook the partner calls."),
    edi: one({ partner: name, document: x12Document }, ["partner", "document"], "An X12 document arriving in the partner's inbox."),
    event: one({ type: eventType }, ["type"], "An event from the taxonomy."),
    schedule: one({ cron, partner: name, operation: { type: "string" } }, ["cron"], "A schedule, optionally polling a partner operation.")
  }
}

const stepBody: Record<string, JsonSchema> = {
  map: one({ mapping: name }, ["mapping"], "Apply a mapping to the current payload."),
  validate: one({ entity: entityRef }, ["entity"], "Validate the payload against a canonical entity."),
  enrich: one(
    { partner: name, operation: { type: "string" }, into: { type: "string" }, key: expression },
    ["partner", "operation", "into"],
    "Fetch master data from a system and add it to the payload."
  ),
  route: one(
    {
      partner: { ...name, description: "The warehouse partner whose warehouses are candidates." },
      by: { type: "array", minItems: 1, uniqueItems: true, items: { enum: ["availability", "service-level", "constraints", "region", "priority"] } },
      serviceLevel: expression
    },
    ["partner", "by"],
    "Choose the fulfilling warehouse."
  ),
  call: one(
    { partner: name, operation: { type: "string" }, mapping: name },
    ["partner", "operation"],
    "Call a partner's HTTP operation (through the outbox), optionally mapping the payload first."
  ),
  send: one(
    { partner: name, document: x12Document, mapping: name },
    ["partner", "document"],
    "Send an X12 document to an EDI partner (through the outbox)."
  ),
  acknowledge: one({ partner: name }, ["partner"], "Send the functional acknowledgment (997/999) the partner expects."),
  emit: one({ event: eventType }, ["event"], "Publish an event (through the outbox).")
}

const step: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: {
    id: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
    when: { ...expression, description: "Run the step only when this is true." },
    ...stepBody
  },
  oneOf: Object.keys(stepBody).map((k) => ({ required: [k] })),
  description: "A step: id, optional when, and exactly one action."
}

export const flowSchema = envelope("Flow", "tradelane Flow: a trigger and the steps that follow it", {
  type: "object",
  additionalProperties: false,
  required: ["trigger", "steps", "idempotencyKey", "criticality"],
  properties: {
    description: { type: "string" },
    criticality,
    trigger,
    idempotencyKey: { ...expression, description: "Expression over the trigger payload; duplicates are dropped before any side effect." },
    businessKeys: {
      type: "object",
      additionalProperties: expression,
      description: "Keys an operator searches by (orderId, poNumber, asn, invoice) -> expression."
    },
    steps: { type: "array", minItems: 1, items: step },
    retry,
    errors: {
      type: "object",
      additionalProperties: false,
      properties: {
        transient: { type: "array", items: { enum: ["network", "timeout", "http-5xx", "http-429", "http-409"] } },
        permanent: { type: "array", items: { enum: ["validation", "mapping", "http-4xx", "edi-syntax"] } },
        policy: { type: "array", items: { enum: ["lifecycle", "waiting", "credit-hold"] } }
      }
    },
    deadLetter: one({ enabled: { type: "boolean" }, retention: duration }, ["enabled"], "Where permanent failures go."),
    requires: { type: "array", items: eventType, description: "Events that must have happened for the business key before the flow runs." }
  }
})
