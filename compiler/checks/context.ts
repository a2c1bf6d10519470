// Shared helpers for semantic checks: each check is a pure function (model) -> diagnostics.
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { suggestion } from "../diagnostics/didyoumean.ts"
import type { Model } from "../model/model.ts"
import type { JsonPath, ParsedDocument } from "../parse/yaml.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import type { Kind } from "../schemas/index.ts"
import { showPath } from "../validate/schema.ts"

export type Report = (code: string, message: string, doc: ParsedDocument, path: JsonPath, extra?: { hint?: string; atKey?: boolean }) => void

export interface CheckContext {
  readonly model: Model
  /** Where findings go (report and reference push here). */
  readonly out: Diagnostic[]
  readonly report: Report
  /** Reports TL30xx when `name` is not declared as `kind`; returns whether it resolved. */
  readonly reference: (kind: Kind, name: string, doc: ParsedDocument, path: JsonPath, label?: string) => boolean
}

const REFERENCE_CODES: Partial<Record<Kind, [code: string, label: string]>> = {
  Partner: ["TL3002", "partner"],
  Mapping: ["TL3003", "mapping"],
  Guide: ["TL3004", "guide"],
  CanonicalEntity: ["TL3005", "canonical entity"],
  Flow: ["TL3007", "flow"]
}

export const makeContext = (model: Model, out: Diagnostic[]): CheckContext => {
  const report: Report = (code, message, doc, path, extra) =>
    out.push(diagnosticAt(code, message, doc.file, doc.locate(path, extra?.atKey ?? false), { hint: extra?.hint, path: showPath(path) }))
  const reference = (kind: Kind, name: string, doc: ParsedDocument, path: JsonPath, label?: string): boolean => {
    const names = model.declared.get(kind) ?? new Set<string>()
    if (names.has(name)) return true
    const [code, what] = REFERENCE_CODES[kind] ?? ["TL3002", kind]
    report(code, `unknown ${label ?? what} '${name}'.${suggestion(name, names)}`.replace(/\.\s*$/, ""), doc, path)
    return false
  }
  return { model, out, report, reference }
}
