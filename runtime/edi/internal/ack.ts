// Acknowledgments: TA1 / 997 / 999 generation from findings, reading acknowledgments we receive, and
// matching them to what we sent (with overdue detection). All pure functions over data.
import { elementCodeFor, segmentCodeFor, setCodeFor } from "./codes.ts"
import type { Finding, FunctionalGroup, Interchange, TransactionSet } from "./model.ts"
import { envelope, type EdiIdentity, type OutGroup, type OutSegment } from "./serialize.ts"

export type AckType = "997" | "999"

const isAckGroup = (g: FunctionalGroup): boolean => g.functionalId === "FA" || g.sets.every((s) => s.id === "997" || s.id === "999")
/** An interchange that only carries acknowledgments (FA groups, TA1s) is never acknowledged. */
export const isAcknowledgmentOnly = (ic: Interchange): boolean => ic.groups.every(isAckGroup)

const band = (f: Finding): string => f.code.slice(0, f.code.indexOf(":"))
const value = (f: Finding): string => f.code.slice(f.code.indexOf(":") + 1)

// ---- TA1 ----

/** The TA1 segment for an interchange, or null when none is due (ISA14 = 0 and no envelope error, or an
 * acknowledgment-only interchange). */
export const ta1For = (ic: Interchange, findings: readonly Finding[] = ic.findings): OutSegment | null => {
  const mine = findings.filter((f) => f.interchange === ic.index && band(f) === "TA1")
  const errors = mine.filter((f) => f.severity === "error")
  const requested = ic.header.ackRequested === "1"
  if (isAcknowledgmentOnly(ic) && ic.groups.length + ic.controlSegments.length > 0) return null
  if (!requested && errors.length === 0) return null
  const status = errors.length > 0 ? "R" : mine.length > 0 ? "E" : "A"
  const note = (errors[0] ?? mine[0]) !== undefined ? value((errors[0] ?? mine[0])!) : "000"
  return { elements: ["TA1", ic.header.control, ic.header.date, ic.header.time, status, note] }
}

// ---- 997 / 999 ----

const setStatus = (fs: readonly Finding[]): "A" | "E" | "R" =>
  fs.some((f) => f.severity === "error") ? "R" : fs.some((f) => f.severity === "warning") ? "E" : "A"

const printable = (v: string | undefined, delims: readonly string[]): string | undefined => {
  if (v === undefined || v.length === 0 || v.length > 99) return undefined
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) < 32) return undefined
  return delims.some((d) => v.includes(d)) ? undefined : v
}

/** The body (AK1 .. AK9, without ST/SE) of the 997 or 999 answering one functional group. */
export const functionalAckBody = (
  ic: Interchange,
  group: FunctionalGroup,
  findings: readonly Finding[],
  type: AckType = "997"
): OutSegment[] => {
  const is999 = type === "999"
  const P = is999 ? "IK" : "AK"
  const inGroup = findings.filter((f) => f.interchange === ic.index && f.group === group.index)
  const d = ic.delimiters
  const delims = [d.element, d.segment, d.component, ...(d.repetition !== null ? [d.repetition] : [])]
  const out: OutSegment[] = [{ elements: is999 ? ["AK1", group.functionalId, group.control, group.version] : ["AK1", group.functionalId, group.control] }]
  let accepted = 0
  for (const set of group.sets) {
    const fs = inGroup.filter((f) => f.set === set.index)
    out.push(...setResponse(set, fs, is999, P, delims))
    if (setStatus(fs) !== "R") accepted++
  }
  const groupFindings = inGroup.filter((f) => f.set === undefined && band(f) === "AK9")
  const groupCodes = [...new Set(groupFindings.filter((f) => f.severity === "error").map(value))]
    .filter((c) => is999 || c !== "19")
    .slice(0, 5)
  const received = group.sets.length
  const declared = group.trailer?.elements[1]
  const included = declared !== undefined && /^\d+$/.test(declared) ? String(Number(declared)) : String(received)
  const status =
    groupCodes.length > 0 || (received > 0 && accepted === 0) ? "R"
    : accepted < received ? "P"
    : inGroup.length > 0 ? "E"
    : "A"
  out.push({ elements: ["AK9", status, included, String(received), String(accepted), ...groupCodes] })
  return out
}

const setResponse = (set: TransactionSet, fs: readonly Finding[], is999: boolean, P: string, delims: readonly string[]): OutSegment[] => {
  const out: OutSegment[] = []
  out.push({ elements: is999 && set.implementation !== undefined ? ["AK2", set.id, set.control, set.implementation] : ["AK2", set.id, set.control] })
  const bySegment = new Map<number, Finding[]>()
  for (const f of fs) {
    const b = band(f)
    if ((b === "AK3" || b === "IK3" || b === "AK4" || b === "IK4") && f.segment !== undefined) {
      const list = bySegment.get(f.segment)
      if (list === undefined) bySegment.set(f.segment, [f])
      else list.push(f)
    }
  }
  let segmentErrors = false
  for (const pos of [...bySegment.keys()].sort((a, b) => a - b)) {
    const list = bySegment.get(pos)!
    const segs = list.filter((f) => band(f) === "AK3" || band(f) === "IK3")
    const els = list.filter((f) => band(f) === "AK4" || band(f) === "IK4")
    segmentErrors ||= list.some((f) => f.severity === "error")
    const first = list[0]!
    const ak3 = (code: string): OutSegment => ({ elements: [`${P}3`, first.segmentId ?? "", String(pos), first.loopId ?? "", code] })
    if (segs.length === 0) out.push(ak3("8"))
    segs.forEach((s, i) => {
      out.push(ak3(segmentCodeFor(value(s), is999)))
      if (i === 0 && els.length > 0 && value(s) !== "8") out.push(ak3("8"))
    })
    for (const e of els) {
      const position = e.component !== undefined ? `${e.element ?? 0}${delims[2]}${e.component}` : String(e.element ?? 0)
      const bad = printable(e.value, delims)
      out.push({ elements: [`${P}4`, position, "", elementCodeFor(value(e), is999), ...(bad !== undefined ? [bad] : [])] })
    }
  }
  const setCodes = fs.filter((f) => (band(f) === "AK5" || band(f) === "IK5") && f.severity === "error").map((f) => setCodeFor(value(f), is999))
  if (segmentErrors || fs.some((f) => band(f) === "GUIDE" && f.severity === "error")) setCodes.push("5")
  const codes = [...new Set(setCodes)].slice(0, 5)
  out.push({ elements: [`${P}5`, setStatus(fs), ...codes] })
  return out
}

export interface AckControls {
  readonly interchange: number
  readonly group: number
  /** ST02 of the first acknowledgment set; the next ones count up from it. */
  readonly set: number
}

export interface AcknowledgeOptions {
  readonly controls: AckControls
  readonly date: Date
  /** 997 or 999 for a group (default: 999 when GS08 starts with 005010X231 or the group holds 999s… else 997). */
  readonly ackType?: (group: FunctionalGroup) => AckType
  /** Our identity toward the sender; default the inbound ISA with sender and receiver swapped. */
  readonly identity?: EdiIdentity
}

export interface Acknowledgment {
  /** The TA1 segment, when one is due. */
  readonly ta1: OutSegment | null
  /** One 997/999 per acknowledged group. */
  readonly functional: ReadonlyArray<{ readonly group: number; readonly type: AckType; readonly body: OutSegment[] }>
  /** The interchange to send back (empty string when nothing is due). */
  readonly text: string
}

export const defaultAckType = (g: FunctionalGroup): AckType => (g.version.startsWith("005010X231") ? "999" : "997")

/** The identity to answer an interchange with: its ISA and GS ids swapped, same delimiters and version. */
export const replyIdentity = (ic: Interchange): EdiIdentity => {
  const h = ic.header
  const g = ic.groups[0]
  return {
    senderQualifier: h.receiverQualifier,
    senderId: h.receiverId,
    receiverQualifier: h.senderQualifier,
    receiverId: h.senderId,
    applicationSender: g?.applicationReceiver || h.receiverId,
    applicationReceiver: g?.applicationSender || h.senderId,
    controlVersion: h.version,
    usage: h.usage === "T" ? "T" : "P",
    delimiters: { ...ic.delimiters, repetition: ic.delimiters.repetition ?? "^" }
  }
}

/** Everything due back for one received interchange: a TA1 (ISA14 = 1 or a bad envelope) and a 997/999
 * per functional group, never for acknowledgments. `findings` should include guide findings. */
export const acknowledge = (ic: Interchange, findings: readonly Finding[], options: AcknowledgeOptions): Acknowledgment => {
  const ta1 = ta1For(ic, findings)
  const functional: Array<{ group: number; type: AckType; body: OutSegment[] }> = []
  for (const g of ic.groups) {
    if (isAckGroup(g)) continue
    const type = (options.ackType ?? defaultAckType)(g)
    functional.push({ group: g.index, type, body: functionalAckBody(ic, g, findings, type) })
  }
  if (ta1 === null && functional.length === 0) return { ta1, functional, text: "" }
  const groups: OutGroup[] = []
  for (const type of ["997", "999"] as const) {
    const mine = functional.filter((f) => f.type === type)
    if (mine.length === 0) continue
    const first = ic.groups[mine[0]!.group - 1]!
    groups.push({
      functionalId: "FA",
      version: type === "999" ? "005010X231A1" : first.version || "004010",
      control: options.controls.group + groups.length,
      sets: mine.map((f) => ({
        id: type,
        control: options.controls.set + functional.indexOf(f),
        ...(type === "999" ? { implementation: "005010X231A1" } : {}),
        body: f.body
      }))
    })
  }
  const text = envelope({
    identity: options.identity ?? replyIdentity(ic),
    control: options.controls.interchange,
    date: options.date,
    groups,
    controlSegments: ta1 !== null ? [ta1] : []
  })
  return { ta1, functional, text }
}

// ---- receiving acknowledgments ----

export interface ReceivedTa1 {
  readonly kind: "TA1"
  readonly partner: string
  readonly receivedAt: Date
  readonly interchangeControl: string
  readonly status: string
  readonly note: string
}

export interface ReceivedFunctionalAck {
  readonly kind: AckType
  readonly partner: string
  readonly receivedAt: Date
  readonly functionalId: string
  readonly groupControl: string
  readonly status: string
  readonly sets: ReadonlyArray<{ readonly id: string; readonly control: string; readonly status: string; readonly codes: readonly string[] }>
}

export type ReceivedAck = ReceivedTa1 | ReceivedFunctionalAck

/** Reads the TA1s and 997/999s of a received interchange. */
export const extractAcks = (ic: Interchange, partner: string, receivedAt: Date): ReceivedAck[] => {
  const out: ReceivedAck[] = []
  for (const s of ic.controlSegments) {
    if (s.id !== "TA1") continue
    out.push({ kind: "TA1", partner, receivedAt, interchangeControl: s.elements[1] ?? "", status: s.elements[4] ?? "", note: s.elements[5] ?? "" })
  }
  for (const g of ic.groups) {
    for (const set of g.sets) {
      if (set.id !== "997" && set.id !== "999") continue
      let functionalId = ""
      let groupControl = ""
      let status = ""
      const sets: Array<{ id: string; control: string; status: string; codes: string[] }> = []
      for (const seg of set.segments) {
        const e = seg.elements
        if (seg.id === "AK1") {
          functionalId = e[1] ?? ""
          groupControl = e[2] ?? ""
        } else if (seg.id === "AK2") sets.push({ id: e[1] ?? "", control: e[2] ?? "", status: "", codes: [] })
        else if ((seg.id === "AK5" || seg.id === "IK5") && sets.length > 0) {
          const last = sets[sets.length - 1]!
          last.status = e[1] ?? ""
          last.codes = e.slice(2).filter((c) => c !== "")
        } else if (seg.id === "AK9") status = e[1] ?? ""
      }
      out.push({ kind: set.id, partner, receivedAt, functionalId, groupControl, status, sets })
    }
  }
  return out
}

export interface SentGroup {
  readonly functionalId: string
  readonly control: number | string
  readonly sets?: ReadonlyArray<{ readonly id: string; readonly control: number | string }>
}

export interface SentInterchange {
  readonly partner: string
  readonly control: number | string
  readonly sentAt: Date
  /** How long the partner has to acknowledge (e.g. 24 h from the partner spec). */
  readonly ackWindowMs: number
  /** True when we set ISA14 = 1 and expect a TA1. */
  readonly ta1Expected?: boolean
  readonly groups: readonly SentGroup[]
}

export interface AckMatch {
  readonly partner: string
  readonly interchangeControl: string
  readonly kind: "TA1" | AckType
  readonly functionalId?: string
  readonly groupControl?: string
  readonly status: string
  /** Sets the partner rejected (AK5/IK5 R). */
  readonly rejectedSets: readonly string[]
  readonly ack: ReceivedAck
}

export interface AckGap {
  readonly partner: string
  readonly interchangeControl: string
  readonly kind: "TA1" | "functional"
  readonly functionalId?: string
  readonly groupControl?: string
  readonly sentAt: Date
  readonly dueAt: Date
}

export interface AckReport {
  readonly matched: AckMatch[]
  /** Expected acknowledgments past their window: exceptions for operators. */
  readonly overdue: AckGap[]
  /** Expected acknowledgments still within their window. */
  readonly pending: AckGap[]
  /** Acknowledgments that answer nothing we sent. */
  readonly unmatched: ReceivedAck[]
}

const norm = (v: number | string): string => String(v).replace(/^0+(?=.)/, "")

/** Matches received acknowledgments to sent interchanges and groups; anything unanswered past its
 * window is overdue at `now`. */
export const matchAcks = (sent: readonly SentInterchange[], received: readonly ReceivedAck[], now: Date): AckReport => {
  const matched: AckMatch[] = []
  const overdue: AckGap[] = []
  const pending: AckGap[] = []
  const used = new Set<ReceivedAck>()
  const groupKey = (partner: string, fid: string, control: string) => `${partner}|${fid}|${norm(control)}`
  const fa = new Map<string, ReceivedFunctionalAck[]>()
  const ta1 = new Map<string, ReceivedTa1[]>()
  for (const r of received) {
    if (r.kind === "TA1") {
      const k = `${r.partner}|${norm(r.interchangeControl)}`
      ta1.set(k, [...(ta1.get(k) ?? []), r])
    } else {
      const k = groupKey(r.partner, r.functionalId, r.groupControl)
      fa.set(k, [...(fa.get(k) ?? []), r])
    }
  }
  for (const s of sent) {
    const dueAt = new Date(s.sentAt.getTime() + s.ackWindowMs)
    const late = now.getTime() > dueAt.getTime()
    const ic = norm(s.control)
    if (s.ta1Expected === true) {
      const got = ta1.get(`${s.partner}|${ic}`)
      if (got !== undefined && got.length > 0) {
        const last = got[got.length - 1]!
        got.forEach((g) => used.add(g))
        matched.push({ partner: s.partner, interchangeControl: ic, kind: "TA1", status: last.status, rejectedSets: [], ack: last })
      } else (late ? overdue : pending).push({ partner: s.partner, interchangeControl: ic, kind: "TA1", sentAt: s.sentAt, dueAt })
    }
    for (const g of s.groups) {
      const got = fa.get(groupKey(s.partner, g.functionalId, norm(g.control)))
      if (got !== undefined && got.length > 0) {
        const last = got[got.length - 1]!
        got.forEach((x) => used.add(x))
        matched.push({
          partner: s.partner,
          interchangeControl: ic,
          kind: last.kind,
          functionalId: g.functionalId,
          groupControl: norm(g.control),
          status: last.status,
          rejectedSets: last.sets.filter((x) => x.status === "R").map((x) => x.control),
          ack: last
        })
      } else
        (late ? overdue : pending).push({
          partner: s.partner,
          interchangeControl: ic,
          kind: "functional",
          functionalId: g.functionalId,
          groupControl: norm(g.control),
          sentAt: s.sentAt,
          dueAt
        })
    }
  }
  return { matched, overdue, pending, unmatched: received.filter((r) => !used.has(r)) }
}
