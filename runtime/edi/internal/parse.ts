// Front ends over the reader: byte decoding (UTF-8 BOM, EBCDIC detection), a synchronous parse for
// strings and buffers, an async event stream (bounded memory whatever the input size) and an async
// iterator of whole interchanges.
import { isAscii } from "node:buffer"
import { decodeEbcdic, isEbcdicIsa } from "./ebcdic.ts"
import type { Finding, FunctionalGroup, Interchange, ParseResult } from "./model.ts"
import { X12Reader, type EdiEvent, type ReaderOptions } from "./reader.ts"

export type ParseOptions = ReaderOptions
export type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | Uint8Array | string

/** Bytes → text with one character per byte (so offsets are byte offsets). Detects EBCDIC from the
 * first significant bytes ("ISA" is C9 E2 C1 in CP037) and flags non-ASCII input for UTF-8 repair. */
class Decoder {
  private pending: Uint8Array | null = null
  private decided: "ascii" | "ebcdic" | null = null
  constructor(private readonly reader: X12Reader) {}

  push(bytes: Uint8Array): void {
    if (this.decided === null) {
      const all = this.pending === null ? bytes : concat(this.pending, bytes)
      const kind = detect(all)
      if (kind === null) {
        this.pending = all
        return
      }
      this.pending = null
      this.decided = kind
      this.reader.encoding = kind
      bytes = all
    }
    this.feed(bytes)
  }

  end(): void {
    if (this.pending !== null) {
      this.decided = detect(this.pending, true) ?? "ascii"
      this.reader.encoding = this.decided
      const p = this.pending
      this.pending = null
      this.feed(p)
    }
    this.reader.end()
  }

  private feed(bytes: Uint8Array): void {
    if (this.decided === "ebcdic") return this.reader.push(decodeEbcdic(bytes))
    if (!this.reader.utf8 && !isAscii(bytes)) this.reader.utf8 = true
    this.reader.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"))
  }
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** null = not enough bytes yet. Skips a UTF-8 BOM and ASCII/EBCDIC white space before deciding. */
const detect = (b: Uint8Array, final = false): "ascii" | "ebcdic" | null => {
  let i = 0
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0d || b[i] === 0x0a || b[i] === 0x09 || b[i] === 0x40 || b[i] === 0x25 || b[i] === 0x15 || b[i] === 0))
    i++
  if (b.length - i < 3) return final ? "ascii" : null
  return isEbcdicIsa(b, i) ? "ebcdic" : "ascii"
}

const feedAll = (input: Uint8Array | string, reader: X12Reader): void => {
  if (typeof input === "string") {
    reader.push(input)
    reader.end()
  } else {
    const d = new Decoder(reader)
    d.push(input)
    d.end()
  }
}

/** Parses a whole input held in memory. Never throws on bad input: problems are findings. */
export const parse = (input: Uint8Array | string, options: ParseOptions = {}): ParseResult => {
  const asm = new Assembler()
  const reader = new X12Reader((e) => asm.on(e), options)
  feedAll(input, reader)
  return { interchanges: asm.done, findings: asm.all }
}

/**
 * Streams events (interchange → group → set → groupEnd → interchangeEnd, findings in between) from any
 * source, one array per input chunk (the cheapest way to consume a large stream). Memory is bounded by
 * one transaction set plus one chunk, whatever the size of the input: the way to read a 1 GB interchange.
 */
export async function* parseEventBatches(source: Source, options: ParseOptions = {}): AsyncGenerator<EdiEvent[]> {
  let batch: EdiEvent[] = []
  const reader = new X12Reader((e) => batch.push(e), options)
  const decoder = new Decoder(reader)
  const take = (): EdiEvent[] => {
    const b = batch
    batch = []
    return b
  }
  if (typeof source === "string" || source instanceof Uint8Array) {
    feedAll(source, reader)
    yield take()
    return
  }
  let stringInput = false
  const chunks = source as AsyncIterable<Uint8Array | string>
  for await (const chunk of chunks) {
    // Feed large chunks in slices so that a batch holds few sets: objects then die young, which keeps
    // the garbage collector cheap and the resident memory flat.
    for (let i = 0; i < chunk.length; i += SLICE) {
      if (typeof chunk === "string") {
        stringInput = true
        reader.push(chunk.length <= SLICE ? chunk : chunk.slice(i, i + SLICE))
      } else decoder.push(chunk.length <= SLICE ? chunk : chunk.subarray(i, i + SLICE))
      if (batch.length > 0) yield take()
    }
  }
  if (stringInput) reader.end()
  else decoder.end()
  if (batch.length > 0) yield take()
}

const SLICE = 64 * 1024

/** `parseEventBatches`, one event at a time. */
export async function* parseEvents(source: Source, options: ParseOptions = {}): AsyncGenerator<EdiEvent> {
  for await (const batch of parseEventBatches(source, options)) yield* batch
}

/**
 * Yields each interchange once its IEA (or the end of input) is read. Memory is bounded by the largest
 * interchange; use `parseEvents` for single interchanges larger than memory. Findings outside any
 * interchange (EDI:001/002) are attached to the next interchange; with no interchange at all nothing is
 * yielded — `parse`/`parseAll` report those.
 */
export async function* parseInterchanges(source: Source, options: ParseOptions = {}): AsyncGenerator<Interchange> {
  const asm = new Assembler(true)
  for await (const batch of parseEventBatches(source, options)) {
    for (const e of batch) asm.on(e)
    if (asm.done.length > 0) yield* asm.done.splice(0)
  }
}

/** Async counterpart of `parse` for streams. */
export const parseAll = async (source: Source, options: ParseOptions = {}): Promise<ParseResult> => {
  const asm = new Assembler()
  for await (const batch of parseEventBatches(source, options)) for (const e of batch) asm.on(e)
  return { interchanges: asm.done, findings: asm.all }
}

/** Builds Interchange objects from events. */
class Assembler {
  readonly done: Interchange[] = []
  readonly all: Finding[] = []
  private current: Interchange | null = null
  private loose: Finding[] = []
  constructor(private readonly attachLoose = false) {}

  on(e: EdiEvent): void {
    switch (e.type) {
      case "interchange": {
        const i = e.interchange
        this.current = {
          index: i.index,
          encoding: i.encoding,
          delimiters: i.delimiters,
          header: i.header,
          isa: i.isa,
          iea: null,
          groups: [],
          controlSegments: [],
          findings: this.attachLoose ? this.loose.splice(0) : []
        }
        return
      }
      case "group": {
        const g = e.group
        const group: FunctionalGroup = {
          index: g.index,
          functionalId: g.functionalId,
          applicationSender: g.applicationSender,
          applicationReceiver: g.applicationReceiver,
          date: g.date,
          time: g.time,
          control: g.control,
          agency: g.agency,
          version: g.version,
          header: g.header,
          trailer: null,
          sets: []
        }
        this.current?.groups.push(group)
        return
      }
      case "set":
        this.current?.groups[e.set.group - 1]?.sets.push(e.set)
        return
      case "groupEnd": {
        const g = this.current?.groups[e.index - 1]
        if (g !== undefined) g.trailer = e.trailer
        return
      }
      case "control":
        this.current?.controlSegments.push(e.segment)
        return
      case "interchangeEnd":
        if (this.current !== null) {
          this.current.iea = e.trailer
          this.done.push(this.current)
          this.current = null
        }
        return
      case "finding":
        this.all.push(e.finding)
        if (this.current !== null && e.finding.interchange === this.current.index) this.current.findings.push(e.finding)
        else if (this.attachLoose) {
          const last = this.done[this.done.length - 1]
          if (this.current === null && last !== undefined && e.finding.interchange === last.index) last.findings.push(e.finding)
          else this.loose.push(e.finding)
        }
        return
    }
  }
}
