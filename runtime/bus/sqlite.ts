// The embedded Bus on the Store's SQL database: bus_messages (ordered by seq) and one durable offset per
// consumer. Publishing inside a Store transaction makes the event part of the step's state change.
import { SqlClient } from "@effect/sql"
import { Duration, Effect, Layer, Option, Queue, Schedule } from "effect"
import { Bus, BusError, type BusService, type Envelope } from "./Bus.ts"

export const makeSql = (options: { readonly pollInterval?: Duration.DurationInput } = {}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const poll = Duration.decode(options.pollInterval ?? "25 millis")
    const wakers = new Set<Queue.Queue<void>>()
    const service: BusService = {
      publish: (e) =>
        sql`INSERT INTO bus_messages (id, type, envelope, at) VALUES (${e.id}, ${e.type}, ${JSON.stringify(e)}, ${Date.now()}) ON CONFLICT (id) DO NOTHING`.pipe(
          Effect.tap(() => Effect.forEach(wakers, (q) => Queue.offer(q, undefined), { discard: true })),
          Effect.asVoid,
          Effect.mapError((cause) => new BusError({ operation: "publish", cause }))
        ),
      subscribe: (consumer, types, handler) =>
        Effect.gen(function* () {
          const wake = yield* Queue.sliding<void>(1)
          wakers.add(wake)
          yield* Effect.addFinalizer(() => Effect.sync(() => wakers.delete(wake)))
          const offsetRows = yield* sql<{ seq: number }>`SELECT seq FROM bus_offsets WHERE consumer = ${consumer}`.pipe(Effect.orDie)
          let offset = Number(offsetRows[0]?.seq ?? 0)
          const loop = Effect.gen(function* () {
            const rows = yield* sql<{ seq: number; envelope: string }>`SELECT seq, envelope FROM bus_messages WHERE seq > ${offset} AND ${sql.in("type", [...types])} ORDER BY seq LIMIT 200`
            for (const r of rows) {
              const env = JSON.parse(r.envelope) as Envelope
              yield* handler(env).pipe(Effect.retry(Schedule.spaced("200 millis")))
              offset = Number(r.seq)
            }
            if (rows.length > 0) {
              yield* sql`INSERT INTO bus_offsets (consumer, seq) VALUES (${consumer}, ${offset}) ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`
            } else {
              yield* Queue.take(wake).pipe(Effect.timeoutOption(poll), Effect.map(Option.getOrUndefined))
            }
          })
          yield* loop.pipe(
            Effect.catchAllCause((cause) => Effect.logWarning("bus consumer failed; retrying", { consumer }).pipe(Effect.annotateLogs("cause", String(cause)), Effect.zipRight(Effect.sleep("200 millis")))),
            Effect.forever,
            Effect.forkScoped
          )
        })
    }
    return service
  })

/** The Bus on the SqlClient in context (the Store's database). */
export const layerSql = (options?: { readonly pollInterval?: Duration.DurationInput }): Layer.Layer<Bus, never, SqlClient.SqlClient> =>
  Layer.effect(Bus, makeSql(options))
