// Formatters: pretty (source line and caret), json, github (workflow commands), sarif (2.1.0).
import type { Diagnostic } from "./diagnostic.ts"
import { countBySeverity } from "./diagnostic.ts"
import { CATALOG } from "./catalog.ts"

export const FORMATS = ["pretty", "json", "github", "sarif"] as const
export type Format = (typeof FORMATS)[number]

export interface FormatOptions {
  /** The text of a file, for the source excerpt in pretty output. */
  readonly sourceText?: (file: string) => string | undefined
  readonly color?: boolean
  /** github: annotations beyond this many are summarised in one notice (GitHub shows only the first ones). */
  readonly maxAnnotations?: number
}

const paint = (on: boolean, code: string, s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s)

export const formatPretty = (diagnostics: ReadonlyArray<Diagnostic>, options: FormatOptions = {}): string => {
  const color = options.color ?? false
  const out: string[] = []
  const lines = new Map<string, string[] | undefined>()
  for (const d of diagnostics) {
    const sev = d.severity === "error" ? paint(color, "31;1", "error") : d.severity === "warning" ? paint(color, "33;1", "warning") : paint(color, "36", "info")
    const where = d.file === "" ? "" : `${d.file}:${d.line}:${d.column}: `
    out.push(`${paint(color, "1", where)}${sev} ${paint(color, "2", d.code)}: ${d.message}`)
    if (d.file !== "" && options.sourceText) {
      if (!lines.has(d.file)) lines.set(d.file, options.sourceText(d.file)?.split(/\r?\n/))
      const text = lines.get(d.file)?.[d.line - 1]
      if (text !== undefined) {
        const gutter = String(d.line)
        const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, text.length - d.column + 1)
        out.push(`  ${paint(color, "2", gutter)} | ${text.replace(/\t/g, " ")}`)
        out.push(`  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.column - 1))}${paint(color, "31", "^".repeat(Math.min(width, 200)))}`)
      }
    }
    if (d.hint) out.push(`  = hint: ${d.hint}`)
  }
  const c = countBySeverity(diagnostics)
  out.push(diagnostics.length === 0 ? "no findings" : `${c.error} error${c.error === 1 ? "" : "s"}, ${c.warning} warning${c.warning === 1 ? "" : "s"}, ${c.info} info`)
  return out.join("\n") + "\n"
}

export const formatJson = (diagnostics: ReadonlyArray<Diagnostic>): string =>
  JSON.stringify({ diagnostics, summary: countBySeverity(diagnostics) }, null, 2) + "\n"

const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C")

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
export const formatGithub = (diagnostics: ReadonlyArray<Diagnostic>, options: FormatOptions = {}): string => {
  const max = options.maxAnnotations ?? 50
  const out: string[] = []
  for (const d of diagnostics.slice(0, max)) {
    const command = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice"
    const props = d.file === "" ? [] : [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`, `endColumn=${d.endColumn}`]
    props.push(`title=${escapeProperty(`${d.code} ${CATALOG.get(d.code)?.title ?? ""}`.trim())}`)
    out.push(`::${command} ${props.join(",")}::${escapeData(d.message + (d.hint ? `\n${d.hint}` : ""))}`)
  }
  if (diagnostics.length > max) {
    out.push(`::notice title=${escapeProperty("more findings")}::${escapeData(`${diagnostics.length - max} more findings are not annotated; see the SARIF report (--format sarif).`)}`)
  }
  return out.length ? out.join("\n") + "\n" : ""
}

const sarifLevel = (s: Diagnostic["severity"]): string => (s === "error" ? "error" : s === "warning" ? "warning" : "note")

export const formatSarif = (diagnostics: ReadonlyArray<Diagnostic>, toolVersion = "0.1.0"): string => {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort()
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tradelane",
            version: toolVersion,
            informationUri: "https://tradelane.dev/docs/diagnostics",
            rules: ruleIds.map((id) => {
              const entry = CATALOG.get(id)
              return {
                id,
                name: (entry?.title ?? id).replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")),
                shortDescription: { text: entry?.title ?? id },
                fullDescription: { text: entry?.explanation ?? id },
                defaultConfiguration: { level: sarifLevel(entry?.severity ?? "error") }
              }
            })
          }
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIds.indexOf(d.code),
          level: sarifLevel(d.severity),
          message: { text: d.message + (d.hint ? ` ${d.hint}` : "") },
          locations:
            d.file === ""
              ? []
              : [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: d.file },
                      region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn }
                    }
                  }
                ]
        }))
      }
    ]
  }
  return JSON.stringify(sarif, null, 2) + "\n"
}

export const formatDiagnostics = (format: Format, diagnostics: ReadonlyArray<Diagnostic>, options: FormatOptions = {}): string => {
  switch (format) {
    case "pretty": return formatPretty(diagnostics, options)
    case "json": return formatJson(diagnostics)
    case "github": return formatGithub(diagnostics, options)
    case "sarif": return formatSarif(diagnostics)
  }
}
