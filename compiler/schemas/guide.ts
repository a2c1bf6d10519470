// Guide: one trading partner's X12 implementation guide for one transaction set. It lists the body of
// the set (the segments between ST and SE; the engine handles ST/SE and the envelope, so they are not
// listed) as segments and loops in order, with usage, repeats, element types, lengths and code lists,
// X12 syntax notes, and the JSON names the structured output uses (runtime/edi `structure`).
import { envelope, type JsonSchema } from "./common.ts"

const usage: JsonSchema = {
  type: "string",
  enum: ["required", "optional", "situational", "not-used"],
  description:
    "required: must be present (AK3 3 / AK4 1 when missing); optional and situational: may be present; not-used: must be absent (999 I4 / I10)."
}

const segmentId: JsonSchema = {
  type: "string",
  pattern: "^[A-Z][A-Z0-9]{1,2}$",
  not: { enum: ["ST", "SE", "GS", "GE", "ISA", "IEA"] },
  description: "Segment id (2-3 characters). ST/SE and envelope segments are handled by the engine and are not listed."
}

const jsonName: JsonSchema = {
  type: "string",
  pattern: "^[a-z][A-Za-z0-9]*$",
  description: "camelCase key of this item in the structured JSON that mappings read and write."
}

const elementId: JsonSchema = {
  type: "string",
  pattern: "^[A-Z][A-Z0-9]{1,2}[0-9]{2}(-[0-9]{2})?$",
  description: "Segment id plus two-digit position, e.g. BEG03 (for a component: PO401-01)."
}

const qualifier: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["element", "codes"],
  properties: {
    element: { ...elementId, description: "Element whose value tells this segment or loop from others with the same id (e.g. N101)." },
    codes: { type: "array", items: { type: "string" }, minItems: 1, description: "Values of that element that select this item (e.g. [ST])." }
  },
  description: "Selects this segment or loop only when the qualifier element holds one of the codes."
}

const elementCore = {
  id: elementId,
  name: { ...jsonName, description: "JSON key. Omit to validate the element without putting it in the JSON (qualifiers, HL numbers)." },
  description: { type: "string", description: "What the element holds, for people reading the guide." },
  type: {
    type: "string",
    pattern: "^(ID|AN|N[0-9]?|R|DT|TM|B)$",
    description: "X12 data type: ID (code), AN (string), N0..N9 (numeric with implied decimals), R (decimal), DT (date), TM (time), B (binary)."
  },
  min: { type: "integer", minimum: 0, description: "Minimum length." },
  max: { type: "integer", minimum: 1, description: "Maximum length." },
  usage,
  codes: { type: "array", items: { type: "string" }, uniqueItems: true, description: "Allowed values (AK4 7 otherwise)." },
  repeat: { type: "integer", minimum: 1, description: "Maximum repetitions (ISA11 separator); the JSON value is then an array." }
} as const

const component: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "type"],
  properties: { ...elementCore },
  description: "A component of a composite element."
}

const element: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: {
    ...elementCore,
    components: { type: "array", items: component, minItems: 1, description: "Makes this a composite element; its JSON value is an object." }
  },
  description: "A data element. `type` is required unless `components` is given."
}

const syntaxNote: JsonSchema = {
  type: "string",
  pattern: "^[PRECL]([0-9]{2}){2,}$",
  description:
    "X12 syntax note: P paired, R at least one required, E only one, C if first then all others, L if first then at least one other; e.g. P0607, C0302."
}

const segment: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["segment"],
  properties: {
    segment: segmentId,
    name: {
      ...jsonName,
      description: "JSON key for this segment's elements (an array when max > 1). Omit to put its elements directly in the enclosing object."
    },
    description: { type: "string" },
    usage,
    max: { type: "integer", minimum: 1, description: "Maximum use (default 1); AK3 5 when exceeded." },
    qualifier,
    syntax: { type: "array", items: syntaxNote, description: "Syntax notes (AK4 2 / 10 when violated)." },
    elements: { type: "array", items: element, description: "Elements in position order; elements past the last one listed are AK4 3." }
  }
}

const loop: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["loop", "name", "segments"],
  properties: {
    loop: { ...segmentId, description: "Id of the loop's first segment (the loop trigger), e.g. N1, PO1, HL." },
    name: { ...jsonName, description: "JSON key of the loop (an array of objects when max > 1, else one object)." },
    description: { type: "string" },
    usage,
    max: { type: "integer", minimum: 1, description: "Maximum loop repeats (default 1); AK3 4 when exceeded." },
    qualifier,
    level: {
      type: "string",
      pattern: "^[A-Z0-9]{1,2}$",
      description: "For HL loops: the HL03 level code this loop stands for (856: S shipment, O order, P pack, T tare, I item)."
    },
    children: {
      type: "array",
      items: { $ref: "#/properties/spec/definitions/loop" },
      description: "For HL loops: the loops allowed as HL children of this level (HL02 points back at this one)."
    },
    segments: { type: "array", items: { $ref: "#/properties/spec/definitions/node" }, minItems: 1, description: "The loop's segments, trigger first." }
  }
}

const rule: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["rule", "element", "counts"],
  properties: {
    rule: { type: "string", enum: ["line-count"], description: "line-count: the element holds the number of `counts` segments in the set." },
    element: { ...elementId, description: "Element holding the count, e.g. CTT01." },
    counts: { ...segmentId, description: "Segment id counted, e.g. PO1 (850) or HL (856)." }
  }
}

export const guideSpecSchema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["transactionSet", "functionalGroup", "version", "segments"],
  definitions: {
    node: { oneOf: [segment, { $ref: "#/properties/spec/definitions/loop" }] },
    loop
  },
  properties: {
    transactionSet: { type: "string", pattern: "^[0-9]{3}$", description: "ST01, e.g. \"850\"." },
    functionalGroup: { type: "string", pattern: "^[A-Z]{2}$", description: "GS01, e.g. PO." },
    version: {
      type: "string",
      pattern: "^[0-9]{6}[A-Z0-9]*$",
      description: "GS08, e.g. 004010, 004010VICS, 005010X231 (acknowledgments are then 999)."
    },
    direction: { type: "string", enum: ["inbound", "outbound"], description: "Whether we receive (inbound) or send (outbound) this set." },
    description: { type: "string" },
    segments: { type: "array", items: { $ref: "#/properties/spec/definitions/node" }, minItems: 1, description: "Body of the set in order." },
    rules: { type: "array", items: rule, description: "Cross-segment rules checked after structuring (GUIDE:<rule> findings)." },
    acknowledgment: {
      type: "object",
      additionalProperties: false,
      properties: {
        type: { type: "string", enum: ["997", "999"], description: "Which functional acknowledgment answers this set." },
        window: { type: "string", pattern: "^[0-9]+[smhd]$", description: "How long the partner has to acknowledge what we send, e.g. 24h." }
      },
      description: "Acknowledgment expectations; 999 when version is 005010X231."
    }
  }
}

export const guideSchema: JsonSchema = envelope("Guide", "tradelane Guide: one partner's X12 implementation guide", guideSpecSchema)
