// MappingError: the one error a generated mapping throws. Codes are JSONata's own (T2001, D3030, ...)
// so a failure reads the same whether the compiled module or the interpreter produced it, plus
// TL-prefixed codes for tradelane's additions ($lookup).
import { Data } from "effect"

const MESSAGES: Readonly<Record<string, string>> = {
  D1001: "Number out of range",
  D1002: "Cannot negate a non-numeric value",
  D1004: "Regular expression matches zero length string",
  D2014: "The size of the sequence allocated by the range operator (..) must not exceed 1e7",
  D3001: "Attempting to invoke string function on Infinity or NaN",
  D3010: "Second argument of replace function cannot be an empty string",
  D3011: "Fourth argument of replace function must evaluate to a positive number",
  D3020: "Third argument of split function must evaluate to a positive number",
  D3030: "Unable to cast value to a number",
  D3060: "The sqrt function cannot be applied to a negative number",
  D3061: "The power function has resulted in a value that cannot be represented as a JSON number",
  D3110: "The argument of the toMillis function must be an ISO 8601 formatted timestamp",
  D3141: "Timestamp outside the supported range (years 0000-9999)",
  T0410: "Argument does not match function signature",
  T0411: "Context value is not a compatible type with the function argument",
  T0412: "Argument of function must be an array of the expected type",
  T2001: "The left side of the operator must evaluate to a number",
  T2002: "The right side of the operator must evaluate to a number",
  T2003: "The left side of the range operator (..) must evaluate to an integer",
  T2004: "The right side of the range operator (..) must evaluate to an integer",
  T2009: "The values either side of the operator must be of the same data type",
  T2010: "The expressions either side of the operator must evaluate to numeric or string values"
}

/** A runtime failure of a generated mapping (bad input data for the expression), never a compiler bug. */
export class MappingError extends Data.TaggedError("MappingError")<{
  /** JSONata error code (e.g. `T2001`). */
  readonly code: string
  readonly message: string
  /** 1-based argument index, for function signature errors. */
  readonly index?: number | undefined
}> {}

export const fail = (code: string, index?: number): never => {
  throw new MappingError({ code, message: MESSAGES[code] ?? code, index })
}
