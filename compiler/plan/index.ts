// plan: base tree and head tree -> validated models -> semantic diff, compatibility verdicts, impact,
// shadow run and change-time policies, as one value. Rendering is separate (render.ts).
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts"
import { normalize } from "../diagnostics/diagnostic.ts"
import type { Model } from "../model/model.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { WHOLE_FILE } from "../diagnostics/diagnostic.ts"
import type { SourceFile } from "../source/source.ts"
import type { ValidateOptions } from "../validate/index.ts"
import { validateSources } from "../validate/index.ts"
import type { Change } from "./diff.ts"
import { diffModels } from "./diff.ts"
import type { Impact, NodeId } from "./impact.ts"
import { impactOf, referencedFrom, references } from "./impact.ts"
import type { ShadowPartner } from "./shadow.ts"
import { shadowRun } from "./shadow.ts"

export interface Verdict {
  readonly breaking: boolean
  /** backward / forward / full / none, as schema registries name them. */
  readonly mode: string
  /** Who it breaks: writers (narrowing), readers (widening), or both. */
  readonly breaks: ReadonlyArray<"writers" | "readers">
  /** What would make it acceptable. */
  readonly requires: string
  /** The PR label that waived it, if any. */
  readonly waivedBy?: string
}

export interface PlannedChange extends Change {
  readonly impact: Impact
  readonly verdict?: Verdict
  /** Removed documents still referenced in the head tree: by whom, where. */
  readonly stillReferencedBy?: ReadonlyArray<{ readonly from: string; readonly file: string }>
}

export interface AreaPlan {
  readonly area: string
  readonly added: number
  readonly changed: number
  readonly removed: number
  readonly changes: ReadonlyArray<PlannedChange>
}

export interface Waiver {
  readonly label: string
  readonly rule: string
  readonly covers: ReadonlyArray<string>
}

export interface Plan {
  readonly base: string
  readonly head: string
  readonly summary: { readonly added: number; readonly changed: number; readonly removed: number; readonly breaking: number; readonly waived: number }
  readonly areas: ReadonlyArray<AreaPlan>
  readonly shadow: ReadonlyArray<ShadowPartner>
  readonly waivers: ReadonlyArray<Waiver>
  /** Head validation findings plus the change-time policy findings. */
  readonly findings: ReadonlyArray<Diagnostic>
  /** Findings in the base tree are not the change's: their count is shown for context only. */
  readonly baseFindings: number
}

export interface PlanInput {
  readonly base: { readonly ref: string; readonly files: ReadonlyArray<SourceFile> }
  readonly head: { readonly ref: string; readonly files: ReadonlyArray<SourceFile> }
  /** Pull-request labels (waivers). */
  readonly labels?: ReadonlyArray<string>
  /** Requested reviewers (users and teams); undefined outside a pull request. */
  readonly reviewers?: ReadonlyArray<string>
  readonly validate?: ValidateOptions
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const verdictOf = (c: Change, base: Model, head: Model): Omit<Verdict, "waivedBy"> | undefined => {
  if (c.action !== "change" || !c.compatibility?.breaking) return undefined
  const compat = c.compatibility
  const breaks: Array<"writers" | "readers"> = []
  if (compat.changes.some((x) => x.direction === "narrowing")) breaks.push("writers")
  if (compat.changes.some((x) => x.direction === "widening")) breaks.push("readers")
  if (c.kind === "CanonicalEntity") {
    const [name, version] = c.name.split("@") as [string, string]
    return { breaking: true, mode: compat.mode, breaks, requires: `a new major version (${name}@${Number(version) + 1}) alongside ${c.name}, or a waiver` }
  }
  if (c.kind === "EventTaxonomy") {
    const before = base.events.get(c.name)
    const after = head.events.get(c.name)
    if (before && after && after.version > before.version) return undefined // published as a new .vN
    return { breaking: true, mode: compat.mode, breaks, requires: `a new event version (${c.name}.v${(after?.version ?? 1) + 1}), or a waiver` }
  }
  return undefined // third-party payload schemas: reported, not governed
}

const locateChange = (c: PlannedChange, head: Model): { file: string; range: typeof WHOLE_FILE } => {
  if (c.kind === "CanonicalEntity") {
    const e = head.entities.get(c.name)
    if (e) return { file: e.doc.file, range: e.doc.locate(["spec", "schema"], true) }
  }
  if (c.kind === "EventTaxonomy") {
    const e = head.events.get(c.name)
    if (e) return { file: e.taxonomy.doc.file, range: e.taxonomy.doc.locate(["spec", "events", e.index, "type"]) }
  }
  if (c.kind === "Partner" && !c.name.includes("/")) {
    const p = head.partners.get(c.name)
    if (p) return { file: p.doc.file, range: p.doc.locate(["metadata", "name"]) }
  }
  return { file: c.file, range: WHOLE_FILE }
}

export const plan = (input: PlanInput): Plan => {
  const base = validateSources(input.base.files, input.validate)
  const head = validateSources(input.head.files, input.validate)
  const graphs = [references(head.model), references(base.model)]
  const headGraph = graphs[0]!
  const labels = new Set(input.labels ?? [])
  const rules = [...head.model.policies.values()].flatMap((p) => p.spec.rules.map((rule) => ({ policy: p.name, rule })))
  const majorRule = rules.find((r) => r.rule.rule === "breaking-change-requires-major")
  const reviewRule = rules.find((r) => r.rule.rule === "partner-owners-review")
  const findings: Diagnostic[] = [...head.diagnostics]
  const waivers = new Map<string, Waiver>()

  const planned: PlannedChange[] = diffModels(base.model, head.model).map((c) => {
    const node = `${c.kind}/${c.name}` as NodeId
    const impact = impactOf(graphs, node)
    const v = verdictOf(c, base.model, head.model)
    let verdict: Verdict | undefined
    if (v) {
      const label = majorRule?.rule.waiverLabel
      if (label !== undefined && labels.has(label)) {
        verdict = { ...v, waivedBy: label }
        const w = waivers.get(label) ?? { label, rule: "breaking-change-requires-major", covers: [] }
        waivers.set(label, { ...w, covers: [...w.covers, `${c.kind} ${c.name}`] })
      } else verdict = v
    }
    const stillReferencedBy = c.action === "remove" ? referencedFrom(headGraph, node).map((r) => ({ from: r.from, file: r.file })) : undefined
    return { ...c, impact, ...(verdict ? { verdict } : {}), ...(stillReferencedBy && stillReferencedBy.length ? { stillReferencedBy } : {}) }
  })

  if (majorRule) {
    for (const c of planned) {
      if (!c.verdict || c.verdict.waivedBy) continue
      const at = locateChange(c, head.model)
      findings.push(
        diagnosticAt("TL6005", `breaking change to ${c.kind === "CanonicalEntity" ? "canonical entity" : "event"} '${c.name}' (${c.verdict.mode.toUpperCase()} compatibility; breaks ${c.verdict.breaks.join(" and ")}): needs ${c.verdict.requires}`, at.file, at.range, {
          severity: majorRule.rule.severity as Severity,
          hint: majorRule.rule.waiverLabel ? `Label the pull request '${majorRule.rule.waiverLabel}' to waive (policy '${majorRule.policy}').` : `Policy '${majorRule.policy}' names no waiver label.`
        })
      )
    }
  }

  if (reviewRule && input.reviewers !== undefined) {
    const requested = new Set(input.reviewers.map((r) => r.toLowerCase()))
    const touched = [...new Set(planned.filter((c) => c.area.startsWith("partner/")).map((c) => c.area.slice(8)))].sort()
    for (const p of touched) {
      const node = head.model.partners.get(p) ?? base.model.partners.get(p)
      if (!node || node.owners.length === 0) continue
      const missing = node.owners.filter((o) => !requested.has(o.toLowerCase()))
      if (missing.length === node.owners.length) {
        const doc = node.doc
        findings.push(
          diagnosticAt("TL6006", `partner '${p}' changed but none of its owners (${node.owners.join(", ")}) is requested as a reviewer`, doc.file, doc.locate(["metadata", "owners"]), {
            severity: reviewRule.rule.severity as Severity,
            hint: `Request a review from ${node.owners[0]}.`
          })
        )
      }
    }
  }

  const areaNames = [...new Set(planned.map((c) => c.area))].sort((a, b) => (a.startsWith("partner/") === b.startsWith("partner/") ? compareText(a, b) : a.startsWith("partner/") ? -1 : 1))
  const areas: AreaPlan[] = areaNames.map((area) => {
    const changes = planned.filter((c) => c.area === area)
    return {
      area,
      added: changes.filter((c) => c.action === "add").length,
      changed: changes.filter((c) => c.action === "change").length,
      removed: changes.filter((c) => c.action === "remove").length,
      changes
    }
  })
  const shadow = shadowRun(base.model, head.model, input.head.files)
  return {
    base: input.base.ref,
    head: input.head.ref,
    summary: {
      added: planned.filter((c) => c.action === "add").length,
      changed: planned.filter((c) => c.action === "change").length,
      removed: planned.filter((c) => c.action === "remove").length,
      breaking: planned.filter((c) => c.verdict?.breaking).length,
      waived: planned.filter((c) => c.verdict?.waivedBy).length
    },
    areas,
    shadow,
    waivers: [...waivers.values()].sort((a, b) => compareText(a.label, b.label)),
    findings: normalize(findings),
    baseFindings: base.diagnostics.length
  }
}

export const planFailed = (p: Plan, failOn: Severity): boolean =>
  p.findings.some((d) => (failOn === "info" ? true : failOn === "warning" ? d.severity !== "info" : d.severity === "error"))

