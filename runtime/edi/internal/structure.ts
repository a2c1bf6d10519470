// Guide-driven structuring: walks a transaction set's body against a partner guide, placing each
// segment in its loop (qualifiers, HL hierarchy), validating usage, repeats, element types, lengths,
// codes and syntax notes, and building the named JSON that mappings consume. Every problem is a finding
// with the AK3/AK4 (or 999 IK3/IK4) code a functional acknowledgment would carry.
import {
  componentPosition,
  elementPosition,
  impliedDecimals,
  isLoop,
  type Guide,
  type GuideElement,
  type GuideLoop,
  type GuideNode,
  type GuideQualifier,
  type GuideSegment
} from "./guide.ts"
import { makeFinding, type Finding, type Position, type Segment, type Severity, type TransactionSet } from "./model.ts"
import { elementAt, validDate6, validDate8, validTime } from "./reader.ts"

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export interface StructureResult {
  readonly json: JsonObject
  readonly findings: Finding[]
}

interface Frame {
  readonly nodes: readonly GuideNode[]
  idx: number
  readonly counts: number[]
  readonly obj: JsonObject
  readonly loop: GuideLoop | null
  readonly hlId: string | null
  readonly childCounts: Map<GuideLoop, number>
}

const usageOf = (n: { usage?: string }) => n.usage ?? "optional"
const maxOf = (n: { max?: number }) => n.max ?? 1
const triggerOf = (n: GuideNode): string => (isLoop(n) ? n.loop : n.segment)

const qualifierOk = (q: GuideQualifier | undefined, seg: Segment): boolean =>
  q === undefined || q.codes.includes(seg.elements[elementPosition(q.element)] ?? "")

const newFrame = (nodes: readonly GuideNode[], obj: JsonObject, loop: GuideLoop | null, hlId: string | null): Frame => ({
  nodes,
  idx: 0,
  counts: nodes.map(() => 0),
  obj,
  loop,
  hlId,
  childCounts: new Map()
})

const attach = (obj: JsonObject, key: string, value: Json, many: boolean): void => {
  if (many) {
    const arr = obj[key]
    if (Array.isArray(arr)) arr.push(value)
    else obj[key] = [value]
  } else obj[key] = value
}

/** Structures one transaction set with a guide. Never throws; findings say what did not fit. */
export const structure = (set: TransactionSet, guide: Guide): StructureResult => new Structurer(set, guide).run()

class Structurer {
  private readonly findings: Finding[] = []
  private readonly frames: Frame[]
  private readonly root: JsonObject = {}
  private readonly inGuide: Set<string>
  private readonly hasHl: boolean
  private hlCount = 0

  constructor(
    private readonly set: TransactionSet,
    private readonly guide: Guide
  ) {
    this.frames = [newFrame(guide.segments, this.root, null, null)]
    this.inGuide = new Set()
    let hl = false
    const visit = (nodes: readonly GuideNode[]): void => {
      for (const n of nodes) {
        if (isLoop(n)) {
          if (n.loop === "HL") hl = true
          visit(n.segments)
          for (const c of n.children ?? []) visit([c])
        } else this.inGuide.add(n.segment)
      }
    }
    visit(guide.segments)
    this.hasHl = hl
  }

  run(): StructureResult {
    const segs = this.set.segments
    const last = segs[segs.length - 1]
    const end = last !== undefined && last.id === "SE" && segs.length > 1 ? segs.length - 1 : segs.length
    for (let p = 1; p < end; p++) this.place(segs[p]!, p + 1)
    const closing = segs[end] ?? segs[segs.length - 1] ?? segs[0]!
    while (this.frames.length > 0) this.close(this.frames.pop()!, closing, end + 1)
    this.rules()
    return { json: this.root, findings: this.findings }
  }

  // ---- findings ----

  private report(code: string, detail: string, seg: Segment, position: number, extra: {
    element?: number
    component?: number
    repetition?: number
    value?: string
    segmentId?: string
    loopId?: string
    at?: Position
    severity?: Severity
  } = {}): void {
    const s = this.set
    const at = extra.at ?? (extra.element !== undefined ? elementAt(seg, extra.element) : seg)
    this.findings.push(
      makeFinding(code, extra.severity ?? "error", detail, at, {
        interchange: s.interchange,
        interchangeControl: s.interchangeControl,
        group: s.group,
        groupControl: s.groupControl,
        set: s.index,
        setControl: s.control,
        transactionSet: s.id,
        segment: position,
        segmentId: extra.segmentId ?? seg.id,
        loopId: extra.loopId ?? this.currentLoopId(),
        element: extra.element,
        component: extra.component,
        repetition: extra.repetition,
        value: extra.value !== undefined && extra.value.length <= 99 ? extra.value : undefined
      })
    )
  }

  private currentLoopId(): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const l = this.frames[i]!.loop
      if (l !== null) return l.loop
    }
    return undefined
  }

  private missing(node: GuideNode, seg: Segment, position: number): void {
    const q = node.qualifier !== undefined ? ` (${node.qualifier.element} ${node.qualifier.codes.join("|")})` : ""
    const what = isLoop(node) ? `loop ${node.loop}${q} '${node.name}'` : `segment ${node.segment}${q}`
    this.report("AK3:3", `required ${what} is missing`, seg, position, {
      segmentId: triggerOf(node),
      loopId: isLoop(node) ? node.loop : undefined
    })
  }

  // ---- placing ----

  private place(seg: Segment, position: number): void {
    if (seg.id === "HL" && this.hasHl) return this.placeHl(seg, position)
    // 1. a node with room left, innermost frame first; 2. a full node (reported as over max use).
    for (const full of [false, true]) {
      for (let f = this.frames.length - 1; f >= 0; f--) {
        const fr = this.frames[f]!
        const j = this.find(fr, seg, full)
        if (j >= 0) {
          while (this.frames.length - 1 > f) this.close(this.frames.pop()!, seg, position)
          return this.consume(fr, j, seg, position, null)
        }
      }
    }
    if (this.inGuide.has(seg.id)) this.report("AK3:7", `${seg.id} is not where the guide allows it`, seg, position)
    else this.report("AK3:2", `${seg.id} is not in the partner's guide for ${this.guide.transactionSet}`, seg, position)
  }

  /** Searches from the current node on; siblings in a run with the current node's id (REF*DP, REF*PS…)
   * may come in any order, as partners send qualified segments and loops in any order. */
  private find(fr: Frame, seg: Segment, allowFull: boolean): number {
    let start = fr.idx
    const cur = fr.nodes[fr.idx]
    if (cur !== undefined && triggerOf(cur) === seg.id && fr.counts[fr.idx]! > 0)
      while (start > 0 && triggerOf(fr.nodes[start - 1]!) === seg.id) start--
    for (let k = start; k < fr.nodes.length; k++) {
      const n = fr.nodes[k]!
      if (triggerOf(n) !== seg.id || (isLoop(n) && n.loop === "HL")) continue
      if (!qualifierOk(n.qualifier, seg)) continue
      if (!allowFull && fr.counts[k]! >= maxOf(n)) continue
      return k
    }
    return -1
  }

  /** First node of the run of same-id siblings that `k` belongs to. */
  private runStart(fr: Frame, k: number): number {
    const n = fr.nodes[k]
    if (n === undefined) return k
    const id = triggerOf(n)
    while (k > 0 && triggerOf(fr.nodes[k - 1]!) === id) k--
    return k
  }

  private consume(fr: Frame, j: number, seg: Segment, position: number, hlId: string | null): void {
    // Required nodes passed over are missing; those in j's own run may still come (any order).
    const stop = this.runStart(fr, j)
    for (let k = this.runStart(fr, fr.idx); k < stop; k++) {
      const n = fr.nodes[k]!
      if (fr.counts[k] === 0 && usageOf(n) === "required") this.missing(n, seg, position)
    }
    if (j > fr.idx) fr.idx = j
    const count = ++fr.counts[j]!
    const node = fr.nodes[j]!
    if (isLoop(node)) {
      if (count > maxOf(node)) this.report("AK3:4", `loop ${node.loop} '${node.name}' occurs more than ${maxOf(node)} times`, seg, position, { loopId: node.loop })
      this.enterLoop(fr, node, seg, position, hlId)
    } else {
      if (usageOf(node) === "not-used") this.report("IK3:I4", `${seg.id} is not used in this guide`, seg, position)
      if (count > maxOf(node)) this.report("AK3:5", `${seg.id} occurs more than ${maxOf(node)} times`, seg, position)
      const vals = this.readSegment(node, seg, position)
      if (node.name !== undefined) attach(fr.obj, node.name, vals, maxOf(node) > 1)
      else Object.assign(fr.obj, vals)
    }
  }

  private enterLoop(parent: Frame, loop: GuideLoop, seg: Segment, position: number, hlId: string | null): void {
    const inst: JsonObject = {}
    attach(parent.obj, loop.name, inst, maxOf(loop) > 1)
    const fr = newFrame(loop.segments, inst, loop, hlId)
    this.frames.push(fr)
    this.consume(fr, 0, seg, position, null)
  }

  private close(fr: Frame, seg: Segment, position: number): void {
    for (let k = this.runStart(fr, fr.idx); k < fr.nodes.length; k++) {
      const n = fr.nodes[k]!
      if (fr.counts[k] === 0 && usageOf(n) === "required") this.missing(n, seg, position)
    }
    for (const c of fr.loop?.children ?? []) {
      if (usageOf(c) === "required" && (fr.childCounts.get(c) ?? 0) === 0) this.missing(c, seg, position)
    }
  }

  /** HL: the parent is the open HL whose HL01 equals HL02; the loop is the child with level HL03. */
  private placeHl(seg: Segment, position: number): void {
    const id = seg.elements[1] ?? ""
    const parent = seg.elements[2] ?? ""
    const level = seg.elements[3] ?? ""
    this.hlCount++
    if (id !== String(this.hlCount))
      this.report("GUIDE:hl-sequence", `HL01 is ${JSON.stringify(id)}, expected ${this.hlCount}`, seg, position, { element: 1, value: id })
    let f = -1
    if (parent !== "") {
      for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i]!.hlId === parent) {
        f = i
        break
      }
      if (f < 0) this.report("GUIDE:hl-parent", `HL02 ${JSON.stringify(parent)} is not an open HL`, seg, position, { element: 2, value: parent })
    }
    if (f >= 0) {
      const fr = this.frames[f]!
      const child = (fr.loop?.children ?? []).find((c) => c.level === level)
      if (child !== undefined) {
        while (this.frames.length - 1 > f) this.close(this.frames.pop()!, seg, position)
        const n = (fr.childCounts.get(child) ?? 0) + 1
        fr.childCounts.set(child, n)
        if (n > maxOf(child)) this.report("AK3:4", `loop HL '${child.name}' occurs more than ${maxOf(child)} times`, seg, position, { loopId: "HL" })
        const inst: JsonObject = {}
        attach(fr.obj, child.name, inst, maxOf(child) > 1)
        const inner = newFrame(child.segments, inst, child, id)
        this.frames.push(inner)
        this.consume(inner, 0, seg, position, null)
        return
      }
      this.report("GUIDE:hl-level", `an HL of level ${JSON.stringify(level)} cannot be a child of HL ${parent}`, seg, position, { element: 3, value: level })
      return
    }
    // Root level (or a parent we could not find): an HL loop node with this level in any open frame.
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const fr = this.frames[i]!
      for (let k = fr.idx; k < fr.nodes.length; k++) {
        const n = fr.nodes[k]!
        if (isLoop(n) && n.loop === "HL" && n.level === level) {
          while (this.frames.length - 1 > i) this.close(this.frames.pop()!, seg, position)
          for (let s = fr.idx; s < k; s++) {
            const m = fr.nodes[s]!
            if (fr.counts[s] === 0 && usageOf(m) === "required") this.missing(m, seg, position)
          }
          fr.idx = k
          const count = ++fr.counts[k]!
          if (count > maxOf(n)) this.report("AK3:4", `loop HL '${n.name}' occurs more than ${maxOf(n)} times`, seg, position, { loopId: "HL" })
          const inst: JsonObject = {}
          attach(fr.obj, n.name, inst, maxOf(n) > 1)
          const inner = newFrame(n.segments, inst, n, id)
          this.frames.push(inner)
          this.consume(inner, 0, seg, position, null)
          return
        }
      }
    }
    this.report("GUIDE:hl-level", `no HL loop of level ${JSON.stringify(level)} fits here`, seg, position, { element: 3, value: level })
  }

  // ---- elements ----

  private readSegment(node: GuideSegment, seg: Segment, position: number): JsonObject {
    const vals: JsonObject = {}
    const els = node.elements
    if (els === undefined) return vals
    let last = 0
    for (const e of els) {
      const p = elementPosition(e.id)
      if (p > last) last = p
      const v = this.readElement(e, seg.elements[p] ?? "", seg, position, p)
      if (v !== undefined && e.name !== undefined) vals[e.name] = v
    }
    for (let p = last + 1; p < seg.elements.length; p++) {
      if (seg.elements[p] !== "") {
        this.report("AK4:3", `${seg.id} has data in element ${p}; the guide defines ${last}`, seg, position, { element: p, value: seg.elements[p] })
        break
      }
    }
    for (const note of node.syntax ?? []) this.syntax(note, seg, position)
    return vals
  }

  private readElement(e: GuideElement, raw: string, seg: Segment, position: number, p: number): Json | undefined {
    const usage = usageOf(e)
    if (raw === "") {
      if (usage === "required") this.report("AK4:1", `${e.id}${e.name ? ` (${e.name})` : ""} is required`, seg, position, { element: p })
      return undefined
    }
    if (usage === "not-used") {
      this.report("IK4:I10", `${e.id} is not used in this guide`, seg, position, { element: p, value: raw })
      return undefined
    }
    const d = this.set.delimiters
    if (e.repeat !== undefined && d.repetition !== null) {
      const parts = raw.split(d.repetition)
      if (parts.length > e.repeat)
        this.report("IK4:12", `${e.id} repeats ${parts.length} times, at most ${e.repeat}`, seg, position, { element: p, repetition: e.repeat + 1 })
      const out: Json[] = []
      parts.forEach((part, i) => {
        const v = this.readValue(e, part, seg, position, p, i + 1)
        if (v !== undefined) out.push(v)
      })
      return out
    }
    const v = this.readValue(e, raw, seg, position, p, undefined)
    return e.repeat !== undefined && v !== undefined ? [v] : v
  }

  private readValue(e: GuideElement, raw: string, seg: Segment, position: number, p: number, repetition: number | undefined): Json | undefined {
    if (e.components === undefined) return this.simple(e, raw, seg, position, p, undefined, repetition)
    const d = this.set.delimiters
    const parts = raw.split(d.component)
    if (parts.length > e.components.length)
      this.report("IK4:13", `${e.id} has ${parts.length} components, at most ${e.components.length}`, seg, position, { element: p, repetition })
    const out: JsonObject = {}
    for (const c of e.components) {
      const cp = componentPosition(c.id)
      const v = parts[cp - 1] ?? ""
      if (v === "") {
        if (usageOf(c) === "required") this.report("AK4:1", `${c.id} is required`, seg, position, { element: p, component: cp, repetition })
        continue
      }
      const j = this.simple(c, v, seg, position, p, cp, repetition)
      if (j !== undefined && c.name !== undefined) out[c.name] = j
    }
    return out
  }

  private simple(e: GuideElement, v: string, seg: Segment, position: number, p: number, component: number | undefined, repetition: number | undefined): Json | undefined {
    const type = e.type ?? "AN"
    const bad = (code: string, detail: string) =>
      this.report(code, `${e.id}${e.name ? ` (${e.name})` : ""} ${JSON.stringify(v.slice(0, 40))}: ${detail}`, seg, position, {
        element: p,
        component,
        repetition,
        value: v
      })
    let length = v.length
    let out: Json | undefined = v
    const decimals = impliedDecimals(type)
    if (decimals !== undefined) {
      if (!/^-?\d+$/.test(v)) {
        bad("AK4:6", `not a number of type ${type}`)
        return undefined
      }
      length = v.replace("-", "").length
      out = Number(v) / 10 ** decimals
    } else if (type === "R") {
      if (!/^-?(\d+\.?\d*|\.\d+)([eE]-?\d+)?$/.test(v)) {
        bad("AK4:6", "not a decimal number")
        return undefined
      }
      length = v.replace(/[-.]/g, "").replace(/[eE].*$/, "").length
      out = Number(v)
    } else if (type === "DT") {
      if (!(v.length === 8 ? validDate8(v) : v.length === 6 ? validDate6(v) : false)) {
        bad("AK4:8", "not a valid CCYYMMDD date")
        return undefined
      }
    } else if (type === "TM") {
      if (!validTime(v)) {
        bad("AK4:9", "not a valid HHMM[SS[dd]] time")
        return undefined
      }
    } else if (type === "AN" || type === "ID") {
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i)
        if (c < 32 || c === 127) {
          bad("AK4:6", `control character 0x${c.toString(16)}`)
          return undefined
        }
      }
      if (type === "AN") out = v.trimEnd()
    }
    if (e.min !== undefined && length < e.min) bad("AK4:4", `shorter than ${e.min}`)
    else if (e.max !== undefined && length > e.max) bad("AK4:5", `longer than ${e.max}`)
    if (e.codes !== undefined && !e.codes.includes(v)) bad("AK4:7", `not one of ${e.codes.join(", ")}`)
    return out
  }

  /** X12 syntax notes: P paired, R required (one of), E exclusion, C conditional, L list conditional. */
  private syntax(note: string, seg: Segment, position: number): void {
    const kind = note[0]
    const ps: number[] = []
    for (let i = 1; i + 1 < note.length; i += 2) ps.push(Number(note.slice(i, i + 2)))
    const has = (p: number) => (seg.elements[p] ?? "") !== ""
    const code = (p: number) => `${seg.id}${String(p).padStart(2, "0")}`
    const need = (p: number, why: string) =>
      this.report("AK4:2", `${code(p)} is required (${note}: ${why})`, seg, position, { element: p })
    const [first, ...rest] = ps
    if (first === undefined) return
    switch (kind) {
      case "P": {
        if (ps.some(has)) for (const p of ps) if (!has(p)) need(p, `${ps.map(code).join(", ")} go together`)
        return
      }
      case "R":
        if (!ps.some(has)) need(first, `at least one of ${ps.map(code).join(", ")}`)
        return
      case "E": {
        const present = ps.filter(has)
        if (present.length > 1)
          this.report("AK4:10", `only one of ${ps.map(code).join(", ")} may be present (${note})`, seg, position, { element: present[1]! })
        return
      }
      case "C":
        if (has(first)) for (const p of rest) if (!has(p)) need(p, `${code(first)} is present`)
        return
      case "L":
        if (has(first) && !rest.some(has)) need(rest[0]!, `${code(first)} is present, so one of ${rest.map(code).join(", ")} is`)
        return
    }
  }

  // ---- rules ----

  private rules(): void {
    for (const r of this.guide.rules ?? []) {
      if (r.rule !== "line-count") continue
      const segId = r.element.slice(0, -2)
      const p = elementPosition(r.element)
      const segs = this.set.segments
      const i = segs.findIndex((s) => s.id === segId)
      if (i < 0) continue
      const seg = segs[i]!
      const v = seg.elements[p] ?? ""
      if (v === "") continue
      let n = 0
      for (const s of segs) if (s.id === r.counts) n++
      if (Number(v) !== n)
        this.report("GUIDE:line-count", `${r.element} says ${v}, the set has ${n} ${r.counts} segments`, seg, i + 1, { element: p, value: v })
    }
  }
}
