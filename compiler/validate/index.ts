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
import { diagnosticAt, parseYaml } from "../parse/yaml.ts"
import type { SourceFile } from "../source/source.ts"
import { isSpecPath } from "../source/source.ts"
import { checkDocumentSchema, checkEmbeddedSchema } from "./schema.ts"
import { KINDS } from "../schemas/index.ts"
import type { Kind } from "../schemas/index.ts"

export interface ValidateOptions {
  /** Turns a guide spec into the JSON Schema of the structured JSON it yields (from the EDI engine). */
  readonly guideShape?: GuideShape
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
  for (const file of sorted) {
    if (!isSpecPath(file.path)) continue
    const parsed = parseYaml(file)
    diagnostics.push(...parsed.diagnostics)
    for (const doc of parsed.documents) {
      if (doc.broken) {
        // Already reported as a YAML error; kept only so that references to its name still resolve.
        const kind = (doc.value as { kind?: unknown } | null)?.kind
        documents.push({ doc, valid: false, ...(typeof kind === "string" && (KINDS as ReadonlyArray<string>).includes(kind) ? { kind: kind as Kind } : {}) })
        continue
      }
      const check = checkDocumentSchema(doc)
      // A literal secret is reported once, by the secret scan, whatever the schema says about that node.
      const secrets: Diagnostic[] = []
      checkSecrets(doc, secrets)
      const secretPaths = new Set(secrets.map((s) => s.path))
      diagnostics.push(...secrets, ...check.diagnostics.filter((d) => !(d.code === "TL7001" && secretPaths.has(d.path)) && !(secretPaths.has(d.path) && d.code.startsWith("TL2"))))
      documents.push({ doc, valid: check.valid, ...(check.kind ? { kind: check.kind } : {}) })
    }
  }
  const built = buildModel(documents, sorted)
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
      const problem = checkEmbeddedSchema(s.schema)
      if (problem) {
        invalidShapes.add(s.schema)
        diagnostics.push(diagnosticAt("TL2011", `payload schema '${p.name}/${s.name}' is not a valid JSON Schema: ${problem}`, s.file, s.doc.locate([])))
      }
    }
  }
  checkMappings(ctx, options.guideShape, invalidShapes)
  if (options.guideCheck) {
    for (const g of model.guides.values()) {
      for (const problem of options.guideCheck(g.spec)) ctx.report("TL5014", `guide '${g.name}': ${problem}`, g.doc, ["spec", "segments"], { atKey: true })
    }
  }
  checkPolicies(model, diagnostics, documents)
  return { model, documents, diagnostics: normalize(diagnostics) }
}
