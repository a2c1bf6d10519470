// Builds the model from parsed, schema-checked documents. Pure: the SourceSet is the only input.
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { WHOLE_FILE } from "../diagnostics/diagnostic.ts"
import type { ParsedDocument, ParseResult } from "../parse/yaml.ts"
import { diagnosticAt, jsonObjectDocument, parseJson } from "../parse/yaml.ts"
import { documentDigestOf, registerDigest } from "./digest.ts"
import type { Kind } from "../schemas/index.ts"
import type { SourceFile } from "../source/source.ts"
import type {
  JsonSchema,
  EntityNode,
  EventNode,
  Fixture,
  FlowNode,
  GuideNode,
  LifecycleNode,
  MappingNode,
  Model,
  Node,
  PartnerNode,
  PayloadSchema,
  PolicyNode,
  ReconciliationNode,
  SloNode,
  TaxonomyNode
} from "./model.ts"

export interface CheckedDocument {
  readonly doc: ParsedDocument
  readonly kind?: Kind
  readonly valid: boolean
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const partnerFolderOf = (file: string): string | undefined => /^partners\/([^/]+)\//.exec(file)?.[1]

const dirOf = (file: string): string => file.slice(0, Math.max(0, file.lastIndexOf("/")))

const joinPath = (dir: string, rel: string): string => {
  const parts = dir === "" ? [] : dir.split("/")
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue
    if (seg === "..") parts.pop()
    else parts.push(seg)
  }
  return parts.join("/")
}

const nodeOf = <K extends Kind, S>(kind: K, doc: ParsedDocument): Node<K, S> => {
  const v = doc.value as { metadata: { name: string; owners?: string[]; labels?: Record<string, string>; description?: string }; spec: S }
  return {
    kind,
    name: v.metadata.name,
    owners: v.metadata.owners ?? [],
    labels: v.metadata.labels ?? {},
    ...(v.metadata.description !== undefined ? { description: v.metadata.description } : {}),
    spec: v.spec,
    doc
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Keeps the first document per key in file order; the duplicate check reports the others. */
const firstByKey = <T>(items: ReadonlyArray<T>, key: (t: T) => string): Map<string, T> => {
  const map = new Map<string, T>()
  for (const t of items) if (!map.has(key(t))) map.set(key(t), t)
  return new Map([...map.entries()].sort(([a], [b]) => compareText(a, b)))
}

export interface BuildResult {
  readonly model: Model
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

/** `json` parses a payload schema file (parseJson, or the validate cache's stand-in for it). */
export const buildModel = (documents: ReadonlyArray<CheckedDocument>, files: ReadonlyArray<SourceFile>, json: (file: SourceFile) => ParseResult = parseJson): BuildResult => {
  const diagnostics: Diagnostic[] = []
  const byPath = new Map(files.map((f) => [f.path, f]))
  const declared = new Map<Kind, Set<string>>()
  const valid = (kind: Kind) => documents.filter((d) => d.valid && d.kind === kind).map((d) => d.doc)

  for (const d of documents) {
    const v = d.doc.value
    if (d.kind && isRecord(v) && isRecord(v["metadata"]) && typeof v["metadata"]["name"] === "string") {
      const set = declared.get(d.kind) ?? new Set<string>()
      set.add(d.kind === "CanonicalEntity" && isRecord(v["spec"]) && typeof v["spec"]["version"] === "number" ? `${v["metadata"]["name"]}@${v["spec"]["version"]}` : v["metadata"]["name"])
      declared.set(d.kind, set)
    }
  }

  const parsedJson = new Map<string, ParsedDocument | null>()
  const jsonDoc = (path: string): ParsedDocument | null | undefined => {
    if (parsedJson.has(path)) return parsedJson.get(path)
    const file = byPath.get(path)
    if (!file) return undefined
    const r = json(file)
    diagnostics.push(...r.diagnostics)
    const doc = r.documents[0] ?? null
    parsedJson.set(path, doc)
    return doc
  }

  const partners = firstByKey(
    valid("Partner").map((doc): PartnerNode => {
      const base = nodeOf<"Partner", PartnerNode["spec"]>("Partner", doc)
      const folder = dirOf(doc.file)
      const schemas = new Map<string, PayloadSchema>()
      for (const [name, rel] of Object.entries(base.spec.schemas ?? {}).sort(([a], [b]) => compareText(a, b))) {
        if (rel === undefined) continue
        const file = joinPath(folder, rel)
        const sdoc = jsonDoc(file)
        if (sdoc === undefined) {
          diagnostics.push(diagnosticAt("TL3010", `schema file '${rel}' of partner '${base.name}' does not exist (looked for ${file})`, doc.file, doc.locate(["spec", "schemas", name])))
        } else if (sdoc !== null && (jsonObjectDocument(sdoc) ?? isRecord(sdoc.value))) {
          const digest = documentDigestOf(sdoc)
          if (digest === undefined) schemas.set(name, { partner: base.name, name, file, schema: sdoc.value as JsonSchema, doc: sdoc })
          else {
            // The schema is parsed when something reads it, and then known by its digest too.
            schemas.set(name, {
              partner: base.name,
              name,
              file,
              get schema(): JsonSchema {
                const v = sdoc.value as JsonSchema
                registerDigest(v, digest)
                return v
              },
              doc: sdoc
            })
          }
        } else if (sdoc !== null) {
          diagnostics.push(diagnosticAt("TL2011", `schema file '${rel}' is not a JSON Schema object`, file, WHOLE_FILE))
        }
      }
      return { ...base, folder, schemas }
    }),
    (p) => p.name
  )

  const withPartner = <T extends { doc: ParsedDocument }>(n: T): T & { partner?: string } => {
    const p = partnerFolderOf(n.doc.file)
    return p === undefined ? n : { ...n, partner: p }
  }

  const guides = firstByKey(valid("Guide").map((doc): GuideNode => withPartner(nodeOf("Guide", doc))), (g) => g.name)
  const entities = firstByKey(
    valid("CanonicalEntity").map((doc): EntityNode => {
      const n = nodeOf<"CanonicalEntity", EntityNode["spec"]>("CanonicalEntity", doc)
      return { ...n, id: `${n.name}@${n.spec.version}` }
    }),
    (e) => e.id
  )
  const mappings = firstByKey(valid("Mapping").map((doc): MappingNode => withPartner(nodeOf("Mapping", doc))), (m) => m.name)
  const taxonomies = firstByKey(valid("EventTaxonomy").map((doc): TaxonomyNode => nodeOf("EventTaxonomy", doc)), (t) => t.name)
  const eventList: EventNode[] = []
  for (const t of taxonomies.values()) t.spec.events.forEach((spec, index) => eventList.push({ type: spec.type, version: spec.version, spec, taxonomy: t, index }))
  const events = firstByKey(eventList, (e) => e.type)
  const lifecycles = firstByKey(valid("Lifecycle").map((doc): LifecycleNode => nodeOf("Lifecycle", doc)), (l) => l.name)
  const flows = firstByKey(valid("Flow").map((doc): FlowNode => nodeOf("Flow", doc)), (f) => f.name)
  const slos = firstByKey(valid("SLO").map((doc): SloNode => nodeOf("SLO", doc)), (s) => s.name)
  const reconciliations = firstByKey(valid("Reconciliation").map((doc): ReconciliationNode => nodeOf("Reconciliation", doc)), (r) => r.name)
  const policies = firstByKey(valid("Policy").map((doc): PolicyNode => nodeOf("Policy", doc)), (p) => p.name)

  // Fixtures: partners/<p>/tests/<mapping>/<case>.input.(json|edi) with <case>.expected.json beside it.
  const fixtures: Fixture[] = []
  for (const f of files) {
    const m = /^partners\/([^/]+)\/tests\/([^/]+)\/(.+)\.input\.(json|edi|x12)$/.exec(f.path)
    if (!m) continue
    const expected = `partners/${m[1]}/tests/${m[2]}/${m[3]}.expected.json`
    fixtures.push({ partner: m[1]!, mapping: m[2]!, name: m[3]!, input: f.path, ...(byPath.has(expected) ? { expected } : {}) })
  }

  const model: Model = {
    partners,
    guides,
    entities,
    mappings,
    taxonomies,
    events,
    lifecycles,
    flows,
    slos,
    reconciliations,
    policies,
    fixtures,
    declared
  }
  return { model, diagnostics }
}
