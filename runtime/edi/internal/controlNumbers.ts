// Control numbers (ISA13, GS06, ST02): one persisted, atomically increasing sequence per partner and
// kind. Never reused: a sequence that reaches 999999999 fails rather than wrapping.
import Database from "better-sqlite3"
import { Context, Data, Effect, Layer } from "effect"

export type ControlNumberKind = "isa" | "gs" | "st"

export const MAX_CONTROL_NUMBER = 999_999_999

export class ControlNumberError extends Data.TaggedError("ControlNumberError")<{
  readonly partner: string
  readonly kind: ControlNumberKind
  readonly reason: "exhausted" | "storage"
  readonly cause?: unknown
}> {
  override get message(): string {
    return this.reason === "exhausted"
      ? `control numbers for ${this.partner}/${this.kind} are exhausted (${MAX_CONTROL_NUMBER})`
      : `control number storage failed for ${this.partner}/${this.kind}`
  }
}

export interface ControlNumbersService {
  /** The next control number for a partner: 1, 2, 3… across restarts, never twice. */
  readonly next: (partner: string, kind: ControlNumberKind) => Effect.Effect<number, ControlNumberError>
}

export class ControlNumbers extends Context.Tag("tradelane/runtime/ControlNumbers")<ControlNumbers, ControlNumbersService>() {}

/** In-memory sequences (tests, dry runs). JS is single-threaded, so each increment is atomic. */
export const makeMemory = (): ControlNumbersService => {
  const values = new Map<string, number>()
  return {
    next: (partner, kind) =>
      Effect.suspend(() => {
        const key = `${partner}\u0000${kind}`
        const n = (values.get(key) ?? 0) + 1
        if (n > MAX_CONTROL_NUMBER) return Effect.fail(new ControlNumberError({ partner, kind, reason: "exhausted" }))
        values.set(key, n)
        return Effect.succeed(n)
      })
  }
}

export const layerMemory: Layer.Layer<ControlNumbers> = Layer.sync(ControlNumbers, makeMemory)

/** The sequences' table (also created by the embedded store, which keeps them on its own connection). */
export const CONTROL_NUMBERS_SCHEMA = `CREATE TABLE IF NOT EXISTS edi_control_numbers (
  partner TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('isa', 'gs', 'st')),
  value INTEGER NOT NULL,
  PRIMARY KEY (partner, kind)
) STRICT`

/**
 * Durable sequences in SQLite (better-sqlite3). Each `next` is one `INSERT … ON CONFLICT DO UPDATE …
 * RETURNING` inside an IMMEDIATE transaction, so concurrent fibers and other processes sharing the file
 * never get the same number. The database is opened when the layer is built and closed with its scope.
 */
export const layerSqlite = (file: string): Layer.Layer<ControlNumbers, ControlNumberError> =>
  Layer.scoped(
    ControlNumbers,
    Effect.gen(function* () {
      const db = yield* Effect.acquireRelease(
        Effect.try({
          try: () => {
            const d = new Database(file)
            d.pragma("journal_mode = WAL")
            d.pragma("busy_timeout = 5000")
            d.exec(CONTROL_NUMBERS_SCHEMA)
            return d
          },
          catch: (cause) => new ControlNumberError({ partner: "*", kind: "isa", reason: "storage", cause })
        }),
        (d) => Effect.sync(() => d.close())
      )
      const bump = db.prepare<[string, string], { value: number }>(
        `INSERT INTO edi_control_numbers (partner, kind, value) VALUES (?, ?, 1)
         ON CONFLICT (partner, kind) DO UPDATE SET value = value + 1
         RETURNING value`
      )
      const next = db.transaction((partner: string, kind: string): number => bump.get(partner, kind)!.value)
      const service: ControlNumbersService = {
        next: (partner, kind) =>
          Effect.try({
            try: () => next.immediate(partner, kind),
            catch: (cause) => new ControlNumberError({ partner, kind, reason: "storage", cause })
          }).pipe(
            Effect.flatMap((n) =>
              n > MAX_CONTROL_NUMBER ? Effect.fail(new ControlNumberError({ partner, kind, reason: "exhausted" })) : Effect.succeed(n)
            )
          )
      }
      return service
    })
  )
