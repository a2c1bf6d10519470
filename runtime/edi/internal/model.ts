// The parsed shape of X12 data and of findings. Everything here is plain data: no classes, no methods,
// so results serialise to JSON as they are.
import { describe } from "./codes.ts"

export type Severity = "error" | "warning" | "info"

/**
 * One problem found in the input. `code` is "<ack segment>:<code>" (see codes.ts): "TA1:001",
 * "AK9:5", "AK5:4", "AK3:2", "AK4:7", "IK4:I10", "GUIDE:line-count", "EDI:001".
 * Positions: `interchange` is the 1-based ordinal of the interchange in the input, `group` of the group in
 * its interchange, `set` of the set in its group; `segment` is the segment's position in its set with
 * ST = 1 (X12 AK302); `element` is the 1-based element position (AK401), `component` and
 * `repetition` likewise. `offset` is the 0-based byte offset (UTF-16 index for string input) of the
 * segment or element; `line`/`column` are 1-based.
 */
export interface Finding {
  readonly code: string
  readonly severity: Severity
  readonly message: string
  readonly interchange?: number
  readonly interchangeControl?: string
  readonly group?: number
  readonly groupControl?: string
  readonly set?: number
  readonly setControl?: string
  readonly transactionSet?: string
  readonly segment?: number
  readonly segmentId?: string
  readonly loopId?: string
  readonly element?: number
  readonly component?: number
  readonly repetition?: number
  /** A copy of the bad data (AK404), when short and printable. */
  readonly value?: string
  readonly offset: number
  readonly line: number
  readonly column: number
}

export interface Position {
  readonly offset: number
  readonly line: number
  readonly column: number
}

export interface Delimiters {
  /** Data element separator (ISA, 4th character). */
  readonly element: string
  /** Component element separator (ISA16). */
  readonly component: string
  /** Repetition separator (ISA11 from 00402 on, when it is not a letter or digit); null otherwise. */
  readonly repetition: string | null
  /** Segment terminator (the character after ISA16). */
  readonly segment: string
  /** What followed the ISA's terminator: "", "\n" or "\r\n" (kept so output looks like the input). */
  readonly suffix: string
}

/** One segment. `elements[0]` is the segment id; `elements[n]` is element n exactly as sent
 * (components and repetitions are not split: use `components()` / `repetitions()`). */
export interface Segment {
  readonly id: string
  readonly elements: readonly string[]
  readonly offset: number
  readonly line: number
  readonly column: number
}

export interface InterchangeHeader {
  readonly authorizationQualifier: string
  readonly authorization: string
  readonly securityQualifier: string
  readonly security: string
  readonly senderQualifier: string
  readonly senderId: string
  readonly receiverQualifier: string
  readonly receiverId: string
  readonly date: string
  readonly time: string
  readonly standardsOrRepetition: string
  readonly version: string
  readonly control: string
  readonly ackRequested: string
  readonly usage: string
}

export interface TransactionSet {
  /** 1-based position in its group. */
  readonly index: number
  readonly id: string
  readonly control: string
  /** ST03 (implementation convention reference), when sent. */
  readonly implementation?: string
  /** ST .. SE inclusive (SE absent when the trailer was missing). */
  readonly segments: Segment[]
  readonly findings: Finding[]
  /** Context, so a set read from a stream can stand alone. */
  readonly interchange: number
  readonly interchangeControl: string
  readonly group: number
  readonly groupControl: string
  readonly functionalId: string
  readonly version: string
  /** The interchange's delimiters (to split components and repetitions). */
  readonly delimiters: Delimiters
}

export interface FunctionalGroup {
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
  trailer: Segment | null
  readonly sets: TransactionSet[]
}

export interface Interchange {
  readonly index: number
  readonly encoding: "ascii" | "ebcdic"
  readonly delimiters: Delimiters
  readonly header: InterchangeHeader
  readonly isa: Segment
  iea: Segment | null
  readonly groups: FunctionalGroup[]
  /** Interchange-level control segments outside groups (TA1). */
  readonly controlSegments: Segment[]
  /** Envelope findings of this interchange, its groups and its sets. */
  readonly findings: Finding[]
}

export interface ParseResult {
  readonly interchanges: Interchange[]
  /** All findings, including those outside any interchange (EDI:001, EDI:002). */
  readonly findings: Finding[]
}

/** Context a finding is positioned in; `makeFinding` copies what is set. */
export interface Where {
  readonly interchange?: number
  readonly interchangeControl?: string
  readonly group?: number
  readonly groupControl?: string
  readonly set?: number
  readonly setControl?: string
  readonly transactionSet?: string
  readonly segment?: number
  readonly segmentId?: string
  readonly loopId?: string
  readonly element?: number
  readonly component?: number
  readonly repetition?: number
  readonly value?: string
}

export const makeFinding = (
  code: string,
  severity: Severity,
  detail: string | undefined,
  at: Position,
  where: Where
): Finding => {
  const summary = describe(code)
  const message = detail === undefined ? summary : summary === code ? detail : `${summary}: ${detail}`
  const out: Record<string, unknown> = { code, severity, message }
  for (const [k, v] of Object.entries(where)) if (v !== undefined) out[k] = v
  out["offset"] = at.offset
  out["line"] = at.line
  out["column"] = at.column
  return out as unknown as Finding
}

export const isError = (f: Finding): boolean => f.severity === "error"

/** "line:col [interchange 1 (000000905) group 2 set 1 (0001) segment 5 PO1 element 3]" */
export const formatFinding = (f: Finding, file?: string): string => {
  const parts: string[] = []
  if (f.interchange !== undefined) parts.push(`interchange ${f.interchange}${f.interchangeControl ? ` (${f.interchangeControl})` : ""}`)
  if (f.group !== undefined) parts.push(`group ${f.group}${f.groupControl ? ` (${f.groupControl})` : ""}`)
  if (f.set !== undefined) parts.push(`set ${f.set}${f.transactionSet ? ` ${f.transactionSet}` : ""}${f.setControl ? ` (${f.setControl})` : ""}`)
  if (f.segment !== undefined || f.segmentId !== undefined)
    parts.push(`segment ${f.segment ?? "-"}${f.segmentId ? ` ${f.segmentId}` : ""}`)
  if (f.element !== undefined)
    parts.push(`element ${f.element}${f.component !== undefined ? `-${f.component}` : ""}${f.repetition !== undefined ? ` repetition ${f.repetition}` : ""}`)
  const where = parts.length > 0 ? ` [${parts.join(" ")}]` : ""
  return `${file !== undefined ? `${file}:` : ""}${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}${where}`
}

/** Splits an element into its components (ISA16). */
export const components = (value: string, d: Delimiters): string[] => value.split(d.component)
/** Splits an element into its repetitions (ISA11), when the interchange has a repetition separator. */
export const repetitions = (value: string, d: Delimiters): string[] =>
  d.repetition === null ? [value] : value.split(d.repetition)
