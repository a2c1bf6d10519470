// Envelope + guide validation over a parse result: picks a guide per set, structures it, and gathers
// every finding in input order.
import type { Guide } from "./guide.ts"
import { selectGuide } from "./guides.ts"
import { makeFinding, type Finding, type ParseResult, type TransactionSet } from "./model.ts"
import { structure, type JsonObject } from "./structure.ts"

export interface GuideChoice {
  readonly guide: Guide
  readonly name?: string
  readonly partner?: string
}

export interface SetReport {
  readonly set: TransactionSet
  readonly guide?: GuideChoice
  /** The structured JSON, when a guide fits. */
  readonly json?: JsonObject
  /** Envelope findings of the set plus guide findings. */
  readonly findings: Finding[]
}

export interface ValidationReport {
  readonly sets: SetReport[]
  /** Every finding (envelope, guide, outside interchanges), sorted by offset. */
  readonly findings: Finding[]
}

export const byPosition = (a: Finding, b: Finding): number =>
  a.offset - b.offset || (a.element ?? 0) - (b.element ?? 0) || a.code.localeCompare(b.code, "en-US", { numeric: true })

/** Validates every set of a parse result against the fitting guide (sets with no guide get envelope checks only). */
export const validateParsed = (result: ParseResult, guides: readonly GuideChoice[]): ValidationReport => {
  const sets: SetReport[] = []
  const findings: Finding[] = [...result.findings]
  for (const ic of result.interchanges) {
    for (const g of ic.groups) {
      for (const set of g.sets) {
        const { match, ambiguous } = selectGuide(guides, set)
        if (match === undefined) {
          if (ambiguous) {
            const f = makeFinding("EDI:010", "info", undefined, set.segments[0]!, {
              interchange: set.interchange,
              group: set.group,
              set: set.index,
              setControl: set.control,
              transactionSet: set.id,
              segment: 1,
              segmentId: "ST"
            })
            findings.push(f)
            sets.push({ set, findings: [...set.findings, f] })
          } else sets.push({ set, findings: [...set.findings] })
          continue
        }
        const r = structure(set, match.guide)
        findings.push(...r.findings)
        sets.push({ set, guide: match, json: r.json, findings: [...set.findings, ...r.findings].sort(byPosition) })
      }
    }
  }
  findings.sort(byPosition)
  return { sets, findings }
}
