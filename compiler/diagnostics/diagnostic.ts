// The one shape every finding has, wherever it comes from (parse, schema, references, semantics, emit).

export type Severity = "error" | "warning" | "info"

export interface Diagnostic {
  readonly code: string
  readonly severity: Severity
  readonly message: string
  /** Repository-relative POSIX path; "" for findings about the run as a whole. */
  readonly file: string
  /** 1-based. */
  readonly line: number
  /** 1-based, in UTF-16 code units like every editor. */
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
  readonly hint?: string
  /** JSON path of the offending node inside its document, for tools (`spec.fields.lines.each`). */
  readonly path?: string
}

export interface Range {
  readonly line: number
  readonly column: number
  readonly endLine: number
  readonly endColumn: number
}

export const WHOLE_FILE: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 }

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export const atLeast = (severity: Severity, threshold: Severity): boolean =>
  severityRank[severity] <= severityRank[threshold]

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Orders by file, position, code, message: stable and locale-independent. */
export const compareDiagnostics = (a: Diagnostic, b: Diagnostic): number =>
  compareText(a.file, b.file) ||
  a.line - b.line ||
  a.column - b.column ||
  compareText(a.code, b.code) ||
  compareText(a.message, b.message)

/** Sorts and removes exact repeats (same code, place and message). */
export const normalize = (diagnostics: Iterable<Diagnostic>): ReadonlyArray<Diagnostic> => {
  const seen = new Set<string>()
  const out: Diagnostic[] = []
  for (const d of [...diagnostics].sort(compareDiagnostics)) {
    const key = `${d.code}\u0000${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(d)
    }
  }
  return out
}

export const countBySeverity = (diagnostics: ReadonlyArray<Diagnostic>): Record<Severity, number> => {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 }
  for (const d of diagnostics) counts[d.severity]++
  return counts
}
