// The emit IR: the model lowered into independent units of generation. A unit carries everything its
// output depends on (and nothing else), so its content hash is a sound cache key: a changed spec
// recompiles exactly the units whose inputs changed. Whole-organisation artifacts (registry, ops
// documents) are cheap and are emitted from the model every time.
import type { JsonSchema } from "../model/model.ts"
import type { ParsedDocument } from "../parse/yaml.ts"
import type { FieldTree, LookupTables } from "./jsonata/index.ts"
import type { TypeRef } from "./names.ts"

/** A JSON Schema that becomes a types module and a validator module. */
export interface ShapeUnit {
  readonly k: "shape"
  /** `entity:order@1`, `schema:amazon-us/Order`, `guide:bigbox-850`. */
  readonly key: string
  readonly type: TypeRef
  /** Spec files it comes from (repository-relative), for the header. */
  readonly from: ReadonlyArray<string>
  /** (For a payload schema with a digest: parsed when first read, see `digest`.) */
  readonly schema: JsonSchema
  /** The digest of `schema` when known (model/digest.ts): the cache key uses it and never reads `schema`. */
  readonly digest?: string
}

/** A Mapping compiled into one straight-line module. */
export interface MappingUnit {
  readonly k: "mapping"
  readonly key: string
  readonly name: string
  readonly module: string
  readonly from: ReadonlyArray<string>
  readonly fields: FieldTree
  readonly tables?: LookupTables
  readonly input?: TypeRef
  readonly output?: TypeRef
}

/**
 * A Flow, emitted by flows.ts from the whole model. Its output depends on the flow and on what the flow
 * names (partners with their payload schemas and guides, mappings, the event taxonomy, the lifecycles);
 * `deps` is the digest of exactly that, so a change elsewhere does not re-emit it.
 */
export interface FlowUnit {
  readonly k: "flow"
  readonly key: string
  readonly name: string
  readonly deps: string
}

export type Unit = ShapeUnit | MappingUnit | FlowUnit

/** Where a unit's spec lives, for positioning compile errors. Never part of a cache key. */
export interface UnitOrigin {
  readonly doc: ParsedDocument
  /** Path of the node inside the document (for shapes: the schema). */
  readonly path: ReadonlyArray<string | number>
}

export interface LoweredModel {
  readonly units: ReadonlyArray<Unit>
  readonly origins: ReadonlyMap<string, UnitOrigin>
}

/** The content a unit's cache key is computed from: the unit itself (it holds no document). */
export const unitIdentity = (unit: Unit): unknown => unit
