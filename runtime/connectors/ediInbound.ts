// Inbound EDI: polls each EDI partner's inbox (directory transport), acknowledges every functional group
// (997/999, control numbers from the partner's sequences), turns each good transaction set into a run of
// the flow for its document, dead-letters sets with errors (with their findings), archives the file, and
// quarantines files that are not X12 with the reason.
import { readFileSync } from "node:fs"
import { Duration, Effect } from "effect"
import { acknowledge, ControlNumbers, formatFinding, isAcknowledgmentOnly, isError, parse, validateParsed } from "../edi/index.ts"
import type { Guide } from "../edi/index.ts"
import { Engine } from "../engine/engine.ts"
import type { AnyFlow, EdiPartner } from "../engine/flow.ts"
import { Store } from "../store/Store.ts"
import { EdiFiles, identityOf } from "./edi.ts"

export interface EdiInboundConfig {
  /** Milliseconds between inbox scans. */
  readonly pollInterval?: number
}

/** The outbox record of the n-th acknowledgment a file gets (its id is stable across retries of the file). */
const ackId = (edi: EdiPartner, fileId: string, n: number) => `ack/${edi.partner}/${fileId}/${n}`

/**
 * One inbound file, in one Store transaction: the file is marked taken, each acknowledgment is rendered
 * (control numbers drawn) and kept as an outbox record, and every set becomes a run or a dead letter.
 * Only after that commits are the acknowledgments written and the file archived, so a crash at any
 * point loses nothing: a file found taken on the next scan gets its pending acknowledgments written and
 * is archived; one not yet taken is processed again from the start.
 */
const processFile = (edi: EdiPartner, flows: ReadonlyArray<AnyFlow>, file: { id: string; name: string; path: string }) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const store = yield* Store
    const files = yield* EdiFiles
    const numbers = yield* ControlNumbers
    const text = readFileSync(file.path)
    const result = parse(text)
    if (result.interchanges.length === 0) {
      const why = result.findings.slice(0, 5).map((f) => formatFinding(f)).join("; ") || "no interchange found"
      return yield* files.quarantine(edi, file.path, file.name, `not an X12 interchange: ${why}`)
    }
    const guides = Object.entries(edi.guides).map(([doc, g]) => ({ guide: g as Guide, name: `${edi.partner}-${doc}`, partner: edi.partner }))
    const report = validateParsed(result, guides)
    const needsAck = result.interchanges.filter((ic) => (edi.acknowledgment?.send ?? "997") !== "none" && !isAcknowledgmentOnly(ic))
    const ackType = edi.acknowledgment?.send === "999" ? "999" : "997"
    yield* store.transaction(
      Effect.gen(function* () {
        if (!(yield* store.markFile(`${edi.partner}/${file.id}`, Date.now()))) return // taken before a crash: its work is committed
        const acks: string[] = []
        for (const [n, ic] of needsAck.entries()) {
          const groups = Math.max(1, ic.groups.length)
          const isa = yield* numbers.next(edi.partner, "isa")
          const gs = yield* numbers.next(edi.partner, "gs")
          const st = yield* numbers.next(edi.partner, "st")
          for (let i = 1; i < groups; i++) yield* Effect.zipRight(numbers.next(edi.partner, "gs"), numbers.next(edi.partner, "st"))
          const ack = acknowledge(ic, report.findings, {
            controls: { interchange: isa, group: gs, set: st },
            date: new Date(),
            identity: identityOf(edi),
            ackType: () => ackType
          })
          if (ack.text === "") continue
          const name = `${edi.partner}-${ackType}-${file.id.slice(0, 12)}-${ic.header.control}.x12`
          yield* store.putOutbox({ id: ackId(edi, file.id, n), runId: "", flow: `edi:${edi.partner}`, step: "acknowledge", kind: "ack", partner: edi.partner, operation: ackType, idempotencyKey: name, request: { file: name, text: ack.text } })
          acks.push(name)
        }
        for (const s of report.sets) {
          const flow = flows.find((f) => f.trigger._tag === "edi" && f.trigger.document === s.set.id)
          const source = { file: file.name, interchange: s.set.interchangeControl, set: s.set.control, document: s.set.id, ...(acks[0] ? { ack: acks[0] } : {}) }
          const errors = s.findings.filter(isError)
          if (!flow) {
            if (s.set.id === "997" || s.set.id === "999") continue
            yield* engine.reject(`edi:${edi.partner}`, { x12: source }, "edi-syntax", `no flow takes ${s.set.id} from ${edi.partner}`, { file: file.name, path: "" })
          } else if (errors.length > 0 || s.json === undefined) {
            const why = errors.length > 0 ? errors.slice(0, 8).map((f) => formatFinding(f)).join("; ") : "no guide fits this set"
            yield* engine.reject(flow.name, { x12: source, json: s.json ?? null }, "edi-syntax", `${s.set.id} set ${s.set.control} rejected: ${why}`, flow.spec)
          } else {
            yield* engine.submit(flow.name, s.json, { source })
          }
        }
      })
    )
    // Committed: write the acknowledgments still pending (all of them, or what a crash left), then archive.
    for (let n = 0; n < needsAck.length; n++) {
      const rec = yield* store.getOutbox(ackId(edi, file.id, n))
      if (rec === undefined || rec.status === "done") continue
      const { file: name, text: body } = rec.request as { file: string; text: string }
      yield* files.writeOutbound(edi, name, body)
      yield* store.completeOutbox(rec.id, { file: name }, 1)
    }
    yield* files.archive(edi, file.path, file.name)
  })

/** Polls every EDI-triggered flow's partner inbox until the scope closes. */
export const poll = (config: EdiInboundConfig = {}) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const files = yield* EdiFiles
    const byPartner = new Map<string, { edi: EdiPartner; flows: AnyFlow[] }>()
    for (const f of engine.flows.values()) {
      if (f.trigger._tag !== "edi") continue
      const entry = byPartner.get(f.trigger.partner) ?? { edi: f.trigger.edi, flows: [] }
      entry.flows.push(f)
      byPartner.set(f.trigger.partner, entry)
    }
    const scan = Effect.forEach(
      [...byPartner.values()],
      ({ edi, flows }) =>
        files.takeInbound(edi).pipe(
          Effect.flatMap((taken) =>
            Effect.forEach(taken, (file) =>
              processFile(edi, flows, file).pipe(
                Effect.catchAllCause((cause) =>
                  Effect.logWarning("EDI file left for the next scan", { partner: edi.partner, file: file.name, cause: String(cause) })
                )
              )
            )
          )
        ),
      { discard: true }
    )
    yield* scan.pipe(Effect.zipRight(Effect.sleep(Duration.millis(config.pollInterval ?? 250))), Effect.forever, Effect.forkScoped)
  })
