// The Store on SQL (@effect/sql), with the embedded SQLite layer (better-sqlite3 through
// @effect/sql-sqlite-node, WAL). Migrations are versioned (tradelane_migrations). Writes that belong
// together run in `transaction`, which nests: the engine wraps a step's state change, its outbox record,
// its events and its trace lines in one.
import { NodeContext } from "@effect/platform-node"
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient, SqliteMigrator } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { type DeadRow, json, SAME_AS_INPUT, type OutboxRow, type RunRow, toDead, toOutbox, toRun, toTraceLine, type TraceRow } from "./rows.ts"
import { MIGRATIONS } from "./schema.ts"
import {
  type ExceptionRecord,
  type RunStatus,
  Store,
  StoreError,
  type StoreService
} from "./Store.ts"

/** The schema (./schema.ts) as @effect/sql migrations ("0001_init"...). */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = Object.fromEntries(
  MIGRATIONS.map((m) => [
    `${String(m.id).padStart(4, "0")}_${m.name}`,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      for (const s of m.statements) yield* sql.unsafe(s)
    })
  ])
)

/** The Store over any @effect/sql client (SQLite embedded; PostgreSQL shares the statements). */
export const makeSql = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const wrap =
    (operation: string) =>
    <A, E, R>(e: Effect.Effect<A, E, R>): Effect.Effect<A, StoreError, R> =>
      Effect.mapError(e, (cause) => new StoreError({ operation, cause }))

  const service: StoreService = {
    transaction: (effect) => sql.withTransaction(effect).pipe(Effect.catchTag("SqlError", (cause) => Effect.fail(new StoreError({ operation: "transaction", cause })))),

    admit: (run) =>
      Effect.gen(function* () {
        const rows = yield* sql<{ id: string }>`INSERT INTO runs (id, flow, idem_key, status, cursor, input, payload, attempts, next_at, correlation_id, traceparent, keys, meta, created_at, updated_at)
          VALUES (${run.id}, ${run.flow}, ${run.idempotencyKey}, 'pending', 0, ${run.inputText ?? json(run.input)}, ${SAME_AS_INPUT}, 0, ${run.at}, ${run.correlationId}, ${run.traceparent}, ${json(run.keys)}, ${json(run.meta)}, ${run.at}, ${run.at})
          ON CONFLICT (flow, idem_key) DO NOTHING RETURNING id`
        if (rows.length === 0) return "duplicate" as const
        for (const [name, value] of Object.entries(run.keys)) {
          yield* sql`INSERT INTO run_keys (value, run_id, name) VALUES (${value}, ${run.id}, ${name}) ON CONFLICT DO NOTHING`
        }
        return "admitted" as const
      }).pipe(wrap("admit")),

    getRun: (id) =>
      sql<RunRow>`SELECT * FROM runs WHERE id = ${id}`.pipe(
        Effect.map((rows) => (rows[0] ? toRun(rows[0]) : undefined)),
        wrap("getRun")
      ),

    updateRun: (id, u, at) => {
      const sets: Array<[string, unknown]> = [["updated_at", at]]
      if (u.cursor !== undefined) sets.push(["cursor", u.cursor])
      if (u.payload !== undefined) sets.push(["payload", json(u.payload)])
      if (u.status !== undefined) sets.push(["status", u.status])
      if (u.attempts !== undefined) sets.push(["attempts", u.attempts])
      if (u.nextAt !== undefined) sets.push(["next_at", u.nextAt])
      if (u.waitFor !== undefined) sets.push(["wait_for", u.waitFor])
      const text = `UPDATE runs SET ${sets.map(([c]) => `${c} = ?`).join(", ")} WHERE id = ?`
      return sql.unsafe(text, [...sets.map(([, v]) => v), id] as Array<string | number | null>).pipe(Effect.asVoid, wrap("updateRun"))
    },

    dueRuns: (now, limit) =>
      sql<{ id: string }>`SELECT id FROM runs WHERE status IN ('pending', 'held') AND next_at <= ${now} ORDER BY next_at LIMIT ${limit}`.pipe(
        Effect.map((rows) => rows.map((r) => r.id)),
        wrap("dueRuns")
      ),

    wakeHeld: (values, at) =>
      values.length === 0
        ? Effect.succeed(0)
        : sql<{ id: string }>`UPDATE runs SET status = 'pending', next_at = ${at}, wait_for = NULL, updated_at = ${at}
            WHERE status = 'held' AND id IN (SELECT run_id FROM run_keys WHERE ${sql.in("value", values)}) RETURNING id`.pipe(
            Effect.map((rows) => rows.length),
            wrap("wakeHeld")
          ),

    countRuns: () =>
      sql<{ flow: string; status: string; n: number }>`SELECT flow, status, COUNT(*) AS n FROM runs GROUP BY flow, status ORDER BY flow, status`.pipe(
        Effect.map((rows) => rows.map((r) => ({ flow: r.flow, status: r.status as RunStatus, count: Number(r.n) }))),
        wrap("countRuns")
      ),

    putOutbox: (o) =>
      Effect.gen(function* () {
        const now = Date.now()
        yield* sql`INSERT INTO outbox (id, run_id, flow, step, kind, partner, operation, idem_key, request, status, attempts, created_at)
          VALUES (${o.id}, ${o.runId}, ${o.flow}, ${o.step}, ${o.kind}, ${o.partner}, ${o.operation}, ${o.idempotencyKey}, ${json(o.request)}, 'pending', 0, ${now})
          ON CONFLICT (id) DO NOTHING`
        const rows = yield* sql<OutboxRow>`SELECT * FROM outbox WHERE id = ${o.id}`
        return toOutbox(rows[0]!)
      }).pipe(wrap("putOutbox")),

    getOutbox: (id) =>
      sql<OutboxRow>`SELECT * FROM outbox WHERE id = ${id}`.pipe(
        Effect.map((rows) => (rows[0] ? toOutbox(rows[0]) : undefined)),
        wrap("getOutbox")
      ),

    completeOutbox: (id, response, attempts) =>
      sql`UPDATE outbox SET status = 'done', response = ${json(response)}, attempts = ${attempts}, done_at = ${Date.now()} WHERE id = ${id}`.pipe(
        Effect.asVoid,
        wrap("completeOutbox")
      ),

    recordDelivered: (o, response, attempts) =>
      Effect.suspend(() => {
        const now = Date.now()
        return sql`INSERT INTO outbox (id, run_id, flow, step, kind, partner, operation, idem_key, request, status, attempts, response, created_at, done_at)
          VALUES (${o.id}, ${o.runId}, ${o.flow}, ${o.step}, ${o.kind}, ${o.partner}, ${o.operation}, ${o.idempotencyKey}, ${json(o.request)}, 'done', ${attempts}, ${json(response)}, ${now}, ${now})
          ON CONFLICT (id) DO UPDATE SET status = 'done', response = excluded.response, attempts = excluded.attempts, done_at = excluded.done_at`
      }).pipe(Effect.asVoid, wrap("recordDelivered")),

    noteOutbox: (id, response) =>
      sql`UPDATE outbox SET response = ${json(response)} WHERE id = ${id}`.pipe(Effect.asVoid, wrap("noteOutbox")),

    countOutbox: () =>
      sql<{ partner: string; operation: string; status: string; n: number }>`SELECT partner, operation, status, COUNT(*) AS n FROM outbox GROUP BY partner, operation, status ORDER BY partner, operation, status`.pipe(
        Effect.map((rows) => rows.map((r) => ({ partner: r.partner, operation: r.operation, status: r.status, count: Number(r.n) }))),
        wrap("countOutbox")
      ),

    putDeadLetter: (d) =>
      sql`INSERT INTO dead_letters (id, run_id, flow, step, error_class, reason, spec_file, spec_path, input, attempts, created_at, status)
        VALUES (${d.id}, ${d.runId}, ${d.flow}, ${d.step}, ${d.errorClass}, ${d.reason}, ${d.specFile}, ${d.specPath}, ${json(d.input)}, ${d.attempts}, ${d.createdAt}, 'open')
        ON CONFLICT (id) DO UPDATE SET status = 'open', reason = excluded.reason, error_class = excluded.error_class, step = excluded.step,
          spec_file = excluded.spec_file, spec_path = excluded.spec_path, attempts = excluded.attempts, created_at = excluded.created_at`.pipe(
        Effect.asVoid,
        wrap("putDeadLetter")
      ),

    listDeadLetters: (f) => {
      const where: string[] = []
      const params: Array<string> = []
      if (f.flow !== undefined) (where.push("flow = ?"), params.push(f.flow))
      if (f.id !== undefined) (where.push("(id = ? OR run_id = ?)"), params.push(f.id, f.id))
      if (f.status !== undefined) (where.push("status = ?"), params.push(f.status))
      const text = `SELECT * FROM dead_letters${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, id`
      return sql.unsafe<DeadRow>(text, params).pipe(
        Effect.map((rows) => rows.map(toDead)),
        wrap("listDeadLetters")
      )
    },

    replayDeadLetter: (id, at) =>
      Effect.gen(function* () {
        const rows = yield* sql<{ run_id: string }>`UPDATE dead_letters SET status = 'replayed' WHERE id = ${id} AND status = 'open' RETURNING run_id`
        if (rows.length === 0) return false
        yield* sql`UPDATE runs SET status = 'pending', cursor = 0, payload = ${SAME_AS_INPUT}, attempts = 0, next_at = ${at}, wait_for = NULL, updated_at = ${at} WHERE id = ${rows[0]!.run_id}`
        return true
      }).pipe(sql.withTransaction, wrap("replayDeadLetter")),

    recordEvent: (type, values) =>
      Effect.forEach(values, (v) => sql`INSERT INTO events_seen (type, key_value) VALUES (${type}, ${v}) ON CONFLICT DO NOTHING`, { discard: true }).pipe(
        wrap("recordEvent")
      ),

    eventSeen: (type, values) =>
      values.length === 0
        ? Effect.succeed(false)
        : sql<{ n: number }>`SELECT COUNT(*) AS n FROM events_seen WHERE type = ${type} AND ${sql.in("key_value", values)}`.pipe(
            Effect.map((rows) => Number(rows[0]?.n ?? 0) > 0),
            wrap("eventSeen")
          ),

    getLifecycle: (lifecycle, key) =>
      sql<{ state: string }>`SELECT state FROM lifecycle WHERE lifecycle = ${lifecycle} AND key = ${key}`.pipe(
        Effect.map((rows) => rows[0]?.state),
        wrap("getLifecycle")
      ),

    setLifecycle: (lifecycle, key, state, at) =>
      sql`INSERT INTO lifecycle (lifecycle, key, state, updated_at) VALUES (${lifecycle}, ${key}, ${state}, ${at})
        ON CONFLICT (lifecycle, key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`.pipe(Effect.asVoid, wrap("setLifecycle")),

    lifecycleCounts: (lifecycle) =>
      sql<{ state: string; n: number }>`SELECT state, COUNT(*) AS n FROM lifecycle WHERE lifecycle = ${lifecycle} GROUP BY state ORDER BY state`.pipe(
        Effect.map((rows) => rows.map((r) => ({ state: r.state, count: Number(r.n) }))),
        wrap("lifecycleCounts")
      ),

    putException: (e) =>
      sql`INSERT INTO exceptions (kind, flow, run_id, key, detail, at) VALUES (${e.kind}, ${e.flow}, ${e.runId}, ${e.key}, ${e.detail}, ${e.at})`.pipe(
        Effect.asVoid,
        wrap("putException")
      ),

    listExceptions: () =>
      sql<{ kind: string; flow: string; run_id: string; key: string; detail: string; at: number }>`SELECT * FROM exceptions ORDER BY id`.pipe(
        Effect.map((rows): ReadonlyArray<ExceptionRecord> => rows.map((r) => ({ kind: r.kind, flow: r.flow, runId: r.run_id, key: r.key, detail: r.detail, at: Number(r.at) }))),
        wrap("listExceptions")
      ),

    setInventory: (positions, at) =>
      Effect.forEach(
        positions,
        (p) =>
          sql`INSERT INTO inventory (sku, warehouse, available, at) VALUES (${p.sku}, ${p.warehouse}, ${p.available}, ${at})
            ON CONFLICT (sku, warehouse) DO UPDATE SET available = excluded.available, at = excluded.at`,
        { discard: true }
      ).pipe(wrap("setInventory")),

    getInventory: (skus) =>
      skus.length === 0
        ? Effect.succeed([])
        : sql<{ sku: string; warehouse: string; available: number }>`SELECT sku, warehouse, available FROM inventory WHERE ${sql.in("sku", skus)}`.pipe(
            Effect.map((rows) => rows.map((r) => ({ sku: r.sku, warehouse: r.warehouse, available: Number(r.available) }))),
            wrap("getInventory")
          ),

    reserveInventory: (warehouse, lines) =>
      Effect.forEach(lines, (l) => sql`UPDATE inventory SET available = available - ${l.quantity} WHERE sku = ${l.sku} AND warehouse = ${warehouse}`, {
        discard: true
      }).pipe(wrap("reserveInventory")),

    trace: (entries) =>
      Effect.forEach(
        entries,
        (t) => sql`INSERT INTO trace (run_id, flow, step, action, outcome, system, detail, correlation_id, at)
          VALUES (${t.runId}, ${t.flow}, ${t.step}, ${t.action}, ${t.outcome}, ${t.system}, ${t.detail ?? null}, ${t.correlationId}, ${t.at})`,
        { discard: true }
      ).pipe(wrap("trace")),

    traceOf: (key) =>
      sql<TraceRow>`SELECT t.run_id, t.flow, t.step, t.action, t.outcome, t.system, t.detail, t.correlation_id, t.at, r.keys
        FROM trace t JOIN runs r ON r.id = t.run_id
        WHERE t.run_id IN (SELECT run_id FROM run_keys WHERE value = ${key}) OR t.run_id = ${key} OR t.correlation_id = ${key}
        ORDER BY t.at, t.id`.pipe(
        Effect.map((rows) => rows.map(toTraceLine)),
        wrap("traceOf")
      ),

    markFile: (id, at) =>
      sql<{ id: string }>`INSERT INTO files_taken (id, at) VALUES (${id}, ${at}) ON CONFLICT DO NOTHING RETURNING id`.pipe(
        Effect.map((rows) => rows.length > 0),
        wrap("markFile")
      )
  }
  return service
})

/** The Store over an SqlClient already in context (its migrations applied). */
export const layerSql: Layer.Layer<Store, never, SqlClient.SqlClient> = Layer.effect(Store, makeSql)

/** The embedded Store: one SQLite file in WAL mode, migrated on open. Also provides the SqlClient. */
export const layerSqlite = (filename: string): Layer.Layer<Store | SqlClient.SqlClient, StoreError> => {
  const client = SqliteClient.layer({ filename })
  const pragmas = Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.unsafe("PRAGMA busy_timeout = 10000")
      yield* sql.unsafe("PRAGMA synchronous = NORMAL")
    })
  )
  const migrated = SqliteMigrator.layer({ loader: Migrator.fromRecord(migrations), table: "tradelane_migrations" }).pipe(Layer.provide(NodeContext.layer))
  return layerSql.pipe(
    Layer.provideMerge(Layer.mergeAll(pragmas, migrated).pipe(Layer.provideMerge(client))),
    Layer.mapError((cause) => new StoreError({ operation: "open", cause }))
  )
}
