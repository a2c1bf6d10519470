// Rows of the Store's tables and the records they become, shared by both Store implementations.
import type { DeadLetter, OutboxRecord, RunRecord, RunStatus, TraceLine } from "./Store.ts"

export const json = (v: unknown): string => JSON.stringify(v === undefined ? null : v)
export const parse = (s: unknown): unknown => (typeof s === "string" ? JSON.parse(s) : s)

/**
 * What `runs.payload` holds while the payload is still the trigger input (at admission, after a replay):
 * not JSON, so it cannot be mistaken for a payload, and the input is not written twice.
 */
export const SAME_AS_INPUT = ""

export interface RunRow {
  readonly id: string
  readonly flow: string
  readonly idem_key: string
  readonly status: string
  readonly cursor: number
  readonly input: string
  readonly payload: string
  readonly attempts: number
  readonly next_at: number
  readonly wait_for: string | null
  readonly correlation_id: string
  readonly traceparent: string
  readonly keys: string
  readonly meta: string
  readonly created_at: number
}

export const toRun = (r: RunRow): RunRecord => {
  const input = parse(r.input)
  return {
    id: r.id,
    flow: r.flow,
    idempotencyKey: r.idem_key,
    status: r.status as RunStatus,
    cursor: Number(r.cursor),
    input,
    payload: r.payload === SAME_AS_INPUT ? input : parse(r.payload),
    attempts: Number(r.attempts),
    nextAt: Number(r.next_at),
    ...(r.wait_for !== null ? { waitFor: r.wait_for } : {}),
    correlationId: r.correlation_id,
    traceparent: r.traceparent,
    keys: parse(r.keys) as Record<string, string>,
    meta: parse(r.meta) as Record<string, unknown>,
    createdAt: Number(r.created_at)
  }
}

export interface DeadRow {
  readonly id: string
  readonly run_id: string
  readonly flow: string
  readonly step: string
  readonly error_class: string
  readonly reason: string
  readonly spec_file: string
  readonly spec_path: string
  readonly input: string
  readonly attempts: number
  readonly created_at: number
  readonly status: string
}

export interface OutboxRow {
  readonly id: string
  readonly run_id: string
  readonly flow: string
  readonly step: string
  readonly kind: string
  readonly partner: string
  readonly operation: string
  readonly idem_key: string
  readonly request: string
  readonly status: string
  readonly attempts: number
  readonly response: string | null
}

export const toOutbox = (r: OutboxRow): OutboxRecord => ({
  id: r.id,
  runId: r.run_id,
  flow: r.flow,
  step: r.step,
  kind: r.kind as OutboxRecord["kind"],
  partner: r.partner,
  operation: r.operation,
  idempotencyKey: r.idem_key,
  request: parse(r.request),
  status: r.status as "pending" | "done",
  attempts: Number(r.attempts),
  ...(r.response !== null ? { response: parse(r.response) } : {})
})

export const toDead = (r: DeadRow): DeadLetter => ({
  id: r.id,
  runId: r.run_id,
  flow: r.flow,
  step: r.step,
  errorClass: r.error_class,
  reason: r.reason,
  specFile: r.spec_file,
  specPath: r.spec_path,
  input: parse(r.input),
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  status: r.status as "open" | "replayed"
})

/** A trace line joined with its run's keys (traceOf). */
export interface TraceRow {
  readonly run_id: string
  readonly flow: string
  readonly step: string
  readonly action: string
  readonly outcome: string
  readonly system: string
  readonly detail: string | null
  readonly correlation_id: string
  readonly at: number
  readonly keys: string
}

export const toTraceLine = (r: TraceRow): TraceLine => ({
  runId: r.run_id,
  flow: r.flow,
  step: r.step,
  action: r.action,
  outcome: r.outcome,
  system: r.system,
  ...(r.detail !== null ? { detail: r.detail } : {}),
  correlationId: r.correlation_id,
  at: Number(r.at),
  keys: parse(r.keys) as Record<string, string>
})
