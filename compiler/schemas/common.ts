// Shared pieces of the spec-kind JSON Schemas. Each kind's schema (compiler/schemas/<kind>.ts) is the
// single source of truth for that kind: ajv validates documents with it, json-schema-to-typescript
// derives the compiler's spec types from it, and a draft-07 copy is published under generated/schemas/.
// Schemas are draft-07 and strict: every object closes with `additionalProperties: false`.

export type JsonSchema = { readonly [key: string]: unknown }

export const API_VERSION = "tradelane/v1"

export const KINDS = [
  "Partner",
  "Guide",
  "CanonicalEntity",
  "Mapping",
  "EventTaxonomy",
  "Lifecycle",
  "Flow",
  "SLO",
  "Reconciliation",
  "Policy"
] as const
export type Kind = (typeof KINDS)[number]

/** A lower-case DNS-label-like name: `amazon-us`, `order-intake`, `bigbox-850`. */
export const name: JsonSchema = {
  type: "string",
  pattern: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
  description: "Lower-case letters, digits and '-', 1-63 characters, starting and ending with a letter or digit."
}

/** A code owner: a GitHub team (`@org/team`), user (`@user`) or e-mail address. */
export const owner: JsonSchema = {
  type: "string",
  pattern: "^(@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9._-]+)?|[^@\\s]+@[^@\\s]+\\.[^@\\s]+)$",
  description: "A GitHub team '@org/team', a user '@user', or an e-mail address."
}

export const metadata: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name,
    owners: { type: "array", items: owner, uniqueItems: true, description: "Code owners; they review changes to this document." },
    labels: {
      type: "object",
      additionalProperties: { type: "string", maxLength: 63 },
      propertyNames: { pattern: "^[a-z0-9]([a-z0-9./-]{0,61}[a-z0-9])?$" }
    },
    description: { type: "string" }
  }
}

/** Marks a schema node as a secret reference, so a literal there is reported as a literal secret (TL7001). */
export const SECRET_KEYWORD = "x-tradelane-secret"

/** A secret, always by reference: `{ env: NAME }`. Never a literal. */
export const secretRef: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["env"],
  properties: { env: { type: "string", pattern: "^[A-Z_][A-Z0-9_]*$", description: "Environment variable holding the secret." } },
  description: "A secret is referenced, never written: { env: NAME }.",
  [SECRET_KEYWORD]: true
}

/** File name of a kind's published schema under generated/schemas/: `canonical-entity.schema.json`. */
export const schemaFileName = (kind: Kind): string =>
  `${kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}.schema.json`

/** Wraps one kind's `spec` schema in the common document envelope. */
export const envelope = (kind: Kind, title: string, spec: JsonSchema, definitions?: JsonSchema): JsonSchema => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `https://tradelane.dev/schemas/v1/${schemaFileName(kind)}`,
  title,
  ...(definitions ? { definitions } : {}),
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: API_VERSION },
    kind: { const: kind },
    metadata,
    spec
  }
})
