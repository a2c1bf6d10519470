// The semantic diff of two models: what was added, changed or removed, per kind, with the details a
// reviewer needs (mapping expressions before and after, guide usage and code lists, schema compatibility,
// lifecycle ownership, flow steps, SLO objectives). Pure: two models in, a list of changes out.
import type { Model } from "../model/model.ts"
import type { Kind } from "../schemas/index.ts"
import type { Compatibility } from "./compat.ts"
import { compatibility } from "./compat.ts"

export type Action = "add" | "change" | "remove"

export interface Detail {
  /** A readable path inside the document: `spec.fields.lines.fields.unitPrice`, `spec.steps[id=post].call`. */
  readonly path: string
  readonly before?: unknown
  readonly after?: unknown
}

export interface Change {
  readonly kind: Kind
  /** Name (canonical entities: `order@1`; events: the event type). */
  readonly name: string
  readonly action: Action
  /** `partner/<name>` for files under partners/<name>/, otherwise `shared/<area>`. */
  readonly area: string
  readonly file: string
  readonly summary: string
  readonly details: ReadonlyArray<Detail>
  /** Canonical entities and events: how the payload schema changed. */
  readonly compatibility?: Compatibility
}

/** A flattened view of a document: readable path -> leaf value. Arrays of named items are keyed by name. */
const ITEM_KEYS = ["id", "name", "type", "code", "rule", "segment", "loop"] as const

const itemKey = (v: unknown): string | undefined => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  if (typeof o["from"] === "string" || Array.isArray(o["from"])) {
    if (typeof o["to"] === "string") return `${[o["from"]].flat().join("|")}->${o["to"]}`
  }
  for (const k of ITEM_KEYS) if (typeof o[k] === "string") return `${k}=${o[k]}${k === "type" && typeof o["direction"] === "string" ? `/${o["direction"]}` : ""}`
  return undefined
}

export const flatten = (value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> => {
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    out.set(path, value) // a list of plain values (codes, owners, producers) reads best whole
  } else if (Array.isArray(value)) {
    const keys = value.map(itemKey)
    const keyed = keys.every((k) => k !== undefined) && new Set(keys).size === keys.length
    if (value.length === 0) out.set(path, [])
    value.forEach((v, i) => flatten(v, `${path}[${keyed ? keys[i] : i}]`, out))
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
    if (entries.length === 0) out.set(path, {})
    for (const [k, v] of entries) flatten(v, path === "" ? k : `${path}.${/^[A-Za-z_$][\w$-]*$/.test(k) ? k : JSON.stringify(k)}`, out)
  } else out.set(path, value)
  return out
}

export const leafDiff = (before: unknown, after: unknown): Detail[] => {
  const a = flatten(before)
  const b = flatten(after)
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort()
  const out: Detail[] = []
  for (const p of paths) {
    const x = a.get(p)
    const y = b.get(p)
    if (JSON.stringify(x) === JSON.stringify(y)) continue
    out.push({ path: p, ...(a.has(p) ? { before: x } : {}), ...(b.has(p) ? { after: y } : {}) })
  }
  return out
}

const areaOf = (file: string, kind: Kind): string => {
  const m = /^partners\/([^/]+)\//.exec(file)
  if (m) return `partner/${m[1]}`
  const shared: Record<Kind, string> = {
    CanonicalEntity: "canonical-model", EventTaxonomy: "events", Lifecycle: "lifecycles", Flow: "flows", SLO: "slos",
    Reconciliation: "reconciliations", Policy: "policies", Partner: "partners", Guide: "guides", Mapping: "mappings"
  }
  return `shared/${shared[kind]}`
}

interface Item {
  readonly kind: Kind
  readonly name: string
  readonly file: string
  readonly value: unknown
}

const itemsOf = (m: Model): Map<string, Item> => {
  const out = new Map<string, Item>()
  const put = (kind: Kind, name: string, node: { doc: { file: string; value: unknown } }) => out.set(`${kind}/${name}`, { kind, name, file: node.doc.file, value: node.doc.value })
  for (const [n, x] of m.partners) put("Partner", n, x)
  for (const [n, x] of m.guides) put("Guide", n, x)
  for (const [n, x] of m.entities) put("CanonicalEntity", n, x)
  for (const [n, x] of m.mappings) put("Mapping", n, x)
  for (const [n, x] of m.lifecycles) put("Lifecycle", n, x)
  for (const [n, x] of m.flows) put("Flow", n, x)
  for (const [n, x] of m.slos) put("SLO", n, x)
  for (const [n, x] of m.reconciliations) put("Reconciliation", n, x)
  for (const [n, x] of m.policies) put("Policy", n, x)
  // Events are diffed one by one (a taxonomy is a container); payload schemas ride on their partner.
  for (const [type, e] of m.events) out.set(`EventTaxonomy/${type}`, { kind: "EventTaxonomy", name: type, file: e.taxonomy.doc.file, value: e.spec })
  for (const p of m.partners.values()) for (const s of p.schemas.values()) out.set(`Partner/${p.name}#${s.name}`, { kind: "Partner", name: `${p.name}/${s.name}`, file: s.file, value: { schema: s.schema } })
  return out
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`

/** The one-line summary of a change, specific to its kind. */
const summarize = (kind: Kind, details: ReadonlyArray<Detail>, compat: Compatibility | undefined, before: unknown, after: unknown): string => {
  const under = (prefix: string) => details.filter((d) => d.path.startsWith(prefix))
  switch (kind) {
    case "Mapping": {
      const fields = under("spec.fields")
      const rest = details.length - fields.length
      return [fields.length ? plural(fields.length, "field rule") + " changed" : "", rest ? plural(rest, "other setting") + " changed" : ""].filter(Boolean).join(", ")
    }
    case "CanonicalEntity":
    case "EventTaxonomy":
      return compat && compat.changes.length
        ? `${compat.breaking ? "breaking" : "compatible"} schema change (${compat.mode.toUpperCase()} compatible${compat.mode === "none" ? ": neither direction" : ""}): ${plural(compat.changes.length, "change")}`
        : plural(details.length, "setting") + " changed"
    case "Lifecycle": {
      const owners = details.filter((d) => d.path.endsWith(".owner"))
      return owners.length ? `${plural(owners.length, "transition")} changed owner` + (details.length > owners.length ? `, ${plural(details.length - owners.length, "other change")}` : "") : plural(details.length, "change")
    }
    case "SLO": {
      const b = (before as { spec?: { success?: { objective?: number }; latency?: { objective?: number; threshold?: string }; window?: string } }).spec
      const a = (after as typeof before & { spec?: typeof b }).spec as typeof b
      const parts: string[] = []
      if (b?.success?.objective !== a?.success?.objective) parts.push(`success ${b?.success?.objective ?? "-"}% → ${a?.success?.objective ?? "-"}% (${(a?.success?.objective ?? 0) < (b?.success?.objective ?? 0) ? "relaxed" : "tightened"})`)
      if (b?.latency?.objective !== a?.latency?.objective || b?.latency?.threshold !== a?.latency?.threshold) parts.push(`latency ${b?.latency?.objective ?? "-"}% < ${b?.latency?.threshold ?? "-"} → ${a?.latency?.objective ?? "-"}% < ${a?.latency?.threshold ?? "-"}`)
      if (b?.window !== a?.window) parts.push(`window ${b?.window} → ${a?.window}`)
      return parts.join("; ") || plural(details.length, "change")
    }
    case "Flow": {
      const steps = new Set(details.filter((d) => d.path.startsWith("spec.steps")).map((d) => /^spec\.steps\[([^\]]+)\]/.exec(d.path)?.[1] ?? "?"))
      const rest = details.filter((d) => !d.path.startsWith("spec.steps")).length
      return [steps.size ? `${plural(steps.size, "step")} changed (${[...steps].join(", ")})` : "", rest ? plural(rest, "setting") + " changed" : ""].filter(Boolean).join(", ")
    }
    default:
      return plural(details.length, "change")
  }
}

export const diffModels = (base: Model, head: Model): ReadonlyArray<Change> => {
  const a = itemsOf(base)
  const b = itemsOf(head)
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort()
  const changes: Change[] = []
  for (const key of keys) {
    const x = a.get(key)
    const y = b.get(key)
    const item = (y ?? x)!
    const area = areaOf(item.file, item.kind)
    const label = item.kind === "Partner" && item.name.includes("/") ? "payload schema" : undefined
    if (!x) {
      changes.push({ kind: item.kind, name: item.name, action: "add", area, file: item.file, summary: `new ${label ?? kindWord(item.kind)}`, details: [] })
      continue
    }
    if (!y) {
      changes.push({ kind: item.kind, name: item.name, action: "remove", area, file: item.file, summary: `${label ?? kindWord(item.kind)} removed`, details: [] })
      continue
    }
    const details = leafDiff(x.value, y.value)
    if (details.length === 0) continue
    let compat: Compatibility | undefined
    if (item.kind === "CanonicalEntity") compat = compatibility((x.value as { spec: { schema: unknown } }).spec.schema, (y.value as { spec: { schema: unknown } }).spec.schema)
    if (item.kind === "EventTaxonomy") {
      const pb = (x.value as { payload: string }).payload
      const pa = (y.value as { payload: string }).payload
      const sb = base.entities.get(pb)?.spec.schema
      const sa = head.entities.get(pa)?.spec.schema
      compat = pb === pa ? compatibility(sb, sa) : compatibility(sb ?? {}, sa ?? {})
    }
    if (label) compat = compatibility((x.value as { schema: unknown }).schema, (y.value as { schema: unknown }).schema)
    changes.push({
      kind: item.kind,
      name: item.name,
      action: "change",
      area,
      file: y.file,
      summary: summarize(item.kind, details, compat, x.value, y.value),
      details,
      ...(compat ? { compatibility: compat } : {})
    })
  }
  return changes
}

const kindWord = (kind: Kind): string =>
  ({ Partner: "partner", Guide: "guide", CanonicalEntity: "canonical entity", Mapping: "mapping", EventTaxonomy: "event", Lifecycle: "lifecycle", Flow: "flow", SLO: "SLO", Reconciliation: "reconciliation", Policy: "policy" })[kind]
