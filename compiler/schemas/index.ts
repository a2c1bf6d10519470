// The spec-kind schemas by kind. These objects are the single source of truth for the spec language.
import type { JsonSchema, Kind } from "./common.ts"
import { canonicalEntitySchema } from "./canonical-entity.ts"
import { eventTaxonomySchema } from "./event-taxonomy.ts"
import { flowSchema } from "./flow.ts"
import { guideSchema } from "./guide.ts"
import { lifecycleSchema } from "./lifecycle.ts"
import { mappingSchema } from "./mapping.ts"
import { partnerSchema } from "./partner.ts"
import { policySchema } from "./policy.ts"
import { reconciliationSchema } from "./reconciliation.ts"
import { sloSchema } from "./slo.ts"

export { API_VERSION, KINDS, schemaFileName } from "./common.ts"
export type { JsonSchema, Kind } from "./common.ts"

export const SCHEMAS: Readonly<Record<Kind, JsonSchema>> = {
  CanonicalEntity: canonicalEntitySchema,
  EventTaxonomy: eventTaxonomySchema,
  Flow: flowSchema,
  Guide: guideSchema,
  Lifecycle: lifecycleSchema,
  Mapping: mappingSchema,
  Partner: partnerSchema,
  Policy: policySchema,
  Reconciliation: reconciliationSchema,
  SLO: sloSchema
}
