// Schema fragments shared by several kinds.
import type { JsonSchema } from "./common.ts"
import { name } from "./common.ts"

export const criticality: JsonSchema = {
  enum: ["low", "medium", "high", "critical"],
  description: "How much the business depends on it; policies key off this."
}

/** Duration such as `250ms`, `30s`, `5m`, `24h`, `30d`, `4w`. */
export const duration: JsonSchema = {
  type: "string",
  pattern: "^[0-9]+(ms|s|m|h|d|w)$",
  description: "A duration: a whole number followed by ms, s, m, h, d or w (e.g. 30s, 24h, 28d)."
}

/** `order@1`: a canonical entity and its major version. */
export const entityRef: JsonSchema = {
  type: "string",
  pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?@[1-9][0-9]*$",
  description: "A canonical entity and its major version, e.g. order@1."
}

/** `amazon-us/Order`: a payload schema declared by a partner. */
export const schemaRef: JsonSchema = {
  type: "string",
  pattern: "^[a-z0-9]([a-z0-9-]*[a-z0-9])?/[A-Za-z][A-Za-z0-9]*$",
  description: "A partner payload schema: <partner>/<SchemaName>, e.g. amazon-us/Order."
}

/** Event type such as `order.received`. */
export const eventType: JsonSchema = {
  type: "string",
  pattern: "^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$",
  description: "A dotted event type, e.g. order.received (its version is declared in the taxonomy)."
}

/** X12 transaction set id. */
export const x12Document: JsonSchema = {
  type: "string",
  pattern: "^[0-9]{3}$",
  description: "An X12 transaction set identifier (ST01), e.g. 850."
}

/** A JSONata expression. */
export const expression: JsonSchema = {
  type: "string",
  minLength: 1,
  description: "A JSONata expression, compiled ahead of time."
}

/** One end of a mapping: a canonical entity, a partner schema or an EDI guide. */
export const mappingEnd: JsonSchema = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    entity: entityRef,
    schema: schemaRef,
    guide: { ...name, description: "An EDI guide (kind: Guide) by name." }
  },
  description: "Exactly one of entity, schema or guide."
}

export const cron: JsonSchema = {
  type: "string",
  pattern: "^(\\S+\\s+){4}\\S+$",
  description: "A five-field cron expression (minute hour day-of-month month day-of-week), UTC."
}

export const retry: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    maxAttempts: { type: "integer", minimum: 1, maximum: 100, description: "Attempts before dead-lettering, first one included." },
    initialDelay: duration,
    maxDelay: duration,
    multiplier: { type: "number", minimum: 1, maximum: 10 },
    jitter: { type: "boolean", description: "Randomise each delay (full jitter)." }
  }
}
