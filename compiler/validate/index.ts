// validate: sources -> documents -> schema check -> model -> semantic checks, accumulating every finding
// from every file. Pure: a SourceSet in, a model and sorted, de-duplicated diagnostics out.
import { checkLifecycles } from "../checks/lifecycle.ts"
import { checkMappings } from "../checks/mappings.ts"
import { makeContext } from "../checks/context.ts"
import { checkPolicies } from "../checks/policy.ts"
import { checkDuplicates, checkReferences } from "../checks/references.ts"
import { checkSecrets } from "../checks/secrets.ts"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { normalize } from "../diagnostics/diagnostic.ts"
import { buildModel } from "../model/build.ts"
import type { CheckedDocument } from "../model/build.ts"
import type { Model } from "../model/model.ts"
import type { GuideShape } from "../model/shapes.ts"
import { diagnosticAt, jsonDocument, parseJson, parseYaml, restoredDocument } from "../parse/yaml.ts"
import type { ParsedDocument, ParseResult } from "../parse/yaml.ts"
import type { JsonSchema } from "../model/model.ts"
import { jsonSafe } from "./cache.ts"
import { registerDocumentDigest } from "../model/digest.ts"
import type { CachedDocument, FileFacts, ValidateCache } from "./cache.ts"
import type { SourceFile } from "../source/source.ts"
import { isSpecPath } from "../source/source.ts"
import { checkDocumentSchema, checkEmbeddedSchema } from "./schema.ts"
import { KINDS } from "../schemas/index.ts"
import type { Kind } from "../schemas/index.ts"

export interface ValidateOptions {
  /** Turns a guide spec into the JSON Schema of the structured JSON it yields (from the EDI engine). */
  readonly guideShape?: GuideShape
  /** Keeps what validate learns from each file alone across runs (cache.ts); the result is the same with or without it. */
  readonly cache?: ValidateCache
  /** Structural problems of a guide spec (from the EDI engine), as sentences. */
  readonly guideCheck?: (guideSpec: unknown) => ReadonlyArray<string>
}

export interface ValidateResult {
  readonly model: Model
  readonly documents: ReadonlyArray<CheckedDocument>
  readonly diagnostics: ReadonlyArray<Diagnostic>
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export const validateSources = (files: ReadonlyArray<SourceFile>, options: ValidateOptions = {}): ValidateResult => {
  const diagnostics: Diagnostic[] = []
  const sorted = [...files].sort((a, b) => compareText(a.path, b.path))
  const documents: CheckedDocument[] = []
  // The cached facts of each Mapping document, where its TL4101 findings are kept once computed.
  const mappingFacts = new Map<ParsedDocument, CachedDocument>()
  const cache = options.cache
  for (const file of sorted) {
    if (!isSpecPath(file.path)) continue
    const known = cache?.get(file.path, file.text)
    if (known?.k === "yaml") {
      // What a parse and the per-document checks gave last time, with positions computed on demand.
      let parsed: ParseResult | undefined
      const reparse = () => (parsed ??= parseYaml(file))
      diagnostics.push(...known.diagnostics)
      for (const d of known.documents) {
        const doc = restoredDocument(file, d.index, d.value, d.broken === true, reparse)
        if (d.kind === "Mapping") mappingFacts.set(doc, d)
        documents.push({ doc, valid: d.valid, ...(d.kind ? { kind: d.kind } : {}) })
      }
      continue
    }
    const found: Diagnostic[] = []
    const facts: CachedDocument[] = []
    const parsed = parseYaml(file)
    found.push(...parsed.diagnostics)
    for (const doc of parsed.documents) {
      let checked: CheckedDocument
      if (doc.broken) {
        // Already reported as a YAML error; kept only so that references to its name still resolve.
        const kind = (doc.value as { kind?: unknown } | null)?.kind
        checked = { doc, valid: false, ...(typeof kind === "string" && (KINDS as ReadonlyArray<string>).includes(kind) ? { kind: kind as Kind } : {}) }
      } else {
        const check = checkDocumentSchema(doc)
        // A literal secret is reported once, by the secret scan, whatever the schema says about that node.
        const secrets: Diagnostic[] = []
        checkSecrets(doc, secrets)
        const secretPaths = new Set(secrets.map((s) => s.path))
        found.push(...secrets, ...check.diagnostics.filter((d) => !(d.code === "TL7001" && secretPaths.has(d.path)) && !(secretPaths.has(d.path) && d.code.startsWith("TL2"))))
        checked = { doc, valid: check.valid, ...(check.kind ? { kind: check.kind } : {}) }
      }
      documents.push(checked)
      const f: CachedDocument = { index: doc.index, value: doc.value, ...(doc.broken ? { broken: true as const } : {}), valid: checked.valid, ...(checked.kind ? { kind: checked.kind } : {}) }
      if (checked.kind === "Mapping") mappingFacts.set(doc, f)
      facts.push(f)
    }
    diagnostics.push(...found)
    if (cache && facts.every((f) => jsonSafe(f.value))) cache.set(file.path, file.text, { k: "yaml", documents: facts, diagnostics: found })
  }
  // Payload schemas: a strict JSON file seen before is JSON.parse of its text, nothing more.
  const jsonFacts = new Map<string, { embedded?: string }>()
  const json = (file: SourceFile): ParseResult => {
    const known = cache?.get(file.path, file.text)
    const r: ParseResult = known?.k === "json" ? { documents: [jsonDocument(file)], diagnostics: [], strictJson: true } : parseJson(file)
    if (cache && r.strictJson === true) {
      const f: FileFacts = known?.k === "json" ? known : { k: "json" }
      if (f !== known) cache.set(file.path, file.text, f)
      jsonFacts.set(file.path, f)
      // The value is JSON.parse of exactly this text: checks and emit may key it by the text's hash, and
      // need not parse it (jsonDocument parses on first read).
      const hash = cache.hashOf(file.path)
      if (hash !== undefined) registerDocumentDigest(r.documents[0]!, `json-sha1:${hash}`)
    }
    return r
  }
  /** checkEmbeddedSchema for a payload schema file, from the cache when known. */
  const embeddedProblem = (file: string, schema: () => JsonSchema): string | undefined => {
    const f = jsonFacts.get(file)
    if (f?.embedded !== undefined) return f.embedded === "" ? undefined : f.embedded
    const problem = checkEmbeddedSchema(schema())
    if (f !== undefined) {
      f.embedded = problem ?? ""
      cache?.changed(file)
    }
    return problem
  }
  const built = buildModel(documents, sorted, json)
  diagnostics.push(...built.diagnostics)
  const model = built.model
  const ctx = makeContext(model, diagnostics)
  checkDuplicates(ctx, documents)
  checkReferences(ctx)
  checkLifecycles(ctx)
  const invalidShapes = new Set<object>()
  for (const e of model.entities.values()) {
    const problem = checkEmbeddedSchema(e.spec.schema)
    if (problem) {
      invalidShapes.add(e.spec.schema)
      ctx.report("TL2011", `the schema of ${e.id} is not a valid JSON Schema: ${problem}`, e.doc, ["spec", "schema"])
    }
  }
  for (const p of model.partners.values()) {
    for (const s of p.schemas.values()) {
      const problem = embeddedProblem(s.file, () => s.schema)
      if (problem) {
        // (The node too: checkMappings looks a payload schema with a digest up by its node, not to parse it.)
        invalidShapes.add(s.schema).add(s)
        diagnostics.push(diagnosticAt("TL2011", `payload schema '${p.name}/${s.name}' is not a valid JSON Schema: ${problem}`, s.file, s.doc.locate([])))
      }
    }
  }
  checkMappings(ctx, options.guideShape, invalidShapes, {
    compilable: (m, compute) => {
      const f = mappingFacts.get(m.doc)
      if (f?.compilable !== undefined) return f.compilable
      const found = compute()
      if (f !== undefined && cache !== undefined) {
        f.compilable = found
        cache.changed(m.doc.file)
      }
      return found
    },
    fields: (m, shapes, compute) => {
      const f = mappingFacts.get(m.doc)
      if (f?.fields !== undefined && f.fields.shapes === shapes) return f.fields.diagnostics
      const found = compute()
      if (f !== undefined && cache !== undefined) {
        f.fields = { shapes, diagnostics: found }
        cache.changed(m.doc.file)
      }
      return found
    }
  })
  if (options.guideCheck) {
    for (const g of model.guides.values()) {
      for (const problem of options.guideCheck(g.spec)) ctx.report("TL5014", `guide '${g.name}': ${problem}`, g.doc, ["spec", "segments"], { atKey: true })
    }
  }
  checkPolicies(model, diagnostics, documents)
  cache?.save()
  return { model, documents, diagnostics: normalize(diagnostics) }
}
