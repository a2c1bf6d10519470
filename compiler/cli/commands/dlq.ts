// `tradelane dlq list|show|replay [--flow f] [--id i]`: dead letters, and replay with the current compiled
// spec (a replayed run starts again from its first step with its original input; steps already
// delivered are not delivered again).
import { resolve } from "node:path"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { databaseFile } from "../../../runtime/host.ts"
import { layer as layerSqlite } from "../../../runtime/store/embedded.ts"
import { Store } from "../../../runtime/store/Store.ts"
import { reason, setExit, write, writeErr } from "../io.ts"
import { dataDirOption } from "./trace.ts"

const flowOption = Options.text("flow").pipe(Options.withDescription("Only this flow's dead letters."), Options.optional)
const idOption = Options.text("id").pipe(Options.withDescription("Only this dead letter (or run id)."), Options.optional)

const withStore = <A>(dataDir: string, e: Effect.Effect<A, unknown, Store>) =>
  e.pipe(
    Effect.provide(layerSqlite(databaseFile(resolve(dataDir)))),
    Effect.catchAll((err) => writeErr(`tradelane: ${reason(err)}\n`).pipe(Effect.zipRight(setExit(2))))
  )

const filter = (flow: Option.Option<string>, id: Option.Option<string>) => ({
  ...(Option.isSome(flow) ? { flow: flow.value } : {}),
  ...(Option.isSome(id) ? { id: id.value } : {})
})

const list = Command.make("list", { flow: flowOption, id: idOption, dataDir: dataDirOption }, ({ flow, id, dataDir }) =>
  withStore(
    dataDir,
    Effect.gen(function* () {
      const store = yield* Store
      const rows = yield* store.listDeadLetters({ ...filter(flow, id), status: "open" })
      if (rows.length === 0) return yield* write("no open dead letters\n")
      for (const d of rows) yield* write(`${d.id}  ${new Date(d.createdAt).toISOString()}  ${d.flow}/${d.step}  ${d.errorClass}  attempts ${d.attempts}  ${d.reason.slice(0, 120)}\n`)
    })
  )
).pipe(Command.withDescription("List open dead letters."))

const show = Command.make("show", { flow: flowOption, id: idOption, dataDir: dataDirOption }, ({ flow, id, dataDir }) =>
  withStore(
    dataDir,
    Effect.gen(function* () {
      const store = yield* Store
      const rows = yield* store.listDeadLetters(filter(flow, id))
      for (const d of rows) yield* write(`${JSON.stringify(d, null, 2)}\n`)
      if (rows.length === 0) {
        yield* write("no dead letter matches\n")
        yield* setExit(1)
      }
    })
  )
).pipe(Command.withDescription("Show dead letters in full: reason, spec file and path, input, attempts."))

const replay = Command.make("replay", { flow: flowOption, id: idOption, dataDir: dataDirOption }, ({ flow, id, dataDir }) =>
  withStore(
    dataDir,
    Effect.gen(function* () {
      const store = yield* Store
      const rows = yield* store.listDeadLetters({ ...filter(flow, id), status: "open" })
      let n = 0
      for (const d of rows) if (yield* store.replayDeadLetter(d.id, Date.now())) n++
      yield* write(`${n} dead letter${n === 1 ? "" : "s"} queued for replay; the runtime runs them with the current compiled spec\n`)
    })
  )
).pipe(Command.withDescription("Queue dead letters to run again with the current compiled spec."))

export const dlqCommand = Command.make("dlq").pipe(Command.withDescription("Dead letters: list, show, replay."), Command.withSubcommands([list, show, replay]))
