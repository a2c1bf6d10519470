// Rendering a plan: Markdown in the style of Atlantis (one section per partner and shared area, counts,
// a one-line summary, details collapsed), JSON, and a comment-sized Markdown under GitHub's limit.
import { countBySeverity } from "../diagnostics/diagnostic.ts"
import type { Detail } from "./diff.ts"
import type { Plan, PlannedChange } from "./index.ts"

export const COMMENT_MARKER = "<!-- tradelane-plan -->"
/** GitHub rejects issue comments over 65,536 characters; keep a margin for the truncation notice. */
export const COMMENT_LIMIT = 65_000

const cell = (v: unknown): string => {
  if (v === undefined) return "—"
  const s = typeof v === "string" ? v : JSON.stringify(v)
  const short = s.length > 160 ? `${s.slice(0, 157)}…` : s
  const escaped = short.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;")
  return escaped.includes("`") ? `<code>${escaped.replace(/`/g, "&#96;")}</code>` : `\`${escaped}\``
}

const code = (s: string): string => (s.includes("`") ? `<code>${s.replace(/</g, "&lt;").replace(/`/g, "&#96;")}</code>` : `\`${s}\``)

const symbol = (c: PlannedChange): string => (c.action === "add" ? "+" : c.action === "remove" ? "-" : "~")

const list = (label: string, xs: ReadonlyArray<string>): string | undefined => (xs.length ? `${label} ${xs.map(code).join(", ")}` : undefined)

const detailTable = (details: ReadonlyArray<Detail>, max = 40): string[] => {
  if (details.length === 0) return []
  const rows = details.slice(0, max).map((d) => `| ${code(d.path)} | ${cell(d.before)} | ${cell(d.after)} |`)
  if (details.length > max) rows.push(`| … ${details.length - max} more | | |`)
  return ["", "| path | before | after |", "| --- | --- | --- |", ...rows, ""]
}

export const summaryLine = (p: Plan): string => {
  const s = p.summary
  const counts = countBySeverity(p.findings)
  const changedFixtures = p.shadow.reduce((n, x) => n + x.changed, 0)
  const fixtures = p.shadow.reduce((n, x) => n + x.total, 0)
  const parts = [`Plan: ${s.added} to add, ${s.changed} to change, ${s.removed} to remove.`]
  if (s.breaking) parts.push(`${s.breaking} breaking change${s.breaking === 1 ? "" : "s"}${s.waived ? ` (${s.waived} waived)` : ""}.`)
  parts.push(`Shadow run: ${changedFixtures} of ${fixtures} fixture${fixtures === 1 ? "" : "s"} change output.`)
  parts.push(`${counts.error} error${counts.error === 1 ? "" : "s"}, ${counts.warning} warning${counts.warning === 1 ? "" : "s"}.`)
  return parts.join(" ")
}

const renderChange = (c: PlannedChange, p: Plan): string[] => {
  const shadow = c.kind === "Mapping" ? p.shadow.flatMap((s) => s.cases.filter((x) => x.mapping === c.name)) : []
  const shadowNote = shadow.length ? ` · shadow: ${shadow.filter((x) => x.status !== "same").length} of ${shadow.length} fixtures change` : ""
  const verdict = c.verdict ? ` · **${c.verdict.waivedBy ? "breaking (waived)" : "BREAKING"}**` : ""
  const out = [`<details><summary><code>${symbol(c)} ${c.kind} ${c.name.replace(/</g, "&lt;")}</code>: ${c.summary}${verdict}${shadowNote}</summary>`, ""]
  out.push(`File: ${code(c.file)}`)
  if (c.verdict) {
    out.push("", `**Compatibility**: ${c.verdict.mode.toUpperCase()} — breaks ${c.verdict.breaks.join(" and ")}; needs ${c.verdict.requires}.${c.verdict.waivedBy ? ` Waived by label ${code(c.verdict.waivedBy)}.` : ""}`)
  }
  if (c.compatibility?.changes.length) {
    out.push("", "| field | change | direction |", "| --- | --- | --- |", ...c.compatibility.changes.map((x) => `| ${code(x.path || "(root)")} | ${x.description.replace(/\|/g, "\\|")} | ${x.direction} |`), "")
  }
  out.push(...detailTable(c.details))
  const changedCases = shadow.filter((x) => x.status !== "same")
  if (changedCases.length) {
    out.push("", "**Shadow run** (base → head output):", "")
    for (const x of changedCases.slice(0, 10)) {
      out.push(`- ${code(x.fixture)}${x.error ? `: ${x.error}` : ""}`)
      for (const d of x.differences.slice(0, 8)) out.push(`  - ${code(d.path)}: ${cell(d.before)} → ${cell(d.after)}`)
    }
  }
  if (c.stillReferencedBy?.length) {
    out.push("", `**Still referenced by** ${c.stillReferencedBy.map((r) => `${code(r.from)} (${r.file})`).join(", ")}`)
  }
  const impact = [
    list("mappings", c.impact.mappings.filter((m) => !(c.kind === "Mapping" && m === c.name))),
    list("flows", c.impact.flows),
    list("partners", c.impact.partners),
    list("events", c.impact.events.filter((e) => !(c.kind === "EventTaxonomy" && e === c.name))),
    list("SLOs", c.impact.slos)
  ].filter((x): x is string => x !== undefined)
  if (impact.length) out.push("", `**Impact**: ${impact.join("; ")}`)
  out.push("", "</details>", "")
  return out
}

export const renderMarkdown = (p: Plan): string => {
  const out: string[] = [COMMENT_MARKER, `### tradelane plan: ${code(p.base)} → ${code(p.head)}`, "", `**${summaryLine(p)}**`, ""]
  if (p.areas.length === 0) out.push("No changes to specs.", "")
  for (const a of p.areas) {
    const [type, name] = a.area.split("/") as [string, string]
    const counts = [a.added && `${a.added} to add`, a.changed && `${a.changed} to change`, a.removed && `${a.removed} to remove`].filter(Boolean).join(", ")
    out.push(`#### ${type === "partner" ? `partner ${code(name)}` : `shared: ${name}`} — ${counts}`, "")
    for (const c of a.changes) out.push(...renderChange(c, p))
  }
  if (p.shadow.length) {
    out.push("#### Shadow run", "", "| partner | fixtures | changed | outputs that change |", "| --- | --- | --- | --- |")
    for (const s of p.shadow) out.push(`| ${code(s.partner)} | ${s.total} | ${s.changed} | ${s.paths.slice(0, 8).map(code).join(", ")}${s.paths.length > 8 ? ", …" : ""} |`)
    out.push("")
  }
  if (p.waivers.length) {
    out.push("#### Waivers", "")
    for (const w of p.waivers) out.push(`- label ${code(w.label)} waived ${code(w.rule)} for ${w.covers.map(code).join(", ")}`)
    out.push("")
  }
  out.push("#### Findings", "")
  if (p.findings.length === 0) out.push("None.")
  for (const d of p.findings.slice(0, 100)) {
    const icon = d.severity === "error" ? "❌" : d.severity === "warning" ? "⚠️" : "ℹ️"
    out.push(`- ${icon} ${code(`${d.file}:${d.line}:${d.column}`)} **${d.code}** ${d.message.replace(/</g, "&lt;")}${d.hint ? ` — ${d.hint.replace(/</g, "&lt;")}` : ""}`)
  }
  if (p.findings.length > 100) out.push(`- … ${p.findings.length - 100} more (see the SARIF report)`)
  out.push("")
  return out.join("\n")
}

/** The Markdown cut to fit one PR comment, with a notice pointing at the full plan artifact. */
export const renderComment = (p: Plan, artifact = "the tradelane-plan artifact"): string => {
  const full = renderMarkdown(p)
  if (full.length <= COMMENT_LIMIT) return full
  const notice = `\n\n> **Plan truncated** to fit a comment: the full plan (${full.length.toLocaleString("en-US")} characters) is in ${artifact}.\n`
  let cut = full.slice(0, COMMENT_LIMIT - notice.length)
  // Do not leave a <details> block open.
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length
  cut = cut.slice(0, cut.lastIndexOf("\n")) + (open > 0 ? "\n\n</details>" : "")
  return cut + notice
}

export const renderJson = (p: Plan): string => JSON.stringify(p, null, 2) + "\n"
