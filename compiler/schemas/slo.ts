import { envelope, name } from "./common.ts"
import { duration } from "./fragments.ts"

const percent = { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 100 }

export const sloSchema = envelope("SLO", "tradelane SLO: latency and success objectives of one flow", {
  type: "object",
  additionalProperties: false,
  required: ["flow", "window"],
  anyOf: [{ required: ["success"] }, { required: ["latency"] }],
  properties: {
    flow: name,
    description: { type: "string" },
    window: { ...duration, description: "Rolling window, e.g. 28d or 30d." },
    success: {
      type: "object",
      additionalProperties: false,
      required: ["objective"],
      properties: { objective: { ...percent, description: "Percent of runs that succeed, e.g. 99.9." } }
    },
    latency: {
      type: "object",
      additionalProperties: false,
      required: ["threshold", "objective"],
      properties: {
        threshold: { ...duration, description: "A run is fast enough when it ends within this." },
        objective: { ...percent, description: "Percent of runs within the threshold, e.g. 99." }
      }
    },
    alerting: {
      type: "object",
      additionalProperties: false,
      properties: { page: { type: "string" }, ticket: { type: "string" } }
    }
  }
})
