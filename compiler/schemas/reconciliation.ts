import type { JsonSchema } from "./common.ts"
import { envelope, name } from "./common.ts"
import { cron, duration } from "./fragments.ts"

const side: JsonSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    partner: name,
    operation: { type: "string" },
    ledger: { enum: ["edi-sent", "edi-acks", "orders", "outbox"], description: "One of tradelane's own ledgers." },
    key: { type: "string", description: "Field that pairs records across the two sides." },
    value: { type: "string", description: "Field compared." }
  }
}

export const reconciliationSchema = envelope("Reconciliation", "tradelane Reconciliation: compare two systems' view on a schedule", {
  type: "object",
  additionalProperties: false,
  required: ["schedule", "left", "right", "onDivergence"],
  properties: {
    description: { type: "string" },
    subject: { enum: ["inventory", "acknowledgments", "order-status", "shipments"] },
    schedule: { type: "object", additionalProperties: false, required: ["cron"], properties: { cron } },
    left: side,
    right: side,
    tolerance: {
      type: "object",
      additionalProperties: false,
      properties: {
        absolute: { type: "number", minimum: 0 },
        percent: { type: "number", minimum: 0, maximum: 100 },
        age: { ...duration, description: "Ignore differences younger than this (in-flight work)." }
      }
    },
    onDivergence: {
      type: "object",
      additionalProperties: false,
      required: ["action"],
      properties: {
        action: { enum: ["alert", "exception", "resync"] },
        flow: { ...name, description: "Flow that resyncs (action: resync)." },
        severity: { enum: ["info", "warning", "critical"] }
      }
    }
  }
})
