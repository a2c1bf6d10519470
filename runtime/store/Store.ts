// The Store: everything the runtime must not lose. Idempotency (one run per flow and key), runs and their
// cursors, the transactional outbox, dead letters, lifecycle state, exceptions, events seen (for
// `requires`), inventory positions (for routing) and the trace. One interface; the embedded
// implementation is SQLite (./sqlite.ts); a PostgreSQL one implements the same operations over
// @effect/sql's PgClient (the SQL is written for both dialects where it can be).
import { Context, Data, type Effect } from "effect"

export class StoreError extends Data.TaggedError("StoreError")<{
  readonly operation: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `store: ${this.operation} failed`
  }
}

export type RunStatus = "pending" | "held" | "done" | "dead" | "refused"

export interface RunRecord {
  readonly id: string
  readonly flow: string
  readonly idempotencyKey: string
  readonly status: RunStatus
  readonly cursor: number
  /** The trigger payload, as received. */
  readonly input: unknown
  /** The payload after the steps before `cursor`. */
  readonly payload: unknown
  readonly attempts: number
  readonly nextAt: number
  readonly waitFor?: string
  readonly correlationId: string
  readonly traceparent: string
  readonly keys: Readonly<Record<string, string>>
  readonly meta: Readonly<Record<string, unknown>>
  readonly createdAt: number
}

export interface NewRun {
  readonly id: string
  readonly flow: string
  readonly idempotencyKey: string
  readonly input: unknown
  /** `input` as JSON text when the caller has it (a webhook body as received): stored as is, not serialized again. */
  readonly inputText?: string
  readonly correlationId: string
  readonly traceparent: string
  readonly keys: Readonly<Record<string, string>>
  readonly meta: Readonly<Record<string, unknown>>
  readonly at: number
}

export interface RunUpdate {
  readonly cursor?: number
  readonly payload?: unknown
  readonly status?: RunStatus
  readonly attempts?: number
  readonly nextAt?: number
  readonly waitFor?: string | null
}

export type OutboxKind = "call" | "send" | "ack"

export interface OutboxRecord {
  readonly id: string
  readonly runId: string
  readonly flow: string
  readonly step: string
  readonly kind: OutboxKind
  readonly partner: string
  readonly operation: string
  readonly idempotencyKey: string
  readonly request: unknown
  readonly status: "pending" | "done"
  readonly attempts: number
  readonly response?: unknown
}

export interface DeadLetter {
  readonly id: string
  readonly runId: string
  readonly flow: string
  readonly step: string
  readonly errorClass: string
  readonly reason: string
  readonly specFile: string
  readonly specPath: string
  readonly input: unknown
  readonly attempts: number
  readonly createdAt: number
  readonly status: "open" | "replayed"
}

export interface TraceEntry {
  readonly runId: string
  readonly flow: string
  readonly step: string
  /** received, map, validate, call, send, emit, hold, dead-letter, done... */
  readonly action: string
  readonly outcome: string
  readonly system: string
  readonly detail?: string
  readonly correlationId: string
  readonly at: number
}

export interface TraceLine extends TraceEntry {
  readonly keys: Readonly<Record<string, string>>
}

export interface ExceptionRecord {
  readonly kind: string
  readonly flow: string
  readonly runId: string
  readonly key: string
  readonly detail: string
  readonly at: number
}

export interface LifecycleRecord {
  readonly lifecycle: string
  readonly key: string
  readonly state: string
}

export interface StoreService {
  /** Runs `effect` in one transaction: every Store (and store-backed Bus) call inside it commits or none. */
  readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StoreError, R>

  /** Inserts the run unless the flow already has one for this idempotency key. */
  readonly admit: (run: NewRun) => Effect.Effect<"admitted" | "duplicate", StoreError>
  readonly getRun: (id: string) => Effect.Effect<RunRecord | undefined, StoreError>
  readonly updateRun: (id: string, update: RunUpdate, at: number) => Effect.Effect<void, StoreError>
  /** Pending runs due at `now`, oldest first. */
  readonly dueRuns: (now: number, limit: number) => Effect.Effect<ReadonlyArray<string>, StoreError>
  /** Held runs sharing one of these business-key values become pending again. */
  readonly wakeHeld: (keyValues: ReadonlyArray<string>, at: number) => Effect.Effect<number, StoreError>
  readonly countRuns: () => Effect.Effect<ReadonlyArray<{ readonly flow: string; readonly status: RunStatus; readonly count: number }>, StoreError>

  readonly putOutbox: (record: Omit<OutboxRecord, "status" | "attempts">) => Effect.Effect<OutboxRecord, StoreError>
  readonly getOutbox: (id: string) => Effect.Effect<OutboxRecord | undefined, StoreError>
  readonly completeOutbox: (id: string, response: unknown, attempts: number) => Effect.Effect<void, StoreError>
  /** Records an entry delivered without a pending record before it (a call: its request, response and attempts); an existing entry becomes done. */
  readonly recordDelivered: (record: Omit<OutboxRecord, "status" | "attempts">, response: unknown, attempts: number) => Effect.Effect<void, StoreError>
  /** Records what was prepared for a pending entry (an EDI file rendered with its control numbers) before it is sent. */
  readonly noteOutbox: (id: string, response: unknown) => Effect.Effect<void, StoreError>
  readonly countOutbox: () => Effect.Effect<ReadonlyArray<{ readonly partner: string; readonly operation: string; readonly status: string; readonly count: number }>, StoreError>

  readonly putDeadLetter: (dl: Omit<DeadLetter, "status">) => Effect.Effect<void, StoreError>
  readonly listDeadLetters: (filter: { readonly flow?: string; readonly id?: string; readonly status?: "open" | "replayed" }) => Effect.Effect<ReadonlyArray<DeadLetter>, StoreError>
  /** Resets the dead run to its first step with its original input; the dead letter becomes `replayed`. */
  readonly replayDeadLetter: (id: string, at: number) => Effect.Effect<boolean, StoreError>

  readonly recordEvent: (type: string, keyValues: ReadonlyArray<string>) => Effect.Effect<void, StoreError>
  readonly eventSeen: (type: string, keyValues: ReadonlyArray<string>) => Effect.Effect<boolean, StoreError>

  readonly getLifecycle: (lifecycle: string, key: string) => Effect.Effect<string | undefined, StoreError>
  readonly setLifecycle: (lifecycle: string, key: string, state: string, at: number) => Effect.Effect<void, StoreError>
  readonly lifecycleCounts: (lifecycle: string) => Effect.Effect<ReadonlyArray<{ readonly state: string; readonly count: number }>, StoreError>

  readonly putException: (e: ExceptionRecord) => Effect.Effect<void, StoreError>
  readonly listExceptions: () => Effect.Effect<ReadonlyArray<ExceptionRecord>, StoreError>

  readonly setInventory: (snapshot: ReadonlyArray<{ readonly sku: string; readonly warehouse: string; readonly available: number }>, at: number) => Effect.Effect<void, StoreError>
  readonly getInventory: (skus: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<{ readonly sku: string; readonly warehouse: string; readonly available: number }>, StoreError>
  /** Takes quantity out of a warehouse's available stock (routing reserves what it routes). */
  readonly reserveInventory: (warehouse: string, lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>) => Effect.Effect<void, StoreError>

  readonly trace: (entries: ReadonlyArray<TraceEntry>) => Effect.Effect<void, StoreError>
  /** Every step of every run that carries this business-key value (or run id / correlation id), in time order. */
  readonly traceOf: (key: string) => Effect.Effect<ReadonlyArray<TraceLine>, StoreError>

  /** Inbound files already taken (EDI pickup), so a crash between pickup and archive cannot take one twice. */
  readonly markFile: (id: string, at: number) => Effect.Effect<boolean, StoreError>
}

export class Store extends Context.Tag("tradelane/runtime/Store")<Store, StoreService>() {}
