// tradelane X12 EDI engine: public API. Bodies live in ./internal.
//
// Finding codes ("<ack segment>:<code>"): TA1:nnn (TA105 interchange note codes), AK9:n (AK905 group
// errors), AK5:n (AK502 set errors; 18 = set not in its functional group), AK3:n (AK304 segment errors),
// AK4:n (AK403 element errors), IK3:/IK4: (999-only codes such as IK4:12 too many repetitions, IK4:I10
// "not used" element present), GUIDE:<rule> (line-count, hl-sequence, hl-parent, hl-level) and EDI:nnn
// (001 not X12 at all, 002 data outside an interchange, 003 segment without terminator too long,
// 010 several guides fit). See internal/codes.ts for the tables.
export type {
  Delimiters,
  Finding,
  FunctionalGroup,
  Interchange,
  InterchangeHeader,
  ParseResult,
  Position,
  Segment,
  Severity,
  TransactionSet
} from "./internal/model.ts"
export { components, formatFinding, isError, repetitions } from "./internal/model.ts"
export { describe as describeCode, FUNCTIONAL_GROUP_OF } from "./internal/codes.ts"

export type { EdiEvent, GroupStart, InterchangeStart, ReaderOptions } from "./internal/reader.ts"
export { X12Reader } from "./internal/reader.ts"
export type { ParseOptions, Source } from "./internal/parse.ts"
export { parse, parseAll, parseEventBatches, parseEvents, parseInterchanges } from "./internal/parse.ts"
export { decodeEbcdic, encodeEbcdic } from "./internal/ebcdic.ts"

export type { Guide, GuideElement, GuideLoop, GuideNode, GuideQualifier, GuideRule, GuideSegment, Usage } from "./internal/guide.ts"
export { ackTypeOf, checkGuide, parseWindow } from "./internal/guide.ts"
export type { Json, JsonObject, StructureResult } from "./internal/structure.ts"
export { structure } from "./internal/structure.ts"
export { guideJsonSchema } from "./internal/jsonSchema.ts"
export type { GuideChoice, SetReport, ValidationReport } from "./internal/validate.ts"
export { validateParsed } from "./internal/validate.ts"
export type { LoadedGuide } from "./internal/guides.ts"
export { guideFits, loadGuides, selectGuide } from "./internal/guides.ts"

export type { EdiIdentity, OutGroup, OutInterchange, OutSegment, OutSet } from "./internal/serialize.ts"
export {
  bodyOf,
  DEFAULT_DELIMITERS,
  envelope,
  formatDecimal,
  fromJson,
  serializeInterchange,
  serializeSegments
} from "./internal/serialize.ts"

export type {
  AckControls,
  AckGap,
  AckMatch,
  AcknowledgeOptions,
  Acknowledgment,
  AckReport,
  AckType,
  ReceivedAck,
  ReceivedFunctionalAck,
  ReceivedTa1,
  SentGroup,
  SentInterchange
} from "./internal/ack.ts"
export { acknowledge, extractAcks, functionalAckBody, isAcknowledgmentOnly, matchAcks, replyIdentity, ta1For } from "./internal/ack.ts"

export type { ControlNumberKind, ControlNumbersService } from "./internal/controlNumbers.ts"
export { ControlNumberError, ControlNumbers, layerMemory, layerSqlite, MAX_CONTROL_NUMBER } from "./internal/controlNumbers.ts"
export { outbound, type OutboundDocument } from "./internal/outbound.ts"
