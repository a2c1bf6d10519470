// Shadow run: every mapping fixture goes through the base tree's compiled mapping and the head tree's,
// and the outputs are compared. This is what tells a reviewer "3 of 12 Amazon fixtures change:
// lines[].unitPrice". EDI fixtures (.edi) are parsed and structured through the mapping's guide first.
import { Either } from "effect"
import type { Guide } from "../../runtime/edi/index.ts"
import { ediInput, loadMappingModule } from "../emit/fixtures.ts"
import { compileMappingModule } from "../emit/jsonata/index.ts"
import type { FieldTree, LookupTables } from "../emit/jsonata/index.ts"
import type { MappingNode, Model } from "../model/model.ts"
import type { SourceFile } from "../source/source.ts"
import type { Detail } from "./diff.ts"
import { leafDiff } from "./diff.ts"

type Apply = (input: unknown) => unknown

/** Compiles a mapping and loads it in-process (no disk); a string when it does not compile. */
export const loadMapping = (m: MappingNode): Apply | string => {
  const result = compileMappingModule({ name: m.name, fields: m.spec.fields as FieldTree, tables: (m.spec.tables ?? {}) as LookupTables, runtimeImport: "../../runtime/mapping/index.ts" })
  return Either.isLeft(result) ? result.left.map((e) => `${e.code} ${e.message}`).join("; ") : loadMappingModule(result.right.code)
}

export type Outcome = { readonly ok: unknown } | { readonly error: string }

const runOnce = (apply: Apply, input: unknown): Outcome => {
  try {
    return { ok: apply(input) }
  } catch (cause) {
    return { error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause) }
  }
}

/** The mapping's input for a fixture: JSON as is; X12 parsed and structured through the source guide. */
export const fixtureInput = (model: Model, m: MappingNode, path: string, text: string): Outcome => {
  if (path.endsWith(".json")) {
    try {
      return { ok: JSON.parse(text) }
    } catch (cause) {
      return { error: `fixture is not JSON: ${cause instanceof Error ? cause.message : String(cause)}` }
    }
  }
  const guideName = (m.spec.source as { guide?: string }).guide
  const guide = guideName === undefined ? undefined : model.guides.get(guideName)
  if (!guide) return { error: "an X12 fixture needs a mapping whose source is a guide" }
  const r = ediInput(text, guide.spec as unknown as Guide)
  return "json" in r ? { ok: r.json } : { error: r.reason }
}

export interface ShadowCase {
  readonly partner: string
  readonly mapping: string
  readonly fixture: string
  readonly status: "same" | "changed" | "error"
  readonly differences: ReadonlyArray<Detail>
  readonly error?: string
}

export interface ShadowPartner {
  readonly partner: string
  readonly total: number
  readonly changed: number
  /** Output paths that changed, across the partner's fixtures (array indexes folded to []). */
  readonly paths: ReadonlyArray<string>
  readonly cases: ReadonlyArray<ShadowCase>
}

const fold = (path: string): string => path.replace(/\[\d+\]/g, "[]")

/** Runs every head fixture whose mapping exists on both sides through both; reports per partner. */
export const shadowRun = (base: Model, head: Model, headFiles: ReadonlyArray<SourceFile>): ReadonlyArray<ShadowPartner> => {
  const text = new Map(headFiles.map((f) => [f.path, f.text]))
  const loaded = new Map<MappingNode, Apply | string>()
  const load = (m: MappingNode) => {
    if (!loaded.has(m)) loaded.set(m, loadMapping(m))
    return loaded.get(m)!
  }
  const byPartner = new Map<string, ShadowCase[]>()
  for (const f of head.fixtures) {
    const before = base.mappings.get(f.mapping)
    const after = head.mappings.get(f.mapping)
    if (!before || !after) continue
    const input = fixtureInput(head, after, f.input, text.get(f.input) ?? "")
    const push = (c: ShadowCase) => byPartner.set(f.partner, [...(byPartner.get(f.partner) ?? []), c])
    const base1 = { partner: f.partner, mapping: f.mapping, fixture: f.name }
    if ("error" in input) {
      push({ ...base1, status: "error", differences: [], error: input.error })
      continue
    }
    const a = load(before)
    const b = load(after)
    if (typeof a === "string" || typeof b === "string") {
      push({ ...base1, status: "error", differences: [], error: typeof b === "string" ? `head does not compile: ${b}` : `base does not compile: ${a}` })
      continue
    }
    const x = runOnce(a, input.ok)
    const y = runOnce(b, input.ok)
    const differences = leafDiff("ok" in x ? x.ok : { error: x.error }, "ok" in y ? y.ok : { error: y.error })
    push({ ...base1, status: differences.length ? "changed" : "same", differences })
  }
  return [...byPartner.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partner, cases]) => ({
      partner,
      total: cases.length,
      changed: cases.filter((c) => c.status !== "same").length,
      paths: [...new Set(cases.flatMap((c) => c.differences.map((d) => fold(d.path))))].sort(),
      cases
    }))
}
