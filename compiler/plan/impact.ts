// The model's reference graph, and what a change reaches through it: mappings, flows, partners, events
// and SLOs. Names are followed even when they no longer resolve, so a deleted thing is found where it is
// still referenced.
import type { Model } from "../model/model.ts"
import type { Kind } from "../schemas/index.ts"

export type NodeId = `${Kind}/${string}`

export interface Reference {
  readonly from: NodeId
  readonly to: NodeId
  /** Where the reference is written (file of the referring document). */
  readonly file: string
}

export interface Impact {
  readonly mappings: ReadonlyArray<string>
  readonly flows: ReadonlyArray<string>
  readonly partners: ReadonlyArray<string>
  readonly events: ReadonlyArray<string>
  readonly slos: ReadonlyArray<string>
}

const id = (kind: Kind, name: string): NodeId => `${kind}/${name}`

/** Every reference between documents: the edges of the graph. */
export const references = (m: Model): ReadonlyArray<Reference> => {
  const out: Reference[] = []
  const ref = (from: NodeId, to: NodeId, file: string) => out.push({ from, to, file })
  for (const p of m.partners.values()) {
    const me = id("Partner", p.name)
    for (const d of p.spec.edi?.documents ?? []) {
      if (d.guide) ref(me, id("Guide", d.guide), p.doc.file)
      if (d.mapping) ref(me, id("Mapping", d.mapping), p.doc.file)
    }
    for (const s of p.schemas.keys()) ref(me, id("Partner", `${p.name}/${s}`), p.doc.file)
  }
  for (const g of m.guides.values()) if (g.partner) ref(id("Guide", g.name), id("Partner", g.partner), g.doc.file)
  for (const x of m.mappings.values()) {
    const me = id("Mapping", x.name)
    if (x.partner) ref(me, id("Partner", x.partner), x.doc.file)
    for (const end of [x.spec.source, x.spec.target] as Array<{ entity?: string; schema?: string; guide?: string }>) {
      if (end.entity) ref(me, id("CanonicalEntity", end.entity), x.doc.file)
      if (end.schema) {
        ref(me, id("Partner", end.schema), x.doc.file)
        ref(me, id("Partner", end.schema.split("/")[0]!), x.doc.file)
      }
      if (end.guide) ref(me, id("Guide", end.guide), x.doc.file)
    }
  }
  for (const e of m.events.values()) {
    ref(id("EventTaxonomy", e.type), id("CanonicalEntity", e.spec.payload), e.taxonomy.doc.file)
    for (const p of e.spec.producers) ref(id("EventTaxonomy", e.type), id("Partner", p), e.taxonomy.doc.file)
  }
  for (const l of m.lifecycles.values()) {
    const me = id("Lifecycle", l.name)
    ref(me, id("CanonicalEntity", l.spec.entity), l.doc.file)
    for (const t of l.spec.transitions) {
      ref(me, id("EventTaxonomy", t.event), l.doc.file)
      ref(me, id("Partner", t.owner), l.doc.file)
      for (const r of t.requires ?? []) ref(me, id("EventTaxonomy", r), l.doc.file)
    }
  }
  for (const f of m.flows.values()) {
    const me = id("Flow", f.name)
    const file = f.doc.file
    const t = f.spec.trigger
    if (t.webhook) ref(me, id("Partner", t.webhook.partner), file)
    if (t.edi) ref(me, id("Partner", t.edi.partner), file)
    if (t.event) ref(me, id("EventTaxonomy", t.event.type), file)
    if (t.schedule?.partner) ref(me, id("Partner", t.schedule.partner), file)
    for (const r of f.spec.requires ?? []) ref(me, id("EventTaxonomy", r), file)
    for (const s of f.spec.steps) {
      if (s.map) ref(me, id("Mapping", s.map.mapping), file)
      if (s.validate) ref(me, id("CanonicalEntity", s.validate.entity), file)
      if (s.enrich) ref(me, id("Partner", s.enrich.partner), file)
      if (s.route) ref(me, id("Partner", s.route.partner), file)
      if (s.call) {
        ref(me, id("Partner", s.call.partner), file)
        if (s.call.mapping) ref(me, id("Mapping", s.call.mapping), file)
      }
      if (s.send) {
        ref(me, id("Partner", s.send.partner), file)
        if (s.send.mapping) ref(me, id("Mapping", s.send.mapping), file)
      }
      if (s.acknowledge) ref(me, id("Partner", s.acknowledge.partner), file)
      if (s.emit) ref(me, id("EventTaxonomy", s.emit.event), file)
    }
  }
  for (const s of m.slos.values()) ref(id("SLO", s.name), id("Flow", s.spec.flow), s.doc.file)
  for (const r of m.reconciliations.values()) {
    for (const side of [r.spec.left, r.spec.right]) if (side.partner) ref(id("Reconciliation", r.name), id("Partner", side.partner), r.doc.file)
    if (r.spec.onDivergence.flow) ref(id("Reconciliation", r.name), id("Flow", r.spec.onDivergence.flow), r.doc.file)
  }
  return out
}

/**
 * What depends on `start`, following references backwards (a mapping is reached when its entity
 * changes, a flow when its mapping does, an SLO when its flow does), plus the partners and events
 * that the reached documents touch directly.
 */
export const impactOf = (graphs: ReadonlyArray<ReadonlyArray<Reference>>, start: NodeId): Impact => {
  const users = new Map<NodeId, Set<NodeId>>()
  const uses = new Map<NodeId, Set<NodeId>>()
  for (const g of graphs) {
    for (const r of g) {
      users.set(r.to, (users.get(r.to) ?? new Set()).add(r.from))
      uses.set(r.from, (uses.get(r.from) ?? new Set()).add(r.to))
    }
  }
  const reached = new Set<NodeId>([start])
  const queue: NodeId[] = [start]
  while (queue.length > 0) {
    const n = queue.shift()!
    for (const u of users.get(n) ?? []) {
      // Partners are leaves of impact: everything of a partner does not depend on everything else of it.
      if (u.startsWith("Partner/") && !u.includes("/", "Partner/".length)) continue
      if (!reached.has(u)) {
        reached.add(u)
        queue.push(u)
      }
    }
  }
  const names = (kind: Kind) => [...reached].filter((n) => n.startsWith(`${kind}/`)).map((n) => n.slice(kind.length + 1))
  const partners = new Set<string>()
  const events = new Set<string>(names("EventTaxonomy"))
  for (const n of reached) {
    if (n.startsWith("Partner/")) partners.add(n.slice(8).split("/")[0]!)
    for (const t of uses.get(n) ?? []) {
      if (t.startsWith("Partner/") && (n.startsWith("Mapping/") || n.startsWith("Flow/") || n.startsWith("Guide/"))) partners.add(t.slice(8).split("/")[0]!)
      if (t.startsWith("EventTaxonomy/") && n.startsWith("Flow/")) events.add(t.slice(14))
    }
  }
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort()
  return {
    mappings: sorted(names("Mapping")),
    flows: sorted(names("Flow")),
    partners: sorted(partners),
    events: sorted(events),
    slos: sorted(names("SLO"))
  }
}

/** Where a name is still referenced in `model` (for removed documents). */
export const referencedFrom = (graph: ReadonlyArray<Reference>, target: NodeId): ReadonlyArray<{ readonly from: NodeId; readonly file: string }> =>
  graph.filter((r) => r.to === target).map((r) => ({ from: r.from, file: r.file })).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
