// Who touches what: the partners, events and SLOs of each flow, read from the specs. Shared by the
// catalog, the registry and CODEOWNERS.
import type { FlowNode, Model } from "../../model/model.ts"
import { compareText } from "../literal.ts"

const uniqSorted = (xs: Iterable<string>): ReadonlyArray<string> => [...new Set(xs)].sort(compareText)

export interface FlowLinks {
  readonly partners: ReadonlyArray<string>
  readonly mappings: ReadonlyArray<string>
  readonly consumes: ReadonlyArray<string>
  readonly emits: ReadonlyArray<string>
  readonly requires: ReadonlyArray<string>
  readonly slos: ReadonlyArray<string>
  readonly trigger: string
}

export const triggerText = (flow: FlowNode): string => {
  const t = flow.spec.trigger
  if (t.webhook) return `webhook ${t.webhook.partner} ${t.webhook.topic}`
  if (t.edi) return `EDI ${t.edi.document} from ${t.edi.partner}`
  if (t.event) return `event ${t.event.type}`
  if (t.schedule) return `schedule ${t.schedule.cron}${t.schedule.partner ? ` ${t.schedule.partner}${t.schedule.operation ? `.${t.schedule.operation}` : ""}` : ""}`
  return "?"
}

export const flowLinks = (model: Model, flow: FlowNode): FlowLinks => {
  const t = flow.spec.trigger
  const partners: string[] = []
  const mappings: string[] = []
  const emits: string[] = []
  const triggerPartner = t.webhook?.partner ?? t.edi?.partner ?? t.schedule?.partner
  if (triggerPartner) partners.push(triggerPartner)
  for (const s of flow.spec.steps) {
    for (const action of [s.enrich, s.route, s.call, s.send, s.acknowledge]) if (action?.partner) partners.push(action.partner)
    for (const m of [s.map?.mapping, s.call?.mapping, s.send?.mapping]) if (m) mappings.push(m)
    if (s.emit) emits.push(s.emit.event)
  }
  return {
    partners: uniqSorted(partners),
    mappings: uniqSorted(mappings),
    consumes: uniqSorted(t.event ? [t.event.type] : []),
    emits: uniqSorted(emits),
    requires: uniqSorted(flow.spec.requires ?? []),
    slos: uniqSorted([...model.slos.values()].filter((s) => s.spec.flow === flow.name).map((s) => s.name)),
    trigger: triggerText(flow)
  }
}

const listedBy = new WeakMap<Model, ReadonlyMap<string, string>>()

/** The partner a mapping belongs to: its folder, else the partner that lists it. */
export const mappingPartner = (model: Model, name: string): string | undefined => {
  const m = model.mappings.get(name)
  if (m?.partner !== undefined) return m.partner
  let index = listedBy.get(model)
  if (index === undefined) {
    const built = new Map<string, string>()
    for (const p of model.partners.values()) for (const listed of p.spec.mappings ?? []) if (!built.has(listed)) built.set(listed, p.name)
    listedBy.set(model, built)
    index = built
  }
  return index.get(name)
}
