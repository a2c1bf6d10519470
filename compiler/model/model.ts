// The model: one immutable object graph of every valid document, indexed by kind and name, each node
// keeping its document so later phases can point back at file:line:col.
import type { ParsedDocument } from "../parse/yaml.ts"
import type { Kind } from "../schemas/index.ts"
import type {
  CanonicalEntityDocument,
  EventTaxonomyDocument,
  FlowDocument,
  GuideDocument,
  LifecycleDocument,
  MappingDocument,
  PartnerDocument,
  PolicyDocument,
  ReconciliationDocument,
  SLODocument
} from "../schemas/spec-types.ts"

export type JsonSchema = { readonly [key: string]: unknown }

export interface Node<K extends Kind, S> {
  readonly kind: K
  readonly name: string
  readonly owners: ReadonlyArray<string>
  readonly labels: Readonly<Record<string, string>>
  readonly description?: string
  readonly spec: S
  readonly doc: ParsedDocument
  /** Path of the `spec` node inside the document, for locating: always ["spec"]. */
}

export interface PayloadSchema {
  readonly partner: string
  readonly name: string
  /** Repository-relative path of the JSON Schema file. */
  readonly file: string
  /** JSON.parse of the file; parsed when first read if validate knows its digest (model/digest.ts's documentDigestOf(doc)). */
  readonly schema: JsonSchema
  readonly doc: ParsedDocument
}

export type PartnerNode = Node<"Partner", PartnerDocument["spec"]> & {
  /** partners/<folder>: the folder the partner.yaml lives in. */
  readonly folder: string
  readonly schemas: ReadonlyMap<string, PayloadSchema>
}
export type GuideNode = Node<"Guide", GuideDocument["spec"]> & { readonly partner?: string }
export type EntityNode = Node<"CanonicalEntity", CanonicalEntityDocument["spec"]> & { readonly id: string }
export type MappingNode = Node<"Mapping", MappingDocument["spec"]> & { readonly partner?: string }
export type TaxonomyNode = Node<"EventTaxonomy", EventTaxonomyDocument["spec"]>
export type LifecycleNode = Node<"Lifecycle", LifecycleDocument["spec"]>
export type FlowNode = Node<"Flow", FlowDocument["spec"]>
export type SloNode = Node<"SLO", SLODocument["spec"]>
export type ReconciliationNode = Node<"Reconciliation", ReconciliationDocument["spec"]>
export type PolicyNode = Node<"Policy", PolicyDocument["spec"]>

export type EventSpec = EventTaxonomyDocument["spec"]["events"][number]
export interface EventNode {
  readonly type: string
  readonly version: number
  readonly spec: EventSpec
  readonly taxonomy: TaxonomyNode
  /** Index in the taxonomy's spec.events. */
  readonly index: number
}

export interface Fixture {
  readonly partner: string
  readonly mapping: string
  readonly name: string
  readonly input: string
  readonly expected?: string
}

export interface Model {
  readonly partners: ReadonlyMap<string, PartnerNode>
  readonly guides: ReadonlyMap<string, GuideNode>
  /** By id: `order@1`. */
  readonly entities: ReadonlyMap<string, EntityNode>
  readonly mappings: ReadonlyMap<string, MappingNode>
  readonly taxonomies: ReadonlyMap<string, TaxonomyNode>
  /** By event type (`order.received`). */
  readonly events: ReadonlyMap<string, EventNode>
  readonly lifecycles: ReadonlyMap<string, LifecycleNode>
  readonly flows: ReadonlyMap<string, FlowNode>
  readonly slos: ReadonlyMap<string, SloNode>
  readonly reconciliations: ReadonlyMap<string, ReconciliationNode>
  readonly policies: ReadonlyMap<string, PolicyNode>
  readonly fixtures: ReadonlyArray<Fixture>
  /** Names of every document that declared a kind and a name, valid or not: references to them resolve. */
  readonly declared: ReadonlyMap<Kind, ReadonlySet<string>>
}

/** The systems that may own transitions and produce events: every partner, and tradelane itself. */
export const SELF = "tradelane"
export const systems = (model: Model): ReadonlySet<string> => new Set([SELF, ...(model.declared.get("Partner") ?? [])])
