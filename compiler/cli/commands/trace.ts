// `tradelane trace <key>`: the timeline of one order, PO, shipment or invoice across every system.
import { join, resolve } from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { layer as layerSqlite } from "../../../runtime/store/embedded.ts"
import { Store, type TraceLine } from "../../../runtime/store/Store.ts"
import { databaseFile } from "../../../runtime/host.ts"
import { reason, setExit, write, writeErr } from "../io.ts"

export const formatTrace = (lines: ReadonlyArray<TraceLine>): string => {
  if (lines.length === 0) return "no trace for this key\n"
  const t0 = lines[0]!.at
  return (
    lines
      .map((l) => {
        const when = new Date(l.at).toISOString().slice(11, 23)
        const dt = `+${((l.at - t0) / 1000).toFixed(3)}s`.padStart(9)
        return `${when} ${dt}  ${l.system.padEnd(14)} ${l.flow.padEnd(24)} ${l.step.padEnd(20)} ${l.action.padEnd(11)} ${l.outcome.padEnd(14)} ${l.detail ?? ""}`.trimEnd()
      })
      .join("\n") + "\n"
  )
}

export const dataDirOption = Options.directory("data-dir").pipe(
  Options.withDescription("The runtime's data folder (default .tradelane/)."),
  Options.withDefault(".tradelane")
)

export const traceCommand = Command.make("trace", { key: Args.text({ name: "key" }).pipe(Args.withDescription("An order id, PO number, ASN, invoice number, run id or correlation id.")), dataDir: dataDirOption }, ({ key, dataDir }) =>
  Effect.gen(function* () {
    const store = yield* Store
    const lines = yield* store.traceOf(key)
    yield* write(formatTrace(lines))
    if (lines.length === 0) yield* setExit(1)
  }).pipe(Effect.provide(layerSqlite(databaseFile(resolve(dataDir)))), Effect.catchTag("StoreError", (e) => writeErr(`tradelane: ${reason(e)}\n`).pipe(Effect.zipRight(setExit(2)))))
).pipe(Command.withDescription("Print the timeline of one order, PO, shipment or invoice across every system."))

export const defaultDataDir = (root: string) => join(root, ".tradelane")
