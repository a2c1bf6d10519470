import { envelope } from "./common.ts"

export const POLICY_RULES = [
  "flow-has-owner",
  "partner-has-owner",
  "flow-has-slo",
  "critical-flow-dead-letter",
  "breaking-change-requires-major",
  "partner-owners-review"
] as const

export const policySchema = envelope("Policy", "tradelane Policy: governance rules checked at validate and plan time", {
  type: "object",
  additionalProperties: false,
  required: ["rules"],
  properties: {
    description: { type: "string" },
    failOn: { enum: ["error", "warning", "info"], description: "Lowest severity that fails validate/plan." },
    rules: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rule", "severity"],
        properties: {
          rule: { enum: [...POLICY_RULES] },
          severity: { enum: ["error", "warning", "info"] },
          criticality: { type: "array", items: { enum: ["low", "medium", "high", "critical"] }, description: "critical-flow-dead-letter: which criticalities need a dead letter." },
          waiverLabel: { type: "string", description: "A PR label that waives this rule for the PR." },
          description: { type: "string" }
        }
      }
    }
  }
})
