// Output: segments to text, structured JSON + guide back to segments (the inverse of `structure`, with
// HL numbering), and enveloping (ISA/GS/ST .. SE/GE/IEA) for a partner identity.
import {
  componentPosition,
  elementPosition,
  impliedDecimals,
  isLoop,
  type Guide,
  type GuideElement,
  type GuideLoop,
  type GuideNode,
  type GuideSegment
} from "./guide.ts"
import type { Delimiters, Interchange, Segment } from "./model.ts"
import type { Json, JsonObject } from "./structure.ts"

/** A segment to write: `elements[0]` is the id, as in parsed segments. */
export interface OutSegment {
  readonly elements: readonly string[]
}

export const DEFAULT_DELIMITERS: Delimiters = { element: "*", component: ">", repetition: "^", segment: "~", suffix: "\n" }

/** Joins segments with the delimiters; trailing empty elements are dropped (X12 requires it). */
export const serializeSegments = (segments: readonly OutSegment[], d: Delimiters = DEFAULT_DELIMITERS): string => {
  let out = ""
  const end = d.segment + d.suffix
  for (const s of segments) {
    const el = s.elements
    let n = el.length
    if (el[0] !== "ISA") while (n > 1 && el[n - 1] === "") n--
    out += (n === el.length ? el : el.slice(0, n)).join(d.element) + end
  }
  return out
}

/** Writes a parsed interchange back out with its own delimiters (identity on well-formed input). */
export const serializeInterchange = (ic: Interchange): string => {
  const segs: OutSegment[] = [ic.isa, ...ic.controlSegments]
  for (const g of ic.groups) {
    segs.push(g.header)
    for (const s of g.sets) segs.push(...s.segments)
    if (g.trailer !== null) segs.push(g.trailer)
  }
  if (ic.iea !== null) segs.push(ic.iea)
  return serializeSegments(segs, ic.delimiters)
}

// ---- JSON → segments ----------------------------------------------------------------------------

/** Formats a number without exponent notation, trimming to at most 6 decimals. */
export const formatDecimal = (n: number): string => {
  if (!Number.isFinite(n)) return ""
  let s = Math.abs(n) < 1e21 ? n.toFixed(6) : n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 0 })
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "")
  return s === "-0" ? "0" : s
}

const formatValue = (e: GuideElement, v: Json | undefined): string => {
  if (v === undefined || v === null) return ""
  const decimals = impliedDecimals(e.type)
  if (typeof v === "number") {
    if (decimals !== undefined) return String(Math.round(v * 10 ** decimals))
    return formatDecimal(v)
  }
  if (typeof v === "boolean") return v ? "Y" : "N"
  if (typeof v === "string") {
    if (decimals !== undefined && /^-?\d+(\.\d+)?$/.test(v)) return String(Math.round(Number(v) * 10 ** decimals))
    return v
  }
  return ""
}

/** Unnamed elements with one code are constants (qualifiers): written when required, when the segment's
 * qualifier names them, or when an element they are paired with (P/C syntax notes) has a value. */
const constantOf = (node: GuideSegment, e: GuideElement, filled: (p: number) => boolean): string => {
  if (e.name !== undefined || e.codes === undefined || e.codes.length !== 1) return ""
  const code = e.codes[0]!
  if (node.qualifier?.element === e.id) return node.qualifier.codes[0] ?? code
  if ((e.usage ?? "optional") === "required") return code
  const p = elementPosition(e.id)
  for (const note of node.syntax ?? []) {
    if (note[0] !== "P" && note[0] !== "C") continue
    const ps: number[] = []
    for (let i = 1; i + 1 < note.length; i += 2) ps.push(Number(note.slice(i, i + 2)))
    if (ps.includes(p) && ps.some((q) => q !== p && filled(q))) return code
  }
  return ""
}

interface HlContext {
  counter: number
}

const segmentFrom = (node: GuideSegment, vals: JsonObject, d: Delimiters, hl?: { id: string; parent: string; level: string; hasChildren: boolean }): OutSegment => {
  const els: string[] = [node.segment]
  const set = (p: number, v: string) => {
    while (els.length <= p) els.push("")
    els[p] = v
  }
  const named = new Map<number, string>()
  for (const e of node.elements ?? []) {
    const p = elementPosition(e.id)
    if (e.name === undefined) continue
    const v = vals[e.name]
    let text: string
    if (e.components !== undefined) {
      const one = (obj: Json | undefined): string => {
        if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return ""
        const parts: string[] = []
        for (const c of e.components!) {
          const cp = componentPosition(c.id)
          while (parts.length < cp) parts.push("")
          parts[cp - 1] = c.name !== undefined ? formatValue(c, obj[c.name]) : c.codes?.length === 1 ? c.codes[0]! : ""
        }
        while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop()
        return parts.join(d.component)
      }
      text = Array.isArray(v) ? v.map(one).join(d.repetition ?? "^") : one(v)
    } else if (Array.isArray(v)) text = v.map((x) => formatValue(e, x)).join(d.repetition ?? "^")
    else text = formatValue(e, v)
    if (text !== "") named.set(p, text)
  }
  for (const [p, t] of named) set(p, t)
  for (const e of node.elements ?? []) {
    const p = elementPosition(e.id)
    if (named.has(p)) continue
    if (hl !== undefined && node.segment === "HL") {
      const v = p === 1 ? hl.id : p === 2 ? hl.parent : p === 3 ? hl.level : p === 4 ? (hl.hasChildren ? "1" : "0") : ""
      if (v !== "") set(p, v)
      continue
    }
    const c = constantOf(node, e, (q) => named.has(q))
    if (c !== "") set(p, c)
  }
  if (hl !== undefined && node.segment === "HL" && (node.elements ?? []).length === 0) {
    set(1, hl.id)
    set(2, hl.parent)
    set(3, hl.level)
  }
  return { elements: els }
}

/** True when the flattened segment has something to write. */
const hasValues = (node: GuideSegment, obj: JsonObject): boolean =>
  (node.elements ?? []).some((e) => e.name !== undefined && obj[e.name] !== undefined && obj[e.name] !== null && obj[e.name] !== "")

const emitNodes = (
  nodes: readonly GuideNode[],
  obj: JsonObject,
  d: Delimiters,
  out: OutSegment[],
  hl: HlContext,
  hlSelf?: { id: string; parent: string; level: string; hasChildren: boolean }
): void => {
  nodes.forEach((node, i) => {
    if (isLoop(node)) {
      const v = obj[node.name]
      const insts = Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : []
      for (const inst of insts) if (inst !== null && typeof inst === "object" && !Array.isArray(inst)) emitLoop(node, inst, d, out, hl, hlSelf?.id ?? "")
      return
    }
    // The loop trigger (first segment of a loop) is always written for an existing loop instance.
    if (node.name !== undefined) {
      const v = obj[node.name]
      const list = Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : []
      if (list.length === 0 && i === 0) out.push(segmentFrom(node, {}, d, hlSelf))
      for (const x of list) if (x !== null && typeof x === "object" && !Array.isArray(x)) out.push(segmentFrom(node, x, d, i === 0 ? hlSelf : undefined))
    } else if (i === 0 || hasValues(node, obj) || (node.usage === "required" && (node.elements ?? []).every((e) => e.name === undefined))) {
      out.push(segmentFrom(node, obj, d, i === 0 ? hlSelf : undefined))
    }
  })
}

const emitLoop = (loop: GuideLoop, inst: JsonObject, d: Delimiters, out: OutSegment[], hl: HlContext, parentHl: string): void => {
  if (loop.loop !== "HL") return emitNodes(loop.segments, inst, d, out, hl)
  const id = String(++hl.counter)
  const children = (loop.children ?? []).filter((c) => {
    const v = inst[c.name]
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null
  })
  emitNodes(loop.segments, inst, d, out, hl, { id, parent: parentHl, level: loop.level ?? "", hasChildren: children.length > 0 })
  for (const c of loop.children ?? []) {
    const v = inst[c.name]
    const insts = Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : []
    for (const x of insts) if (x !== null && typeof x === "object" && !Array.isArray(x)) emitLoop(c, x, d, out, hl, id)
  }
}

/**
 * The inverse of `structure`: the body segments (between ST and SE) for structured JSON. HL segments
 * are numbered 1, 2, 3… in output order with HL02 pointing at the parent and HL03 the loop's level.
 */
export const fromJson = (json: JsonObject, guide: Guide, d: Delimiters = DEFAULT_DELIMITERS): OutSegment[] => {
  const out: OutSegment[] = []
  emitNodes(guide.segments, json, d, out, { counter: 0 })
  // Rules that derive values from the body: line counts are recomputed so they always agree.
  for (const r of guide.rules ?? []) {
    if (r.rule !== "line-count") continue
    const segId = r.element.slice(0, -2)
    const p = elementPosition(r.element)
    const n = out.filter((s) => s.elements[0] === r.counts).length
    for (let i = 0; i < out.length; i++) {
      const s = out[i]!
      if (s.elements[0] !== segId) continue
      const els = [...s.elements]
      while (els.length <= p) els.push("")
      els[p] = String(n)
      out[i] = { elements: els }
    }
  }
  return out
}

// ---- enveloping ---------------------------------------------------------------------------------

/** Our identity toward one partner: who we are in ISA/GS, who they are, how to write. */
export interface EdiIdentity {
  readonly senderQualifier: string
  readonly senderId: string
  readonly receiverQualifier: string
  readonly receiverId: string
  /** GS02/GS03; default the ISA ids. */
  readonly applicationSender?: string
  readonly applicationReceiver?: string
  /** ISA12, default "00401". */
  readonly controlVersion?: string
  /** ISA15, default "P". */
  readonly usage?: "P" | "T"
  /** ISA14, default false. */
  readonly ackRequested?: boolean
  readonly authorization?: { readonly qualifier: string; readonly value: string }
  readonly security?: { readonly qualifier: string; readonly value: string }
  readonly delimiters?: Partial<Delimiters>
}

export interface OutSet {
  /** ST01 */
  readonly id: string
  /** ST02 as a number (zero-padded to 4) or a string. */
  readonly control: number | string
  /** ST03, for 005010 implementation guides. */
  readonly implementation?: string
  readonly body: readonly OutSegment[]
}

export interface OutGroup {
  readonly functionalId: string
  readonly version: string
  readonly control: number | string
  readonly sets: readonly OutSet[]
}

export interface OutInterchange {
  readonly identity: EdiIdentity
  readonly control: number | string
  readonly date: Date
  readonly groups: readonly OutGroup[]
  /** Interchange-level segments before the groups (TA1). */
  readonly controlSegments?: readonly OutSegment[]
}

const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length))
const two = (n: number) => String(n).padStart(2, "0")
const stamp = (d: Date) => ({
  yymmdd: `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`,
  ccyymmdd: `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`,
  hhmm: `${two(d.getUTCHours())}${two(d.getUTCMinutes())}`
})

export const resolveDelimiters = (identity: EdiIdentity): Delimiters => ({ ...DEFAULT_DELIMITERS, ...identity.delimiters })

/** The ISA segment (fixed width, 106 characters with its terminator). */
export const isaSegment = (identity: EdiIdentity, control: number | string, date: Date, d: Delimiters): OutSegment => {
  const t = stamp(date)
  const version = identity.controlVersion ?? "00401"
  return {
    elements: [
      "ISA",
      identity.authorization?.qualifier ?? "00",
      pad(identity.authorization?.value ?? "", 10),
      identity.security?.qualifier ?? "00",
      pad(identity.security?.value ?? "", 10),
      pad(identity.senderQualifier, 2),
      pad(identity.senderId, 15),
      pad(identity.receiverQualifier, 2),
      pad(identity.receiverId, 15),
      t.yymmdd,
      t.hhmm,
      version >= "00402" && d.repetition !== null ? d.repetition : "U",
      version,
      String(control).padStart(9, "0"),
      identity.ackRequested === true ? "1" : "0",
      identity.usage ?? "P",
      d.component
    ]
  }
}

/** Envelopes groups of sets: ISA, GS, ST .. SE (SE01 counted), GE, IEA. */
export const envelope = (ic: OutInterchange): string => {
  const d = resolveDelimiters(ic.identity)
  const t = stamp(ic.date)
  const segs: OutSegment[] = [isaSegment(ic.identity, ic.control, ic.date, d), ...(ic.controlSegments ?? [])]
  for (const g of ic.groups) {
    segs.push({
      elements: [
        "GS",
        g.functionalId,
        ic.identity.applicationSender ?? ic.identity.senderId,
        ic.identity.applicationReceiver ?? ic.identity.receiverId,
        t.ccyymmdd,
        t.hhmm,
        String(g.control),
        "X",
        g.version
      ]
    })
    for (const s of g.sets) {
      const control = typeof s.control === "number" ? String(s.control).padStart(4, "0") : s.control
      segs.push({ elements: s.implementation !== undefined ? ["ST", s.id, control, s.implementation] : ["ST", s.id, control] })
      segs.push(...s.body)
      segs.push({ elements: ["SE", String(s.body.length + 2), control] })
    }
    segs.push({ elements: ["GE", String(g.sets.length), String(g.control)] })
  }
  segs.push({ elements: ["IEA", String(ic.groups.length), String(ic.control).padStart(9, "0")] })
  return serializeSegments(segs, d)
}

/** Segments of a parsed set as plain OutSegments (helper for tests and re-enveloping). */
export const bodyOf = (segments: readonly Segment[]): OutSegment[] =>
  segments.filter((s) => s.id !== "ST" && s.id !== "SE").map((s) => ({ elements: s.elements }))
