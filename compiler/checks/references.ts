// Reference and structure checks across documents: names unique per kind, references resolve (with
// "did you mean"), partners cover the documents they declare, flows reference what exists.
import { suggestion } from "../diagnostics/didyoumean.ts"
import type { CheckedDocument } from "../model/build.ts"
import { SELF, systems } from "../model/model.ts"
import type { FlowNode, PartnerNode } from "../model/model.ts"
import type { CheckContext } from "./context.ts"

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }

/** `30s` -> 30000; the schema has already checked the shape. */
export const durationMs = (d: string): number => {
  const m = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(d)
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

export const checkDuplicates = (ctx: CheckContext, documents: ReadonlyArray<CheckedDocument>): void => {
  const first = new Map<string, CheckedDocument>()
  for (const d of documents) {
    const v = d.doc.value
    if (!d.kind || !isRecord(v) || !isRecord(v["metadata"]) || typeof v["metadata"]["name"] !== "string") continue
    const version = d.kind === "CanonicalEntity" && isRecord(v["spec"]) ? `@${String(v["spec"]["version"])}` : ""
    const key = `${d.kind}/${v["metadata"]["name"]}${version}`
    const prior = first.get(key)
    if (prior === undefined) first.set(key, d)
    else {
      const at = prior.doc.locate(["metadata", "name"])
      ctx.report("TL3001", `duplicate ${d.kind} '${v["metadata"]["name"]}${version}': first declared at ${prior.doc.file}:${at.line}:${at.column}`, d.doc, ["metadata", "name"])
    }
  }
}

const checkPartner = (ctx: CheckContext, p: PartnerNode): void => {
  const edi = p.spec.edi
  if (edi) {
    edi.documents.forEach((d, i) => {
      if (d.guide === undefined) {
        ctx.report("TL5006", `EDI document ${d.type} (${d.direction}) of partner '${p.name}' has no guide`, p.doc, ["spec", "edi", "documents", i], { hint: "Add guide: <name of a Guide for this transaction set>." })
      } else if (ctx.reference("Guide", d.guide, p.doc, ["spec", "edi", "documents", i, "guide"])) {
        const g = ctx.model.guides.get(d.guide)
        const ts = g ? (g.spec as { transactionSet?: string }).transactionSet : undefined
        if (ts !== undefined && ts !== d.type) ctx.report("TL5005", `guide '${d.guide}' describes ${ts}, not ${d.type}`, p.doc, ["spec", "edi", "documents", i, "guide"])
      }
      if (d.mapping !== undefined) ctx.reference("Mapping", d.mapping, p.doc, ["spec", "edi", "documents", i, "mapping"])
    })
  }
  for (const [name, op] of Object.entries(p.spec.http?.operations ?? {})) {
    if (op === undefined) continue
    for (const field of ["request", "response"] as const) {
      const s = op[field]
      if (s !== undefined && !p.schemas.has(s) && !(p.spec.schemas && s in p.spec.schemas)) {
        ctx.report("TL3008", `partner '${p.name}' has no payload schema '${s}'.${suggestion(s, Object.keys(p.spec.schemas ?? {}))}`.replace(/\.\s*$/, ""), p.doc, ["spec", "http", "operations", name, field])
      }
    }
  }
  for (const [topic, s] of Object.entries(p.spec.webhook?.topics ?? {})) {
    if (s === undefined) continue
    if (!(p.spec.schemas && s in p.spec.schemas)) {
      ctx.report("TL3008", `partner '${p.name}' has no payload schema '${s}'.${suggestion(s, Object.keys(p.spec.schemas ?? {}))}`.replace(/\.\s*$/, ""), p.doc, ["spec", "webhook", "topics", topic])
    }
  }
  ;(p.spec.mappings ?? []).forEach((m, i) => ctx.reference("Mapping", m, p.doc, ["spec", "mappings", i]))
}

/** Resolves `<partner>/<Schema>` and reports what is missing. */
export const checkSchemaRef = (ctx: CheckContext, ref: string, doc: CheckedDocument["doc"], path: ReadonlyArray<string | number>): boolean => {
  const [partner, schema] = ref.split("/") as [string, string]
  if (!ctx.reference("Partner", partner, doc, path)) return false
  const p = ctx.model.partners.get(partner)
  if (!p) return false
  if (p.spec.schemas && schema in p.spec.schemas) return true
  ctx.report("TL3008", `partner '${partner}' has no payload schema '${schema}'.${suggestion(schema, Object.keys(p.spec.schemas ?? {}))}`.replace(/\.\s*$/, ""), doc, path)
  return false
}

const checkOperation = (ctx: CheckContext, partner: string, operation: string, doc: FlowNode["doc"], path: ReadonlyArray<string | number>): void => {
  const p = ctx.model.partners.get(partner)
  if (!p) return
  const ops = Object.keys(p.spec.http?.operations ?? {})
  if (!ops.includes(operation)) {
    ctx.report("TL3009", `partner '${partner}' declares no operation '${operation}'.${suggestion(operation, ops)}`.replace(/\.\s*$/, ""), doc, path, {
      hint: ops.length ? `Operations of ${partner}: ${ops.join(", ")}.` : `Partner '${partner}' declares no HTTP operations.`
    })
  }
}

const partnerOfType = (ctx: CheckContext, name: string, need: (p: PartnerNode) => boolean, what: string, doc: FlowNode["doc"], path: ReadonlyArray<string | number>): void => {
  if (!ctx.reference("Partner", name, doc, path)) return
  const p = ctx.model.partners.get(name)
  if (p && !need(p)) ctx.report("TL5008", `partner '${name}' (${p.spec.type}) ${what}`, doc, path)
}

const checkEventRef = (ctx: CheckContext, type: string, doc: FlowNode["doc"], path: ReadonlyArray<string | number>): boolean => {
  if (ctx.model.events.has(type)) return true
  ctx.report("TL3006", `unknown event type '${type}'.${suggestion(type, ctx.model.events.keys())}`.replace(/\.\s*$/, ""), doc, path)
  return false
}

const hasEdiDocument = (p: PartnerNode, type: string, direction: "inbound" | "outbound"): boolean =>
  (p.spec.edi?.documents ?? []).some((d) => d.type === type && d.direction === direction)

const checkFlow = (ctx: CheckContext, f: FlowNode): void => {
  const t = f.spec.trigger
  const doc = f.doc
  if (t.webhook) {
    partnerOfType(ctx, t.webhook.partner, (p) => p.spec.webhook !== undefined, "has no webhook (spec.webhook)", doc, ["spec", "trigger", "webhook", "partner"])
    const p = ctx.model.partners.get(t.webhook.partner)
    const topics = Object.keys(p?.spec.webhook?.topics ?? {})
    if (p?.spec.webhook && !topics.includes(t.webhook.topic)) {
      ctx.report("TL3012", `partner '${p.name}' declares no webhook topic '${t.webhook.topic}'.${suggestion(t.webhook.topic, topics)}`.replace(/\.\s*$/, ""), doc, ["spec", "trigger", "webhook", "topic"])
    }
  }
  if (t.edi) {
    partnerOfType(ctx, t.edi.partner, (p) => p.spec.edi !== undefined, "is not an EDI partner (spec.edi)", doc, ["spec", "trigger", "edi", "partner"])
    const p = ctx.model.partners.get(t.edi.partner)
    if (p?.spec.edi && !hasEdiDocument(p, t.edi.document, "inbound")) {
      ctx.report("TL3013", `partner '${p.name}' does not send ${t.edi.document} (no inbound document ${t.edi.document} in spec.edi.documents)`, doc, ["spec", "trigger", "edi", "document"])
    }
  }
  if (t.event) {
    if (checkEventRef(ctx, t.event.type, doc, ["spec", "trigger", "event", "type"])) {
      const producers = ctx.model.events.get(t.event.type)!.spec.producers
      if (producers.length === 0) ctx.report("TL5013", `no system produces '${t.event.type}'`, doc, ["spec", "trigger", "event", "type"])
    }
  }
  if (t.schedule?.partner !== undefined) {
    if (ctx.reference("Partner", t.schedule.partner, doc, ["spec", "trigger", "schedule", "partner"]) && t.schedule.operation !== undefined) {
      checkOperation(ctx, t.schedule.partner, t.schedule.operation, doc, ["spec", "trigger", "schedule", "operation"])
    }
  }
  const ids = new Set<string>()
  const trigger = t.webhook?.partner ?? t.edi?.partner ?? t.schedule?.partner
  const speakers = new Set<string>([SELF, ...(trigger !== undefined ? [trigger] : [])])
  f.spec.steps.forEach((s, i) => {
    const at = ["spec", "steps", i] as const
    if (ids.has(s.id)) ctx.report("TL5007", `duplicate step id '${s.id}' in flow '${f.name}'`, doc, [...at, "id"])
    ids.add(s.id)
    if (s.map) ctx.reference("Mapping", s.map.mapping, doc, [...at, "map", "mapping"])
    if (s.validate) ctx.reference("CanonicalEntity", s.validate.entity, doc, [...at, "validate", "entity"])
    if (s.enrich && ctx.reference("Partner", s.enrich.partner, doc, [...at, "enrich", "partner"])) checkOperation(ctx, s.enrich.partner, s.enrich.operation, doc, [...at, "enrich", "operation"])
    if (s.route) partnerOfType(ctx, s.route.partner, (p) => p.spec.type === "warehouse" && (p.spec.warehouses?.length ?? 0) > 0, "is not a warehouse partner with warehouses", doc, [...at, "route", "partner"])
    if (s.call) {
      partnerOfType(ctx, s.call.partner, (p) => p.spec.http !== undefined, "has no HTTP API (spec.http)", doc, [...at, "call", "partner"])
      if (ctx.model.partners.get(s.call.partner)?.spec.http) checkOperation(ctx, s.call.partner, s.call.operation, doc, [...at, "call", "operation"])
      if (s.call.mapping !== undefined) ctx.reference("Mapping", s.call.mapping, doc, [...at, "call", "mapping"])
    }
    if (s.send) {
      partnerOfType(ctx, s.send.partner, (p) => p.spec.edi !== undefined, "is not an EDI partner (spec.edi)", doc, [...at, "send", "partner"])
      const p = ctx.model.partners.get(s.send.partner)
      if (p?.spec.edi && !hasEdiDocument(p, s.send.document, "outbound")) {
        ctx.report("TL3013", `partner '${p.name}' does not receive ${s.send.document} (no outbound document ${s.send.document} in spec.edi.documents)`, doc, [...at, "send", "document"])
      }
      if (s.send.mapping !== undefined) ctx.reference("Mapping", s.send.mapping, doc, [...at, "send", "mapping"])
    }
    if (s.acknowledge) partnerOfType(ctx, s.acknowledge.partner, (p) => p.spec.edi !== undefined, "is not an EDI partner (spec.edi)", doc, [...at, "acknowledge", "partner"])
    if (s.call) speakers.add(s.call.partner)
    if (s.enrich) speakers.add(s.enrich.partner)
    if (s.emit && checkEventRef(ctx, s.emit.event, doc, [...at, "emit", "event"])) {
      // A flow publishes an event on its own account, or on behalf of the system whose word it carries:
      // the partner that triggered it, or one it called before this step.
      const e = ctx.model.events.get(s.emit.event)!
      if (!e.spec.producers.some((p) => speakers.has(p))) {
        ctx.report("TL5003", `flow '${f.name}' emits '${s.emit.event}', whose producers are ${e.spec.producers.map((p) => `'${p}'`).join(", ")}; the flow speaks only for ${[...speakers].map((p) => `'${p}'`).join(", ")}`, doc, [...at, "emit", "event"], {
          hint: "Add the producer to the event in its taxonomy, or emit from a flow triggered by (or calling) that system."
        })
      }
    }
  })
  ;(f.spec.requires ?? []).forEach((r, i) => checkEventRef(ctx, r, doc, ["spec", "requires", i]))
}

export const checkReferences = (ctx: CheckContext): void => {
  const m = ctx.model
  for (const p of m.partners.values()) checkPartner(ctx, p)
  for (const map of m.mappings.values()) {
    for (const end of ["source", "target"] as const) {
      const e = map.spec[end] as { entity?: string; schema?: string; guide?: string }
      if (e.entity !== undefined) ctx.reference("CanonicalEntity", e.entity, map.doc, ["spec", end, "entity"])
      if (e.schema !== undefined) checkSchemaRef(ctx, e.schema, map.doc, ["spec", end, "schema"])
      if (e.guide !== undefined) ctx.reference("Guide", e.guide, map.doc, ["spec", end, "guide"])
    }
  }
  const seenEvents = new Map<string, string>()
  const inFileOrder = [...m.taxonomies.values()].sort((a, b) => (a.doc.file < b.doc.file ? -1 : a.doc.file > b.doc.file ? 1 : a.doc.index - b.doc.index))
  for (const t of inFileOrder) {
    t.spec.events.forEach((ev, i) => {
      const key = `${ev.type}.v${ev.version}`
      const prior = seenEvents.get(ev.type)
      if (prior !== undefined) ctx.report("TL5010", `event type '${ev.type}' is declared twice (also in taxonomy '${prior}')`, t.doc, ["spec", "events", i, "type"])
      else seenEvents.set(ev.type, t.name)
      void key
      if (ctx.reference("CanonicalEntity", ev.payload, t.doc, ["spec", "events", i, "payload"])) {
        const entity = m.entities.get(ev.payload)
        const props = entity ? Object.keys((entity.spec.schema.properties ?? {}) as object) : []
        if (entity && !props.includes(ev.key)) {
          ctx.report("TL5011", `event '${ev.type}' is keyed by '${ev.key}', which ${ev.payload} does not have.${suggestion(ev.key, props)}`.replace(/\.\s*$/, ""), t.doc, ["spec", "events", i, "key"])
        }
      }
      const known = systems(m)
      ev.producers.forEach((p, j) => {
        if (!known.has(p)) ctx.report("TL3011", `unknown system '${p}'.${suggestion(p, known)}`.replace(/\.\s*$/, ""), t.doc, ["spec", "events", i, "producers", j])
      })
    })
  }
  for (const f of m.flows.values()) checkFlow(ctx, f)
  for (const s of m.slos.values()) {
    ctx.reference("Flow", s.spec.flow, s.doc, ["spec", "flow"])
    if (s.spec.latency && durationMs(s.spec.latency.threshold) >= durationMs(s.spec.window)) {
      ctx.report("TL5012", `latency threshold ${s.spec.latency.threshold} is not shorter than the SLO window ${s.spec.window}`, s.doc, ["spec", "latency", "threshold"])
    }
  }
  for (const r of m.reconciliations.values()) {
    for (const side of ["left", "right"] as const) {
      const s = r.spec[side]
      if (s.partner !== undefined && ctx.reference("Partner", s.partner, r.doc, ["spec", side, "partner"]) && s.operation !== undefined) {
        checkOperation(ctx, s.partner, s.operation, r.doc, ["spec", side, "operation"])
      }
    }
    if (r.spec.onDivergence.flow !== undefined) ctx.reference("Flow", r.spec.onDivergence.flow, r.doc, ["spec", "onDivergence", "flow"])
  }
}
