// `tradelane edi parse|validate|ack <file>` as functions the main CLI wires in. They never throw for bad
// input or a missing file: exit code 2 = usage/IO error, 1 = findings (errors), 0 = clean.
import { readFile } from "node:fs/promises"
import { ackTypeOf, type Guide } from "./internal/guide.ts"
import { loadGuides, selectGuide } from "./internal/guides.ts"
import { acknowledge, type AckControls } from "./internal/ack.ts"
import { formatFinding, type Finding, type ParseResult } from "./internal/model.ts"
import { parse } from "./internal/parse.ts"
import { validateParsed, type GuideChoice, type ValidationReport } from "./internal/validate.ts"

export interface EdiCliOptions {
  /** Use this partner's guides (partners/<partner>/guides). */
  readonly partner?: string
  /** Guides to use instead of scanning the repository (the `spec`s of kind: Guide documents). */
  readonly guides?: readonly Guide[]
  /** Repository root to scan for guides under partners/<partner>/guides (default: the working directory). */
  readonly root?: string
  readonly format?: "json" | "pretty"
  /** For `ack`: clock and control numbers (default now, and 1/1/1). */
  readonly now?: Date
  readonly controls?: AckControls
}

export interface CliResult {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: 0 | 1 | 2
}

const usage = (message: string): CliResult => ({ stdout: "", stderr: `tradelane edi: ${message}\n`, exitCode: 2 })

const load = async (file: string): Promise<Buffer | CliResult> => {
  if (typeof file !== "string" || file === "") return usage("a file is required")
  try {
    return await readFile(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "EIO"
    return usage(`cannot read ${file} (${code})`)
  }
}

const guidesFor = (opts: EdiCliOptions): GuideChoice[] | CliResult => {
  if (opts.guides !== undefined) return opts.guides.map((guide) => ({ guide, ...(opts.partner !== undefined ? { partner: opts.partner } : {}) }))
  const { guides } = loadGuides(opts.root ?? process.cwd())
  if (opts.partner === undefined) return guides
  const mine = guides.filter((g) => g.partner === opts.partner)
  if (mine.length === 0) return usage(`no guides for partner '${opts.partner}' (looked in partners/${opts.partner}/guides)`)
  return mine
}

const run = async (file: string, opts: EdiCliOptions): Promise<{ parsed: ParseResult; report: ValidationReport; guides: GuideChoice[] } | CliResult> => {
  const bytes = await load(file)
  if ("exitCode" in bytes) return bytes
  const guides = guidesFor(opts)
  if (!Array.isArray(guides)) return guides as CliResult
  const parsed = parse(bytes)
  return { parsed, report: validateParsed(parsed, guides), guides }
}

const hasErrors = (fs: readonly Finding[]) => fs.some((f) => f.severity === "error")
const findingLines = (fs: readonly Finding[], file: string) => fs.map((f) => formatFinding(f, file) + "\n").join("")

/** `tradelane edi parse <file> [--partner p] [--format json|pretty]` */
export const ediParse = async (file: string, opts: EdiCliOptions = {}): Promise<CliResult> => {
  const r = await run(file, opts)
  if ("exitCode" in r) return r
  const { parsed, report } = r
  const reports = new Map(report.sets.map((s) => [s.set, s]))
  const doc = {
    interchanges: parsed.interchanges.map((ic) => ({
      index: ic.index,
      control: ic.header.control,
      sender: `${ic.header.senderQualifier}:${ic.header.senderId}`,
      receiver: `${ic.header.receiverQualifier}:${ic.header.receiverId}`,
      version: ic.header.version,
      usage: ic.header.usage,
      encoding: ic.encoding,
      delimiters: ic.delimiters,
      groups: ic.groups.map((g) => ({
        index: g.index,
        functionalId: g.functionalId,
        control: g.control,
        version: g.version,
        sets: g.sets.map((s) => {
          const rep = reports.get(s)
          return {
            index: s.index,
            id: s.id,
            control: s.control,
            ...(rep?.guide !== undefined ? { guide: rep.guide.name ?? rep.guide.guide.transactionSet, data: rep.json } : {}),
            ...(rep?.guide === undefined ? { segments: s.segments.map((x) => x.elements) } : {})
          }
        })
      }))
    })),
    findings: report.findings
  }
  let stdout: string
  if (opts.format === "pretty") {
    const lines: string[] = []
    for (const ic of doc.interchanges) {
      lines.push(`interchange ${ic.index} ${ic.control} ${ic.sender} → ${ic.receiver} (${ic.version}, ${ic.encoding})`)
      for (const g of ic.groups) {
        lines.push(`  group ${g.index} ${g.functionalId} ${g.control} (${g.version})`)
        for (const s of g.sets) {
          lines.push(`    set ${s.index} ${s.id} ${s.control}${"guide" in s ? ` [guide ${s.guide}]` : " [no guide]"}`)
          const body = "data" in s ? JSON.stringify(s.data, null, 2) : s.segments!.map((e) => e.join("*")).join("\n")
          lines.push(...body.split("\n").map((l) => `      ${l}`))
        }
      }
    }
    stdout = lines.join("\n") + "\n"
  } else stdout = JSON.stringify(doc, null, 2) + "\n"
  return { stdout, stderr: findingLines(report.findings, file), exitCode: hasErrors(report.findings) ? 1 : 0 }
}

/** `tradelane edi validate <file> [--partner p]`: positioned findings, exit 1 when any is an error. */
export const ediValidate = async (file: string, opts: EdiCliOptions = {}): Promise<CliResult> => {
  const r = await run(file, opts)
  if ("exitCode" in r) return r
  const fs = r.report.findings
  const errors = fs.filter((f) => f.severity === "error").length
  const sets = r.report.sets.length
  const guided = r.report.sets.filter((s) => s.guide !== undefined).length
  const summary = `${file}: ${r.parsed.interchanges.length} interchange(s), ${sets} set(s) (${guided} with a guide), ${errors} error(s), ${fs.length - errors} other finding(s)\n`
  return {
    stdout: opts.format === "json" ? JSON.stringify({ findings: fs }, null, 2) + "\n" : findingLines(fs, file),
    stderr: summary,
    exitCode: errors > 0 ? 1 : 0
  }
}

/** `tradelane edi ack <file>`: prints the TA1/997/999 we would send back for each interchange. */
export const ediAck = async (file: string, opts: EdiCliOptions = {}): Promise<CliResult> => {
  const r = await run(file, opts)
  if ("exitCode" in r) return r
  const { parsed, report, guides } = r
  if (parsed.interchanges.length === 0) return { stdout: "", stderr: findingLines(report.findings, file), exitCode: 1 }
  const now = opts.now ?? new Date()
  let controls = opts.controls ?? { interchange: 1, group: 1, set: 1 }
  let stdout = ""
  for (const ic of parsed.interchanges) {
    const ack = acknowledge(ic, report.findings, {
      controls,
      date: now,
      ackType: (g) => {
        for (const s of g.sets) {
          const m = selectGuide(guides, s).match
          if (m !== undefined && ackTypeOf(m.guide) === "999") return "999"
        }
        return g.version.startsWith("005010X231") ? "999" : "997"
      }
    })
    stdout += ack.text
    controls = { interchange: controls.interchange + 1, group: controls.group + 2, set: controls.set + ack.functional.length }
  }
  return { stdout, stderr: findingLines(report.findings, file), exitCode: 0 }
}
