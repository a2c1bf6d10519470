// The X12 reader: a push tokenizer over decoded text (one character per byte) with the envelope state
// machine on top. It reads delimiters from every ISA, cuts segments with one `indexOf` on the terminator
// and one `split` on the element separator (no regular expression on the hot path), checks interchange,
// group and set control structures, and emits events in input order. Memory is bounded by one
// transaction set plus one unterminated segment (capped by `maxSegmentLength`).
import { FUNCTIONAL_GROUP_OF } from "./codes.ts"
import {
  makeFinding,
  type Delimiters,
  type Finding,
  type InterchangeHeader,
  type Position,
  type Segment,
  type Severity,
  type TransactionSet,
  type Where
} from "./model.ts"

export interface InterchangeStart {
  readonly index: number
  readonly encoding: "ascii" | "ebcdic"
  readonly delimiters: Delimiters
  readonly header: InterchangeHeader
  readonly isa: Segment
}

export interface GroupStart {
  readonly interchange: number
  readonly index: number
  readonly functionalId: string
  readonly applicationSender: string
  readonly applicationReceiver: string
  readonly date: string
  readonly time: string
  readonly control: string
  readonly agency: string
  readonly version: string
  readonly header: Segment
}

/** What the reader reports, in input order. A stream of these is the interchange → group → set tree. */
export type EdiEvent =
  | { readonly type: "interchange"; readonly interchange: InterchangeStart }
  | { readonly type: "group"; readonly group: GroupStart }
  | { readonly type: "set"; readonly set: TransactionSet }
  | { readonly type: "groupEnd"; readonly interchange: number; readonly index: number; readonly trailer: Segment | null }
  | { readonly type: "interchangeEnd"; readonly index: number; readonly trailer: Segment | null }
  | { readonly type: "control"; readonly interchange: number; readonly segment: Segment }
  | { readonly type: "finding"; readonly finding: Finding }

export interface ReaderOptions {
  /** Longest segment accepted without a terminator before the reader skips it (default 16 MiB). */
  readonly maxSegmentLength?: number
  /** Called for each interchange header: true when (sender, control number) was already received
   * (the duplicate-ISA13 check across files; duplicates within one input are always caught). */
  readonly isDuplicateInterchange?: (senderQualifier: string, senderId: string, control: string) => boolean
}

const SEEK = 0
const IN_INTERCHANGE = 1
const NEED_MORE = -1
const ISA_SCAN = 256
/** Characters of complete segments split at once on the hot path. */
const WINDOW = 32 * 1024

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const isDigits = (s: string): boolean => {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}
/** Between segments and interchanges: CR, LF, NEL, NUL, Ctrl-Z, form feed, tab, space. */
const isFiller = (c: number): boolean =>
  c === 10 || c === 13 || c === 0x85 || c === 0 || c === 0x1a || c === 12 || c === 9 || c === 32 || c === 0xfeff

export const validDate8 = (s: string): boolean => {
  if (s.length !== 8 || !isDigits(s)) return false
  const y = Number(s.slice(0, 4))
  return validYmd(y, Number(s.slice(4, 6)), Number(s.slice(6, 8)))
}
export const validDate6 = (s: string): boolean => {
  if (s.length !== 6 || !isDigits(s)) return false
  return validYmd(2000 + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)))
}
const validYmd = (y: number, m: number, d: number): boolean => {
  if (m < 1 || m > 12 || d < 1) return false
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return d <= days[m - 1]!
}
/** HHMM, HHMMSS, HHMMSSd or HHMMSSdd. */
export const validTime = (s: string): boolean => {
  if (!isDigits(s) || s.length < 4 || s.length > 8 || s.length === 5) return false
  if (Number(s.slice(0, 2)) > 23 || Number(s.slice(2, 4)) > 59) return false
  return s.length < 6 || Number(s.slice(4, 6)) <= 59
}
const sameNumber = (a: string, b: string): boolean =>
  a === b || (isDigits(a) && isDigits(b) && a.replace(/^0+(?=.)/, "") === b.replace(/^0+(?=.)/, ""))

/**
 * Control numbers seen in one interchange or group, for the duplicate checks. Ascending runs (what
 * senders produce) are kept as ranges, so a group of a million sets costs a few numbers, not a million
 * strings; anything out of sequence goes into a set.
 */
class ControlSet {
  private lo = 0
  private hi = -1
  private readonly others = new Set<string>()

  /** Adds `v`; false when it was already there. */
  add(v: string): boolean {
    if (v.length > 0 && v.length <= 15 && isDigits(v)) {
      const n = Number(v)
      if (n >= this.lo && n <= this.hi) return false
      const key = String(n)
      if (this.others.has(key)) return false
      if (this.hi < this.lo) {
        this.lo = n
        this.hi = n
      } else if (n === this.hi + 1) {
        this.hi = n
        while (this.others.delete(String(this.hi + 1))) this.hi++
      } else this.others.add(key)
      return true
    }
    if (this.others.has(v)) return false
    this.others.add(v)
    return true
  }
}

interface OpenInterchange {
  readonly index: number
  readonly control: string
  readonly delimiters: Delimiters
  groups: number
  readonly groupControls: ControlSet
  readonly ackOnly: boolean
}
interface OpenGroup {
  readonly index: number
  readonly control: string
  readonly functionalId: string
  readonly version: string
  sets: number
  readonly setControls: ControlSet
}
interface OpenSet {
  readonly index: number
  readonly id: string
  readonly control: string
  readonly implementation: string | undefined
  readonly segments: Segment[]
  readonly findings: Finding[]
}

export class X12Reader {
  private buf = ""
  private pos = 0
  /** Absolute offset of buf[0]. */
  private base = 0
  private line = 1
  /** Absolute offset of the first character of the current line. */
  private lineStart = 0
  private state = SEEK
  private sep = "*"
  private term = "~"
  private termCode = 126
  private delimiters: Delimiters = { element: "*", component: ">", repetition: null, segment: "~", suffix: "" }
  private interchangeCount = 0
  private ic: OpenInterchange | null = null
  private group: OpenGroup | null = null
  private set: OpenSet | null = null
  private readonly seenInterchanges = new Set<string>()
  private garbageReported = false
  private strayReported = false
  private skippingLongSegment = false
  private sawAnything = false
  private readonly maxSegment: number
  /** Set by the decoder when the input has bytes ≥ 0x80 that may be UTF-8. */
  utf8 = false
  encoding: "ascii" | "ebcdic" = "ascii"

  constructor(
    private readonly emit: (event: EdiEvent) => void,
    private readonly options: ReaderOptions = {}
  ) {
    this.maxSegment = options.maxSegmentLength ?? 16 * 1024 * 1024
  }

  /** Feeds decoded text (one character per input byte, or a JS string). */
  push(text: string): void {
    if (text.length === 0) return
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length
      this.buf = text
    } else {
      this.base += this.pos
      this.buf = this.buf.slice(this.pos) + text
    }
    this.pos = 0
    this.run(false)
  }

  /** Signals the end of input: flushes the last segment and closes open structures. */
  end(): void {
    this.run(true)
    this.closeInterchange(null, this.here(this.buf.length))
    if (this.interchangeCount === 0) {
      this.report("EDI:001", "error", this.sawAnything ? "no ISA segment found" : "the input is empty", { offset: 0, line: 1, column: 1 }, {})
    }
    this.buf = ""
    this.pos = 0
  }

  // ---- scanning ------------------------------------------------------------------------------------

  private here(pos: number): Position {
    const offset = this.base + pos
    return { offset, line: this.line, column: offset - this.lineStart + 1 }
  }

  /** Advances line bookkeeping over buf[from, to). */
  private countLines(from: number, to: number): void {
    const buf = this.buf
    let i = buf.indexOf("\n", from)
    while (i >= 0 && i < to) {
      this.line++
      this.lineStart = this.base + i + 1
      i = buf.indexOf("\n", i + 1)
    }
  }

  private run(final: boolean): void {
    let pos = this.pos
    for (;;) {
      const before = this.state
      const next = before === SEEK ? this.seek(pos, final) : this.segments(pos, final)
      if (next === NEED_MORE) break
      if (next === pos && this.state === before) break
      pos = next
    }
  }

  /** Outside an interchange: skip filler, find the next ISA. Returns the new position or NEED_MORE. */
  private seek(pos: number, final: boolean): number {
    const buf = this.buf
    const n = buf.length
    while (pos < n) {
      const c = buf.charCodeAt(pos)
      if (c === 73) {
        if (pos + 4 > n && !final) {
          this.pos = pos
          return NEED_MORE
        }
        if (buf.charCodeAt(pos + 1) === 83 && buf.charCodeAt(pos + 2) === 65 && !isAlnum(buf.charCodeAt(pos + 3))) {
          this.sawAnything = true
          const r = this.readIsa(pos, final)
          if (r === NEED_MORE) {
            this.pos = pos
            return NEED_MORE
          }
          this.pos = r
          return r
        }
      }
      if (isFiller(c)) {
        if (c === 10) {
          this.line++
          this.lineStart = this.base + pos + 1
        }
        pos++
        continue
      }
      if (c === 0xef && buf.charCodeAt(pos + 1) === 0xbb && buf.charCodeAt(pos + 2) === 0xbf) {
        pos += 3
        continue
      }
      // Anything else is data outside an interchange: report once per run, jump to the next "ISA".
      this.sawAnything = true
      if (!this.garbageReported) {
        this.garbageReported = true
        if (this.interchangeCount > 0 || this.ic !== null)
          this.report("EDI:002", "warning", `unexpected data ${JSON.stringify(buf.slice(pos, pos + 20))}`, this.here(pos), {})
      }
      const next = buf.indexOf("ISA", pos + 1)
      if (next < 0) {
        const keep = final ? n : Math.max(pos + 1, n - 2)
        this.countLines(pos, keep)
        this.pos = keep
        return NEED_MORE
      }
      this.countLines(pos, next)
      pos = next
    }
    this.pos = pos
    return NEED_MORE
  }

  /** Reads an ISA at `pos`: counts 16 element separators, takes ISA16 and the terminator after it. */
  private readIsa(pos: number, final: boolean): number {
    const buf = this.buf
    const n = buf.length
    if (pos + 4 > n) return final ? this.badIsa(pos, "TA1:023", "the input ends inside the ISA segment") : NEED_MORE
    const at = this.here(pos)
    const sepCode = buf.charCodeAt(pos + 3)
    if (isAlnum(sepCode) || sepCode === 32 || isFiller(sepCode)) {
      return this.badIsa(pos, "TA1:026", `the character after ISA (${JSON.stringify(buf[pos + 3])}) cannot be an element separator`)
    }
    const sep = buf[pos + 3]!
    const limit = Math.min(n, pos + ISA_SCAN)
    let count = 0
    let k = -1
    for (let i = pos + 3; i < limit; i++) {
      if (buf.charCodeAt(i) === sepCode) {
        if (++count === 16) {
          k = i
          break
        }
      }
    }
    if (k < 0) {
      if (limit === n && n < pos + ISA_SCAN && !final) return NEED_MORE
      return this.badIsa(pos, count < 16 && limit === n ? "TA1:023" : "TA1:022", `the ISA segment has ${count + 1} of its 16 elements`)
    }
    if (k + 3 > n) {
      if (!final) return NEED_MORE
      return this.badIsa(pos, "TA1:023", "the input ends inside the ISA segment")
    }
    if (k + 5 > n && !final) return NEED_MORE
    const component = buf[k + 1]!
    const term = buf[k + 2]!
    const termCode = term.charCodeAt(0)
    if (isAlnum(termCode) || term === sep || term === component || termCode === 32) {
      return this.badIsa(pos, "TA1:004", `${JSON.stringify(term)} after ISA16 cannot be a segment terminator`)
    }
    let suffix = ""
    if (termCode === 13 && buf.charCodeAt(k + 3) === 10) suffix = "\n"
    else if (termCode !== 10 && termCode !== 13) {
      if (buf.charCodeAt(k + 3) === 13 && buf.charCodeAt(k + 4) === 10) suffix = "\r\n"
      else if (buf.charCodeAt(k + 3) === 10) suffix = "\n"
    }
    const elements = buf.slice(pos, k + 2).split(sep)
    // A new ISA while one is open: the previous one never got its IEA.
    if (this.ic !== null) this.closeInterchange(null, at)
    this.garbageReported = false
    const index = ++this.interchangeCount
    const get = (i: number): string => elements[i] ?? ""
    const header: InterchangeHeader = {
      authorizationQualifier: get(1),
      authorization: get(2).trimEnd(),
      securityQualifier: get(3),
      security: get(4).trimEnd(),
      senderQualifier: get(5).trim(),
      senderId: get(6).trim(),
      receiverQualifier: get(7).trim(),
      receiverId: get(8).trim(),
      date: get(9),
      time: get(10),
      standardsOrRepetition: get(11),
      version: get(12),
      control: get(13),
      ackRequested: get(14),
      usage: get(15)
    }
    const rep = get(11)
    const repetition =
      header.version >= "00402" && rep.length === 1 && !isAlnum(rep.charCodeAt(0)) && rep !== sep && rep !== component && rep !== term && rep !== " "
        ? rep
        : null
    const delimiters: Delimiters = { element: sep, component, repetition, segment: term, suffix }
    this.delimiters = delimiters
    this.sep = sep
    this.term = term
    this.termCode = termCode
    const isa: Segment = { id: "ISA", elements, offset: at.offset, line: at.line, column: at.column }
    this.ic = { index, control: header.control, delimiters, groups: 0, groupControls: new ControlSet(), ackOnly: true }
    this.group = null
    this.set = null
    this.strayReported = false
    this.emit({ type: "interchange", interchange: { index, encoding: this.encoding, delimiters, header, isa } })
    this.checkIsa(header, elements, isa, delimiters)
    this.state = IN_INTERCHANGE
    const next = k + 3
    if (termCode === 10) {
      this.line++
      this.lineStart = this.base + next
    }
    return next
  }

  private badIsa(pos: number, code: string, detail: string): number {
    this.report(code, "error", detail, this.here(pos), { interchange: this.interchangeCount + 1, segmentId: "ISA" })
    this.garbageReported = true
    return pos + 3
  }

  private checkIsa(h: InterchangeHeader, el: readonly string[], isa: Segment, d: Delimiters): void {
    const where = (element: number): Where => ({
      interchange: this.interchangeCount,
      interchangeControl: h.control,
      segmentId: "ISA",
      element,
      value: el[element]
    })
    const at = (element: number): Position => {
      let offset = isa.offset + 3
      for (let i = 1; i < element; i++) offset += (el[i]?.length ?? 0) + 1
      return { offset: offset + 1, line: isa.line, column: isa.column + (offset + 1 - isa.offset) }
    }
    const bad = (code: string, element: number, detail: string, severity: Severity = "error") =>
      this.report(code, severity, detail, at(element), where(element))
    if (el.length !== 17) bad("TA1:022", 16, `ISA has ${el.length - 1} elements, not 16`)
    if (!/^0[0-6]$/.test(h.authorizationQualifier)) bad("TA1:010", 1, `ISA01 ${JSON.stringify(h.authorizationQualifier)}`)
    if ((el[2]?.length ?? 0) > 10) bad("TA1:011", 2, "ISA02 is longer than 10 characters")
    if (!/^0[01]$/.test(h.securityQualifier)) bad("TA1:012", 3, `ISA03 ${JSON.stringify(h.securityQualifier)}`)
    if ((el[4]?.length ?? 0) > 10) bad("TA1:013", 4, "ISA04 is longer than 10 characters")
    if (!/^[A-Z0-9]{2}$/.test(h.senderQualifier)) bad("TA1:005", 5, `ISA05 ${JSON.stringify(h.senderQualifier)}`)
    if (h.senderId === "" || (el[6]?.length ?? 0) > 15) bad("TA1:006", 6, "ISA06 must be 1 to 15 characters")
    if (!/^[A-Z0-9]{2}$/.test(h.receiverQualifier)) bad("TA1:007", 7, `ISA07 ${JSON.stringify(h.receiverQualifier)}`)
    if (h.receiverId === "" || (el[8]?.length ?? 0) > 15) bad("TA1:008", 8, "ISA08 must be 1 to 15 characters")
    if (!validDate6(h.date)) bad("TA1:014", 9, `ISA09 ${JSON.stringify(h.date)} is not a YYMMDD date`)
    if (h.time.length !== 4 || !validTime(h.time)) bad("TA1:015", 10, `ISA10 ${JSON.stringify(h.time)} is not an HHMM time`)
    if (h.version < "00402" && h.standardsOrRepetition !== "U" && /^\d{5}$/.test(h.version))
      bad("TA1:016", 11, `ISA11 should be "U" before version 00402`, "warning")
    if (!/^\d{5}$/.test(h.version) || h.version < "00200" || h.version > "00899")
      bad("TA1:017", 12, `ISA12 ${JSON.stringify(h.version)} is not a control version`)
    if (!/^\d{9}$/.test(h.control)) bad("TA1:018", 13, `ISA13 ${JSON.stringify(h.control)} must be nine digits`)
    if (h.ackRequested !== "0" && h.ackRequested !== "1") bad("TA1:019", 14, `ISA14 ${JSON.stringify(h.ackRequested)} must be 0 or 1`)
    if (h.usage !== "P" && h.usage !== "T" && h.usage !== "I") bad("TA1:020", 15, `ISA15 ${JSON.stringify(h.usage)} must be P, T or I`)
    if (isAlnum(d.component.charCodeAt(0)) || d.component === d.element || d.component === " ")
      bad("TA1:027", 16, `${JSON.stringify(d.component)} cannot be a component separator`)
    const key = `${h.senderQualifier}|${h.senderId}|${h.control}`
    if (this.seenInterchanges.has(key) || this.options.isDuplicateInterchange?.(h.senderQualifier, h.senderId, h.control) === true) {
      bad("TA1:025", 13, `${h.control} was already received from ${h.senderQualifier}:${h.senderId}`)
    }
    this.seenInterchanges.add(key)
  }

  /**
   * Inside an interchange: cut segments until the IEA, the end of the buffer or a new ISA. The hot path
   * splits a window of complete segments with one native `split` on the terminator, then each segment
   * with one `split` on the element separator; offsets come from the piece lengths.
   */
  private segments(pos: number, final: boolean): number {
    const buf = this.buf
    const n = buf.length
    const term = this.term
    const termCode = this.termCode
    if (this.skippingLongSegment) {
      const end = buf.indexOf(term, pos)
      if (end < 0) {
        this.countLines(pos, n)
        this.pos = n
        return NEED_MORE
      }
      this.countLines(pos, end)
      this.skippingLongSegment = false
      pos = end + 1
    }
    for (;;) {
      // The window ends at a terminator: the last one within WINDOW characters, or the first after.
      let last = buf.lastIndexOf(term, Math.min(n - 1, pos + WINDOW))
      if (last < pos) last = buf.indexOf(term, pos + WINDOW)
      if (last < 0) return this.tail(pos, final)
      const pieces = buf.slice(pos, last).split(term)
      let off = pos
      for (let i = 0; i < pieces.length; i++) {
        let piece = pieces[i]!
        let start = off
        off += piece.length + 1
        let c = piece.charCodeAt(0)
        if (c === 10 || c === 13 || c === 0x85 || c === 0 || c === 0x1a || c === 0xfeff) {
          let k = 0
          while (k < piece.length && (c === 10 || c === 13 || c === 0x85 || c === 0 || c === 0x1a || c === 0xfeff)) {
            if (c === 10) {
              this.line++
              this.lineStart = this.base + start + k + 1
            }
            c = piece.charCodeAt(++k)
          }
          if (k === piece.length) {
            if (termCode === 10) {
              this.line++
              this.lineStart = this.base + off
            }
            continue
          }
          piece = piece.slice(k)
          start += k
        }
        if (c === 73 && piece.charCodeAt(1) === 83 && piece.charCodeAt(2) === 65 && !isAlnum(piece.charCodeAt(3))) {
          // A new interchange header (its delimiters may differ): hand over to the ISA reader.
          this.state = SEEK
          this.pos = start
          return start
        }
        if (termCode === 10 && piece.charCodeAt(piece.length - 1) === 13) piece = piece.slice(0, -1)
        const offset = this.base + start
        const line = this.line
        const column = offset - this.lineStart + 1
        if (termCode === 10) {
          this.line++
          this.lineStart = this.base + off
        }
        const elements = piece.split(this.sep)
        if (this.utf8) fixUtf8(elements)
        this.segment(elements, offset, line, column)
        if (this.state === SEEK) {
          this.pos = off
          return off
        }
      }
      pos = last + 1
      this.pos = pos
    }
  }

  /** What is left after the last terminator: a new ISA, the unterminated last segment at the end of
   * input, or a partial segment to keep for the next chunk. */
  private tail(pos: number, final: boolean): number {
    const buf = this.buf
    const n = buf.length
    let c = buf.charCodeAt(pos)
    while (pos < n && isFiller(c) && c !== this.termCode) {
      if (c === 10) {
        this.line++
        this.lineStart = this.base + pos + 1
      }
      c = buf.charCodeAt(++pos)
    }
    this.pos = pos
    if (pos >= n) return NEED_MORE
    if (c === 73 && buf.charCodeAt(pos + 1) === 83 && buf.charCodeAt(pos + 2) === 65) {
      if (pos + 4 > n && !final) return NEED_MORE
      if (!isAlnum(buf.charCodeAt(pos + 3))) {
        this.state = SEEK
        return pos
      }
    }
    if (!final) {
      if (n - pos > this.maxSegment) {
        this.report("EDI:003", "error", `no segment terminator within ${this.maxSegment} characters`, this.here(pos), this.context())
        this.skippingLongSegment = true
        this.countLines(pos, n)
        this.pos = n
      }
      return NEED_MORE
    }
    // The last segment of the input may lack its terminator: take the rest minus trailing filler.
    let end = n
    while (end > pos && isFiller(buf.charCodeAt(end - 1))) end--
    const offset = this.base + pos
    const elements = buf.slice(pos, end).split(this.sep)
    if (this.utf8) fixUtf8(elements)
    this.pos = n
    this.segment(elements, offset, this.line, offset - this.lineStart + 1)
    return this.state === SEEK ? n : NEED_MORE
  }

  // ---- envelope ------------------------------------------------------------------------------------

  private context(): Where {
    const ic = this.ic
    const g = this.group
    const s = this.set
    return {
      interchange: ic?.index,
      interchangeControl: ic?.control,
      group: g?.index,
      groupControl: g?.control,
      set: s?.index,
      setControl: s?.control,
      transactionSet: s?.id
    }
  }

  private report(code: string, severity: Severity, detail: string | undefined, at: Position, where: Where): void {
    const f = makeFinding(code, severity, detail, at, where)
    if (this.set !== null && where.set === this.set.index && where.group === this.group?.index) this.set.findings.push(f)
    this.emit({ type: "finding", finding: f })
  }

  private segment(elements: string[], offset: number, line: number, column: number): void {
    const id = elements[0]!
    const seg: Segment = { id, elements, offset, line, column }
    const c0 = id.charCodeAt(0)
    // Envelope ids all start with G, I, S or T; everything else is body.
    if (c0 === 71 || c0 === 73 || c0 === 83 || c0 === 84) {
      switch (id) {
        case "GS":
          return this.openGroup(seg)
        case "GE":
          return this.closeGroup(seg, seg)
        case "ST":
          return this.openSet(seg)
        case "SE":
          return this.closeSet(seg, seg)
        case "IEA":
          return this.closeInterchange(seg, seg)
        case "TA1":
          if (this.set === null && this.group === null && this.ic !== null) {
            this.emit({ type: "control", interchange: this.ic.index, segment: seg })
            return
          }
      }
    }
    const set = this.set
    if (set !== null) {
      set.segments.push(seg)
      if (!validSegmentId(id)) {
        this.report("AK3:1", "error", `segment id ${JSON.stringify(id.slice(0, 20))}`, seg, {
          ...this.context(),
          segment: set.segments.length,
          segmentId: id.slice(0, 3)
        })
      }
      return
    }
    if (!this.strayReported) {
      this.strayReported = true
      this.report("TA1:022", "error", `${JSON.stringify(id.slice(0, 20))} outside a transaction set was skipped`, seg, {
        ...this.context(),
        segmentId: id.slice(0, 3)
      })
    }
  }

  private openGroup(gs: Segment): void {
    const ic = this.ic!
    if (this.set !== null) this.closeSet(null, gs)
    if (this.group !== null) this.closeGroup(null, gs)
    const e = gs.elements
    const get = (i: number): string => e[i] ?? ""
    ic.groups++
    const g: OpenGroup = {
      index: ic.groups,
      control: get(6),
      functionalId: get(1),
      version: get(8),
      sets: 0,
      setControls: new ControlSet()
    }
    this.group = g
    this.strayReported = false
    this.emit({
      type: "group",
      group: {
        interchange: ic.index,
        index: g.index,
        functionalId: g.functionalId,
        applicationSender: get(2),
        applicationReceiver: get(3),
        date: get(4),
        time: get(5),
        control: g.control,
        agency: get(7),
        version: g.version,
        header: gs
      }
    })
    const where = (element: number): Where => ({ ...this.context(), segmentId: "GS", element, value: get(element) })
    const at = (element: number) => elementAt(gs, element)
    if (!/^[A-Z]{2}$/.test(g.functionalId)) this.report("AK9:1", "error", `GS01 ${JSON.stringify(g.functionalId)}`, at(1), where(1))
    for (const i of [2, 3]) {
      const v = get(i)
      if (v.length < 2 || v.length > 15) this.report("TA1:024", "error", `GS0${i} must be 2 to 15 characters`, at(i), where(i))
    }
    const date = get(4)
    const oldVersion = /^00[23]/.test(g.version)
    if (!(validDate8(date) || (oldVersion && validDate6(date))))
      this.report("TA1:024", "error", `GS04 ${JSON.stringify(date)} is not a CCYYMMDD date`, at(4), where(4))
    if (!validTime(get(5))) this.report("TA1:024", "error", `GS05 ${JSON.stringify(get(5))} is not an HHMM[SS[dd]] time`, at(5), where(5))
    if (!isDigits(g.control) || g.control.length > 9)
      this.report("AK9:6", "error", `GS06 ${JSON.stringify(g.control)} must be 1 to 9 digits`, at(6), where(6))
    else if (!ic.groupControls.add(g.control))
      this.report("AK9:19", "warning", `GS06 ${g.control} is used twice in this interchange`, at(6), where(6))
    if (get(7) !== "X" && get(7) !== "T") this.report("TA1:024", "error", `GS07 ${JSON.stringify(get(7))} must be X or T`, at(7), where(7))
    if (g.version.length < 1 || g.version.length > 12) this.report("AK9:2", "error", "GS08 is missing", at(8), where(8))
  }

  private closeGroup(ge: Segment | null, at: Position): void {
    const g = this.group
    if (g === null) {
      this.report("TA1:022", "error", "GE without a GS", at, { ...this.context(), segmentId: "GE" })
      return
    }
    if (this.set !== null) this.closeSet(null, at)
    const where = (element?: number): Where => ({ ...this.context(), segmentId: ge === null ? undefined : "GE", element })
    if (ge === null) this.report("AK9:3", "error", `group ${g.control} has no GE`, at, where())
    else {
      const count = ge.elements[1] ?? ""
      if (!isDigits(count) || Number(count) !== g.sets)
        this.report("AK9:5", "error", `GE01 says ${JSON.stringify(count)}, the group has ${g.sets}`, elementAt(ge, 1), { ...where(1), value: count })
      const control = ge.elements[2] ?? ""
      if (!sameNumber(control, g.control))
        this.report("AK9:4", "error", `GE02 ${JSON.stringify(control)} differs from GS06 ${JSON.stringify(g.control)}`, elementAt(ge, 2), {
          ...where(2),
          value: control
        })
    }
    this.emit({ type: "groupEnd", interchange: this.ic!.index, index: g.index, trailer: ge })
    this.group = null
  }

  private openSet(st: Segment): void {
    const g = this.group
    if (this.set !== null) this.closeSet(null, st)
    if (g === null) {
      this.report("TA1:022", "error", "ST outside a functional group was skipped", st, { ...this.context(), segmentId: "ST" })
      this.strayReported = true
      return
    }
    g.sets++
    const id = st.elements[1] ?? ""
    const control = st.elements[2] ?? ""
    const set: OpenSet = { index: g.sets, id, control, implementation: st.elements[3], segments: [st], findings: [] }
    this.set = set
    this.strayReported = false
    const where = (element: number, value: string): Where => ({ ...this.context(), segment: 1, segmentId: "ST", element, value })
    if (!/^\d{3}$/.test(id)) this.report("AK5:6", "error", `ST01 ${JSON.stringify(id)}`, elementAt(st, 1), where(1, id))
    else {
      const expected = FUNCTIONAL_GROUP_OF[id]
      if (expected !== undefined && expected !== g.functionalId && /^[A-Z]{2}$/.test(g.functionalId))
        this.report("AK5:18", "error", `a ${id} belongs in a ${expected} group, not ${g.functionalId}`, elementAt(st, 1), where(1, id))
    }
    if (control.length < 4 || control.length > 9 || !isPrintable(control))
      this.report("AK5:7", "error", `ST02 ${JSON.stringify(control)} must be 4 to 9 characters`, elementAt(st, 2), where(2, control))
    else if (!g.setControls.add(control))
      this.report("AK5:23", "error", `ST02 ${control} is used twice in group ${g.control}`, elementAt(st, 2), where(2, control))
  }

  private closeSet(se: Segment | null, at: Position): void {
    const set = this.set
    if (set === null) {
      this.report("TA1:022", "error", "SE without an ST", at, { ...this.context(), segmentId: "SE" })
      return
    }
    const g = this.group!
    const ic = this.ic!
    if (se === null) {
      this.report("AK5:2", "error", `set ${set.control} has no SE`, at, { ...this.context(), segment: set.segments.length })
    } else {
      set.segments.push(se)
      const where = (element: number, value: string): Where => ({
        ...this.context(),
        segment: set.segments.length,
        segmentId: "SE",
        element,
        value
      })
      const count = se.elements[1] ?? ""
      if (!isDigits(count) || Number(count) !== set.segments.length)
        this.report("AK5:4", "error", `SE01 says ${JSON.stringify(count)}, the set has ${set.segments.length} segments`, elementAt(se, 1), where(1, count))
      const control = se.elements[2] ?? ""
      if (control !== set.control)
        this.report("AK5:3", "error", `SE02 ${JSON.stringify(control)} differs from ST02 ${JSON.stringify(set.control)}`, elementAt(se, 2), where(2, control))
    }
    const out: TransactionSet = {
      index: set.index,
      id: set.id,
      control: set.control,
      ...(set.implementation !== undefined && set.implementation !== "" ? { implementation: set.implementation } : {}),
      segments: set.segments,
      findings: set.findings,
      interchange: ic.index,
      interchangeControl: ic.control,
      group: g.index,
      groupControl: g.control,
      functionalId: g.functionalId,
      version: g.version,
      delimiters: this.delimiters
    }
    this.set = null
    this.emit({ type: "set", set: out })
  }

  private closeInterchange(iea: Segment | null, at: Position): void {
    const ic = this.ic
    if (ic === null) return
    if (this.set !== null) this.closeSet(null, at)
    if (this.group !== null) this.closeGroup(null, at)
    const where = (element?: number, value?: string): Where => ({
      interchange: ic.index,
      interchangeControl: ic.control,
      segmentId: iea === null ? undefined : "IEA",
      element,
      value
    })
    if (iea === null) this.report("TA1:023", "error", `interchange ${ic.control} has no IEA`, at, where())
    else {
      const count = iea.elements[1] ?? ""
      if (!isDigits(count) || Number(count) !== ic.groups)
        this.report("TA1:021", "error", `IEA01 says ${JSON.stringify(count)}, the interchange has ${ic.groups} groups`, elementAt(iea, 1), where(1, count))
      const control = iea.elements[2] ?? ""
      if (!sameNumber(control, ic.control))
        this.report("TA1:001", "error", `IEA02 ${JSON.stringify(control)} differs from ISA13 ${JSON.stringify(ic.control)}`, elementAt(iea, 2), where(2, control))
    }
    this.emit({ type: "interchangeEnd", index: ic.index, trailer: iea })
    this.ic = null
    this.state = SEEK
  }
}

const validSegmentId = (id: string): boolean => {
  const n = id.length
  if (n < 2 || n > 3) return false
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false
  }
  return true
}

const isPrintable = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 32 || c === 127) return false
  }
  return true
}

/** Position of element `n` (1-based) of a segment, from its start and element lengths. */
export const elementAt = (seg: Segment, n: number): Position => {
  let offset = seg.offset + seg.id.length
  let i = 1
  for (; i < n && i < seg.elements.length; i++) offset += seg.elements[i]!.length + 1
  // An element past the last one sent points just after the segment's last character.
  if (i < seg.elements.length) offset += 1
  return { offset, line: seg.line, column: seg.column + (offset - seg.offset) }
}

const HIGH = /[\u0080-\u00ff]/
/** Re-reads elements that hold UTF-8 byte sequences (decoded one character per byte) as UTF-8. */
const fixUtf8 = (elements: string[]): void => {
  for (let i = 1; i < elements.length; i++) {
    const v = elements[i]!
    if (!HIGH.test(v)) continue
    const decoded = Buffer.from(v, "latin1").toString("utf8")
    if (!decoded.includes("\ufffd")) elements[i] = decoded
  }
}
