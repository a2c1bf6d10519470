// Correlation and W3C trace context for runs, steps and events.
import { randomBytes, randomUUID } from "node:crypto"

// Random bytes drawn from the system generator 4 KiB at a time: a trace or run id is a few bytes, and one
// call into the generator per id cost more than the rest of making it.
const POOL = 4096
let pool = randomBytes(POOL)
let used = 0
const hex = (n: number): string => {
  if (used + n > POOL) {
    pool = randomBytes(POOL)
    used = 0
  }
  const s = pool.toString("hex", used, used + n)
  used += n
  return s
}

/** A new root `traceparent` (version 00, sampled). */
export const newTraceparent = (): string => `00-${hex(16)}-${hex(8)}-01`

/** A child span of a `traceparent`; a malformed parent starts a new trace. */
export const childOf = (parent: string | undefined): string => {
  const m = parent !== undefined ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(parent) : null
  return m ? `00-${m[1]}-${hex(8)}-${m[2]}` : newTraceparent()
}

export const newCorrelationId = (): string => randomUUID()

export const newRunId = (): string => `r${Date.now().toString(36)}${hex(6)}`
