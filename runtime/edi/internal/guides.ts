// A small local loader for partners/*/guides/*.yaml until the partner/spec loader lands, and guide
// selection for a transaction set.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { parseAllDocuments } from "yaml"
import type { Guide } from "./guide.ts"
import type { TransactionSet } from "./model.ts"

export interface LoadedGuide {
  readonly partner: string
  readonly name: string
  readonly file: string
  readonly guide: Guide
}

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** Reads every kind: Guide document under `<root>/partners/<partner>/guides/*.yaml` (sorted, stable). */
export const loadGuides = (root: string): { guides: LoadedGuide[]; problems: string[] } => {
  const guides: LoadedGuide[] = []
  const problems: string[] = []
  const partnersDir = join(root, "partners")
  if (!isDir(partnersDir)) return { guides, problems }
  for (const partner of readdirSync(partnersDir).sort()) {
    const dir = join(partnersDir, partner, "guides")
    if (!isDir(dir)) continue
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml") || x.endsWith(".yml")).sort()) {
      const file = join(dir, f)
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        if (doc.errors.length > 0) {
          problems.push(`${file}: ${doc.errors[0]!.message}`)
          continue
        }
        const value = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown }; spec?: unknown } | null
        if (value === null || value.kind !== "Guide" || typeof value.spec !== "object" || value.spec === null) continue
        guides.push({ partner, name: String(value.metadata?.name ?? f), file, guide: value.spec as Guide })
      }
    }
  }
  return { guides, problems }
}

/** Whether a guide is written for this set: same ST01, and GS08 equal to or starting with its version. */
export const guideFits = (g: Guide, set: Pick<TransactionSet, "id" | "version">): boolean =>
  g.transactionSet === set.id && (set.version === g.version || set.version.startsWith(g.version))

/** The one guide fitting a set, or none (with `ambiguous` when several fit). */
export const selectGuide = <G extends { readonly guide: Guide }>(
  candidates: readonly G[],
  set: Pick<TransactionSet, "id" | "version">
): { readonly match?: G; readonly ambiguous: boolean } => {
  const fits = candidates.filter((c) => guideFits(c.guide, set))
  if (fits.length === 1) return { match: fits[0]!, ambiguous: false }
  // Prefer the most specific version (004010VICS over 004010).
  if (fits.length > 1) {
    const best = Math.max(...fits.map((f) => f.guide.version.length))
    const top = fits.filter((f) => f.guide.version.length === best)
    if (top.length === 1) return { match: top[0]!, ambiguous: false }
  }
  return { ambiguous: fits.length > 1 }
}
