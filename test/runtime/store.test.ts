// The Store contract, run against both implementations: the embedded one (better-sqlite3, group commit)
// and the one over @effect/sql (the seam a PostgreSQL store shares). Same operations, same answers;
// a failed transaction leaves nothing behind; a database made by one opens with the other.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Deferred, Effect, Fiber, type Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { layer as embedded } from "../../runtime/store/embedded.ts"
import { layerSqlite as viaEffectSql } from "../../runtime/store/sqlite.ts"
import { Store, type StoreError } from "../../runtime/store/Store.ts"

const dir = mkdtempSync(join(tmpdir(), "tradelane-store-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TP = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"

/** A scripted session against a Store; returns everything it observed. */
const session = Effect.gen(function* () {
  const store = yield* Store
  const seen: Record<string, unknown> = {}
  const newRun = (id: string, key: string, at: number) => ({ id, flow: "f", idempotencyKey: key, input: { n: id, nested: { list: [1, 2] } }, correlationId: `c-${id}`, traceparent: TP, keys: { orderId: `O-${key}` }, meta: { source: { webhook: "shop" } }, at })
  seen["admit"] = yield* store.admit(newRun("r1", "k1", 1000))
  seen["again"] = yield* store.admit(newRun("r2", "k1", 1001))
  yield* store.updateRun("r1", { cursor: 2, payload: { changed: true }, attempts: 1 }, 1002)
  const r1 = yield* store.getRun("r1")
  seen["run"] = r1
  seen["missing"] = yield* store.getRun("nope")
  seen["due"] = yield* store.dueRuns(5000, 10)
  yield* store.updateRun("r1", { status: "held", waitFor: "waiting for x", nextAt: 9999 }, 1003)
  seen["dueHeld"] = yield* store.dueRuns(5000, 10)
  seen["woken"] = yield* store.wakeHeld(["O-k1"], 1004)
  seen["afterWake"] = (yield* store.getRun("r1"))?.status
  const ob = { id: "r1/call", runId: "r1", flow: "f", step: "call", kind: "call" as const, partner: "erp", operation: "create", idempotencyKey: "f:k1:call", request: { a: 1 } }
  seen["outbox1"] = yield* store.putOutbox(ob)
  seen["outbox2"] = yield* store.putOutbox({ ...ob, request: { a: 2 } })
  yield* store.completeOutbox("r1/call", { number: "SO-1" }, 2)
  seen["outboxDone"] = yield* store.getOutbox("r1/call")
  seen["outboxMissing"] = yield* store.getOutbox("none")
  yield* store.recordDelivered({ ...ob, id: "r1/call2", step: "call2", request: { b: 1 } }, { number: "SO-2" }, 1)
  seen["delivered"] = yield* store.getOutbox("r1/call2")
  yield* store.recordDelivered({ ...ob, id: "r1/call2", step: "call2", request: { b: 1 } }, { number: "SO-2b" }, 3)
  seen["deliveredAgain"] = yield* store.getOutbox("r1/call2")
  seen["countOutbox"] = yield* store.countOutbox()
  yield* store.putDeadLetter({ id: "r1", runId: "r1", flow: "f", step: "call", errorClass: "validation", reason: "bad", specFile: "specs/flows/f.yaml", specPath: "/spec/steps/0", input: { n: 1 }, attempts: 3, createdAt: 1005 })
  seen["dead"] = yield* store.listDeadLetters({ status: "open" })
  seen["replayed"] = yield* store.replayDeadLetter("r1", 1006)
  seen["replayedAgain"] = yield* store.replayDeadLetter("r1", 1007)
  seen["afterReplay"] = yield* store.getRun("r1")
  yield* store.recordEvent("order.received", ["O-k1"])
  seen["eventSeen"] = [yield* store.eventSeen("order.received", ["O-k1", "x"]), yield* store.eventSeen("order.received", ["x"]), yield* store.eventSeen("order.shipped", ["O-k1"])]
  seen["lifecycle"] = [yield* store.getLifecycle("order", "O-k1")]
  yield* store.setLifecycle("order", "O-k1", "received", 1008)
  yield* store.setLifecycle("order", "O-k1", "accepted", 1009)
  seen["lifecycle2"] = [yield* store.getLifecycle("order", "O-k1"), yield* store.lifecycleCounts("order")]
  yield* store.setInventory([{ sku: "A", warehouse: "W1", available: 5 }, { sku: "A", warehouse: "W2", available: 1 }], 1010)
  yield* store.reserveInventory("W1", [{ sku: "A", quantity: 2 }])
  seen["inventory"] = [...(yield* store.getInventory(["A", "B"]))].sort((x, y) => (x.warehouse < y.warehouse ? -1 : 1))
  yield* store.trace([{ runId: "r1", flow: "f", step: "trigger", action: "received", outcome: "admitted", system: "shop", correlationId: "c-r1", at: 1011 }])
  yield* store.trace([{ runId: "r1", flow: "f", step: "call", action: "call", outcome: "delivered", system: "erp", detail: "201", correlationId: "c-r1", at: 1012 }])
  seen["trace"] = [yield* store.traceOf("O-k1"), (yield* store.traceOf("c-r1")).length, (yield* store.traceOf("r1")).length, (yield* store.traceOf("none")).length]
  seen["markFile"] = [yield* store.markFile("p/f1", 1), yield* store.markFile("p/f1", 2)]
  yield* store.putException({ kind: "lifecycle-refused", flow: "f", runId: "r1", key: "O-k1", detail: "no", at: 1013 })
  seen["exceptions"] = yield* store.listExceptions()
  // A failing transaction leaves nothing behind; a failing nested one only undoes itself.
  const failed = yield* store.transaction(Effect.zipRight(store.admit(newRun("r3", "k3", 1014)), Effect.fail("boom" as const))).pipe(Effect.either)
  seen["failed"] = failed._tag
  seen["rolledBack"] = yield* store.getRun("r3")
  yield* store.transaction(
    Effect.gen(function* () {
      yield* store.admit(newRun("r4", "k4", 1015))
      yield* store.transaction(Effect.zipRight(store.admit(newRun("r5", "k5", 1016)), Effect.fail("inner" as const))).pipe(Effect.ignore)
    })
  )
  seen["outerKept"] = (yield* store.getRun("r4"))?.id
  seen["innerUndone"] = yield* store.getRun("r5")
  // Trace lines go with their transaction: a failed one leaves none, a failed nested one only drops its own.
  const line = (step: string) => ({ runId: "r1", flow: "f", step, action: "x", outcome: "y", system: "s", correlationId: "c-r1", at: 1020 })
  yield* store.transaction(Effect.zipRight(store.trace([line("dropped-outer")]), Effect.fail("boom" as const))).pipe(Effect.ignore)
  yield* store.transaction(
    Effect.gen(function* () {
      yield* store.trace([line("kept")])
      yield* store.transaction(Effect.zipRight(store.trace([line("dropped-inner")]), Effect.fail("inner" as const))).pipe(Effect.ignore)
    })
  )
  seen["traceRollback"] = (yield* store.traceOf("r1")).map((l) => l.step).filter((st) => st.startsWith("dropped") || st === "kept")
  // Concurrent transactions (the embedded store commits them together) all land.
  yield* Effect.forEach(Array.from({ length: 50 }, (_, i) => i), (i) => store.transaction(store.admit(newRun(`c${i}`, `kc${i}`, 2000 + i))), { concurrency: 50, discard: true })
  seen["counts"] = yield* store.countRuns()
  return seen
})

const runWith = (layer: Layer.Layer<Store, StoreError>) => Effect.runPromise(Effect.scoped(Effect.provide(session, layer)))

describe("Store contract", () => {
  it("the embedded store and the @effect/sql store give the same answers", async () => {
    const a = await runWith(embedded(join(dir, "embedded.db")))
    const b = await runWith(viaEffectSql(join(dir, "effect-sql.db")))
    expect(a).toEqual(b)
    // And the answers are the right ones.
    expect([a["admit"], a["again"]]).toEqual(["admitted", "duplicate"])
    expect(a["run"]).toMatchObject({ id: "r1", cursor: 2, payload: { changed: true }, input: { n: "r1", nested: { list: [1, 2] } }, attempts: 1, keys: { orderId: "O-k1" } })
    expect(a["missing"]).toBeUndefined()
    expect([a["due"], a["dueHeld"], a["woken"], a["afterWake"]]).toEqual([["r1"], [], 1, "pending"])
    expect((a["outbox2"] as { request: unknown }).request).toEqual({ a: 1 })
    expect(a["outboxDone"]).toMatchObject({ status: "done", attempts: 2, response: { number: "SO-1" } })
    expect(a["delivered"]).toMatchObject({ status: "done", attempts: 1, request: { b: 1 }, response: { number: "SO-2" }, kind: "call", idempotencyKey: "f:k1:call" })
    expect(a["deliveredAgain"]).toMatchObject({ status: "done", attempts: 3, response: { number: "SO-2b" } })
    expect([a["replayed"], a["replayedAgain"]]).toEqual([true, false])
    expect(a["afterReplay"]).toMatchObject({ status: "pending", cursor: 0, attempts: 0, payload: { n: "r1", nested: { list: [1, 2] } } })
    expect(a["eventSeen"]).toEqual([true, false, false])
    expect(a["lifecycle"]).toEqual([undefined])
    expect(a["lifecycle2"]).toEqual(["accepted", [{ state: "accepted", count: 1 }]])
    expect(a["inventory"]).toEqual([{ sku: "A", warehouse: "W1", available: 3 }, { sku: "A", warehouse: "W2", available: 1 }])
    expect((a["trace"] as unknown[])[1]).toBe(2)
    expect(a["markFile"]).toEqual([true, false])
    expect([a["failed"], a["rolledBack"], a["outerKept"], a["innerUndone"]]).toEqual(["Left", undefined, "r4", undefined])
    expect(a["traceRollback"]).toEqual(["kept"])
    expect(a["counts"]).toEqual([{ flow: "f", status: "pending", count: 52 }])
  }, 60_000)

  it("a database made by one implementation opens with the other (one schema, one migration table)", async () => {
    const file = join(dir, "shared.db")
    await Effect.runPromise(Effect.scoped(Effect.provide(Effect.flatMap(Store, (s) => s.admit({ id: "x", flow: "f", idempotencyKey: "k", input: 1, correlationId: "c", traceparent: TP, keys: {}, meta: {}, at: 1 })), embedded(file))))
    const viaSql = await Effect.runPromise(Effect.scoped(Effect.provide(Effect.flatMap(Store, (s) => s.getRun("x")), viaEffectSql(file))))
    expect(viaSql?.input).toBe(1)
    const back = await Effect.runPromise(Effect.scoped(Effect.provide(Effect.flatMap(Store, (s) => s.countRuns()), embedded(file))))
    expect(back).toEqual([{ flow: "f", status: "pending", count: 1 }])
  }, 60_000)

  it("embedded: other fibers wait for a transaction that holds the connection; an interrupted waiter does not keep it", async () => {
    const seen = await Effect.runPromise(
      Effect.scoped(
        Effect.provide(
          Effect.gen(function* () {
            const store = yield* Store
            const newRun = (id: string) => ({ id, flow: "w", idempotencyKey: id, input: {}, correlationId: "c", traceparent: TP, keys: {}, meta: {}, at: 1 })
            const inside = yield* Deferred.make<void>()
            const finish = yield* Deferred.make<void>()
            // A holds the connection across an async wait inside its transaction.
            const a = yield* Effect.fork(store.transaction(Effect.gen(function* () {
              yield* store.admit(newRun("a1"))
              yield* Deferred.succeed(inside, undefined)
              yield* Deferred.await(finish)
              yield* store.admit(newRun("a2"))
            })))
            yield* Deferred.await(inside)
            // B's read waits (it must not see A's uncommitted run while A is inside); C's transaction waits too.
            const b = yield* Effect.fork(store.getRun("a1"))
            const c = yield* Effect.fork(store.transaction(store.admit(newRun("c1"))))
            const d = yield* Effect.fork(store.getRun("a1"))
            yield* Effect.sleep("50 millis")
            const waiting = [(yield* Fiber.poll(b))._tag, (yield* Fiber.poll(c))._tag]
            // An interrupted waiter leaves the queue; the others still get the connection in turn.
            yield* Fiber.interrupt(d)
            yield* Deferred.succeed(finish, undefined)
            yield* Fiber.join(a)
            const bSaw = (yield* Fiber.join(b))?.id
            yield* Fiber.join(c)
            const after = yield* store.countRuns()
            // Nothing is left holding the connection: a fresh transaction goes straight through.
            yield* store.transaction(store.admit(newRun("e1")))
            return { waiting, bSaw, after, e1: (yield* store.getRun("e1"))?.id }
          }),
          embedded(join(dir, "contention.db"))
        )
      ).pipe(Effect.timeout("10 seconds"))
    )
    expect(seen.waiting).toEqual(["None", "None"])
    expect(seen.bSaw).toBe("a1")
    expect(seen.after).toEqual([{ flow: "w", status: "pending", count: 3 }])
    expect(seen.e1).toBe("e1")
  }, 30_000)
})
