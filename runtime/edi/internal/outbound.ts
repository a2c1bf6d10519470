// Outbound documents with control numbers: structured JSON (a mapping's output) + guide → an enveloped
// interchange whose ISA13, GS06 and ST02 come from the partner's ControlNumbers sequences.
import { Effect } from "effect"
import { ControlNumbers, type ControlNumberError } from "./controlNumbers.ts"
import type { Guide } from "./guide.ts"
import { envelope, fromJson, resolveDelimiters, type EdiIdentity } from "./serialize.ts"
import type { JsonObject } from "./structure.ts"

export interface OutboundDocument {
  readonly guide: Guide
  readonly json: JsonObject
}

/** Serializes documents for one partner into one interchange (one group per functional id). */
export const outbound = Effect.fn("Edi.outbound")(function* (
  partner: string,
  identity: EdiIdentity,
  documents: readonly OutboundDocument[],
  date: Date
): Effect.fn.Return<{ readonly text: string; readonly interchangeControl: number; readonly groups: ReadonlyArray<{ functionalId: string; control: number; sets: Array<{ id: string; control: number }> }> }, ControlNumberError, ControlNumbers> {
  const numbers = yield* ControlNumbers
  const d = resolveDelimiters(identity)
  const isa = yield* numbers.next(partner, "isa")
  const byGroup = new Map<string, OutboundDocument[]>()
  for (const doc of documents) {
    const key = `${doc.guide.functionalGroup}|${doc.guide.version}`
    byGroup.set(key, [...(byGroup.get(key) ?? []), doc])
  }
  const groups = []
  for (const docs of byGroup.values()) {
    const gs = yield* numbers.next(partner, "gs")
    const sets = []
    for (const doc of docs) {
      const st = yield* numbers.next(partner, "st")
      sets.push({ id: doc.guide.transactionSet, control: st, body: fromJson(doc.json, doc.guide, d) })
    }
    groups.push({ functionalId: docs[0]!.guide.functionalGroup, version: docs[0]!.guide.version, control: gs, sets })
  }
  const text = envelope({ identity, control: isa, date, groups })
  return {
    text,
    interchangeControl: isa,
    groups: groups.map((g) => ({ functionalId: g.functionalId, control: g.control, sets: g.sets.map((s) => ({ id: s.id, control: s.control })) }))
  }
})
