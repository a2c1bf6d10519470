// Failures of a step, classified as the flow spec names them (errors: transient / permanent / policy).
import { Data } from "effect"
import type { ErrorClass, ErrorPolicy } from "./flow.ts"

export class StepFailure extends Data.TaggedError("StepFailure")<{
  readonly errorClass: ErrorClass
  readonly reason: string
  /** HTTP status, when the failure is an HTTP response. */
  readonly status?: number
  /** Milliseconds the server asked us to wait (429/503 Retry-After). */
  readonly retryAfter?: number
}> {
  override get message(): string {
    return `${this.errorClass}: ${this.reason}`
  }
}

export type Disposition = "transient" | "permanent" | "policy"

const TRANSIENT_DEFAULT: ReadonlySet<ErrorClass> = new Set(["network", "timeout", "http-5xx", "http-429"])
const POLICY_DEFAULT: ReadonlySet<ErrorClass> = new Set(["lifecycle", "waiting", "credit-hold"])

/** What to do with a failure: the flow's `errors` lists first, then the defaults (5xx/429/network retry; policy classes hold; the rest is permanent). */
export const dispositionOf = (policy: ErrorPolicy, c: ErrorClass): Disposition => {
  if ((policy.transient as ReadonlyArray<string>).includes(c)) return "transient"
  if ((policy.permanent as ReadonlyArray<string>).includes(c)) return "permanent"
  if ((policy.policy as ReadonlyArray<string>).includes(c)) return "policy"
  if (TRANSIENT_DEFAULT.has(c)) return "transient"
  if (POLICY_DEFAULT.has(c)) return "policy"
  return "permanent"
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const s = Number(value)
  if (Number.isFinite(s) && s >= 0) return Math.round(s * 1000)
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : Math.max(0, t - now)
}

/** HTTP status -> class. */
export const classOfStatus = (status: number): ErrorClass =>
  status === 429 ? "http-429" : status === 409 ? "http-409" : status >= 500 ? "http-5xx" : "http-4xx"
