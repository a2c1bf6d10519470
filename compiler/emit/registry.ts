// generated/index.ts: the registry the runtime starts from: partners, entities (with their validators),
// mappings, flows, lifecycle tables, the SLO table, the event taxonomy and the duration buckets.
import type { Model } from "../model/model.ts"
import { compareText, jsLiteral as literalOf, jsString } from "./literal.ts"
import type { EmittedFile } from "./names.ts"
import { camel, entityType, flowModule, header, importPath, mappingModule, validatorModule } from "./names.ts"
import { cloudEventType } from "./ops/asyncapi.ts"
import { flowLinks } from "./ops/graph.ts"
import type { SloPlan } from "./ops/slo.ts"
import { durationBuckets } from "./ops/slo.ts"

export const REGISTRY_MODULE = "index.ts"

/** Unique identifiers for names, stable for a given set of names. */
const identifiers = (names: ReadonlyArray<string>, prefix: string): Map<string, string> => {
  const out = new Map<string, string>()
  const used = new Set<string>()
  for (const n of [...names].sort(compareText)) {
    const base = `${prefix}${camel(n).replace(/^./, (c) => c.toUpperCase())}`
    let id = base
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`
    used.add(id)
    out.set(n, id)
  }
  return out
}

const asArray = <T>(x: T | ReadonlyArray<T>): ReadonlyArray<T> => (Array.isArray(x) ? x : [x as T])

export interface RegistryInput {
  readonly model: Model
  readonly plans: ReadonlyArray<SloPlan>
  /** Every path (relative to generated/) the compile produces; the registry imports only those. */
  readonly produced: ReadonlySet<string>
}

/** Prints a data literal (jsLiteral, or a stand-in that records what would be printed: see index.ts). */
export type Literal = (value: unknown, indent?: number) => string

export const registry = ({ model, plans, produced }: RegistryInput, jsLiteral: Literal = literalOf): string => {
  const imports: string[] = []
  const body: string[] = []
  const entries = (rows: ReadonlyArray<readonly [string, string]>): string =>
    rows.length === 0 ? "{}" : `{\n${rows.map(([k, v]) => `  ${jsString(k)}: ${v}`).join(",\n")}\n}`

  const flowNames = [...model.flows.keys()].filter((f) => produced.has(flowModule(f)))
  const flowIds = identifiers(flowNames, "flow")
  for (const f of flowNames) imports.push(`import { flow as ${flowIds.get(f)} } from ${jsString(importPath(REGISTRY_MODULE, flowModule(f)))}`)

  const mappingNames = [...model.mappings.keys()].filter((m) => produced.has(mappingModule(m)))
  const mappingIds = identifiers(mappingNames, "mapping")
  for (const m of mappingNames) imports.push(`import { mapping as ${mappingIds.get(m)} } from ${jsString(importPath(REGISTRY_MODULE, mappingModule(m)))}`)

  const entityIds = [...model.entities.keys()].filter((id) => produced.has(validatorModule(entityType(id).module)))
  const validatorIds = identifiers(entityIds, "validate")
  for (const id of entityIds) imports.push(`import { validate as ${validatorIds.get(id)} } from ${jsString(importPath(REGISTRY_MODULE, validatorModule(entityType(id).module)))}`)

  const partners = [...model.partners.values()].map((p) => [
    p.name,
    jsLiteral({ name: p.name, type: p.spec.type, criticality: p.spec.criticality, owners: p.owners, folder: p.folder, spec: p.spec }, 1)
  ] as const)
  body.push(`/** Partners by name, with their specs (secrets appear only as { env } references). */`, `export const partners = ${entries(partners)} as const`, "")

  const entities = [...model.entities.values()].map((e) => {
    const v = validatorIds.get(e.id)
    const data = jsLiteral({ id: e.id, name: e.name, version: e.spec.version, key: e.spec.key }, 1)
    return [e.id, v === undefined ? data : `{ ...${data}, validate: ${v} }`] as const
  })
  body.push(`/** Canonical entities by id (\`order@1\`), with their compiled validators. */`, `export const entities = ${entries(entities)} as const`, "")

  body.push(`/** Compiled mappings by name. */`, `export const mappings = ${entries(mappingNames.map((m) => [m, mappingIds.get(m)!] as const))} as const`, "")
  body.push(`/** Flow programs by name. */`, `export const flows = ${entries(flowNames.map((f) => [f, flowIds.get(f)!] as const))} as const`, "")

  const flowTable = [...model.flows.values()].map((f) => {
    const l = flowLinks(model, f)
    return [f.name, jsLiteral({ name: f.name, criticality: f.spec.criticality, owners: f.owners, trigger: l.trigger, partners: l.partners, mappings: l.mappings, emits: l.emits, consumes: l.consumes, requires: l.requires, slos: l.slos, deadLetter: f.spec.deadLetter?.enabled === true }, 1)] as const
  })
  body.push(`/** What each flow touches (for the ops API and the catalog). */`, `export const flowTable = ${entries(flowTable)} as const`, "")

  const lifecycles = [...model.lifecycles.values()].map((l) => {
    const transitions = l.spec.transitions.flatMap((t) => asArray<string>(t.from as string | string[]).map((from) => ({ from, to: t.to, owner: t.owner, event: t.event })))
    return [
      l.name,
      jsLiteral(
        {
          name: l.name,
          entity: l.spec.entity,
          initial: l.spec.initial,
          states: l.spec.states.map((s) => s.name),
          terminal: l.spec.states.filter((s) => s.terminal === true).map((s) => s.name),
          transitions
        },
        1
      )
    ] as const
  })
  body.push(`/** Lifecycle tables: every (from, to) transition with its one owning system and its event. */`, `export const lifecycles = ${entries(lifecycles)} as const`, "")

  const slos = plans.map((p) => {
    const success = p.slis.find((s) => s.kind === "success")
    const latency = p.slis.find((s) => s.kind === "latency")
    return [
      p.name,
      jsLiteral(
        {
          name: p.name,
          flow: p.flow,
          window: p.window,
          windowSeconds: p.windowSeconds,
          success: success ? { objective: success.objective } : undefined,
          latency: latency ? { objective: latency.objective, thresholdSeconds: latency.thresholdSeconds } : undefined,
          alerts: p.alerts.map((a) => ({ severity: a.severity, longSeconds: a.longSeconds, shortSeconds: a.shortSeconds, factor: a.factor })),
          page: p.page,
          ticket: p.ticket
        },
        1
      )
    ] as const
  })
  body.push(`/** SLOs by name: objectives, windows and burn-rate alerts (as in ops/prometheus/). */`, `export const slos = ${entries(slos)} as const`, "")

  const events = [...model.events.values()]
    .sort((a, b) => compareText(a.type, b.type))
    .map((e) => [
      e.type,
      jsLiteral(
        {
          type: e.type,
          version: e.version,
          cloudEventType: cloudEventType(e.type, e.version),
          payload: e.spec.payload,
          producers: e.spec.producers,
          key: e.spec.key,
          source: e.taxonomy.spec.source,
          domain: e.taxonomy.spec.domain,
          taxonomy: e.taxonomy.name
        },
        1
      )
    ] as const)
  body.push(`/** The event taxonomy by event type; published as CloudEvents of type \`<type>.v<version>\`. */`, `export const events = ${entries(events)} as const`, "")

  body.push(
    `/** Buckets (seconds) of the tradelane_flow_duration_seconds histogram; every SLO latency threshold is one. */`,
    `export const durationBuckets = ${jsLiteral(durationBuckets(plans))} as const`,
    ""
  )
  const reconciliations = [...model.reconciliations.values()].map((r) => [r.name, jsLiteral({ name: r.name, owners: r.owners, spec: r.spec }, 1)] as const)
  body.push(`/** Reconciliations by name. */`, `export const reconciliations = ${entries(reconciliations)} as const`, "")
  body.push(
    "export type PartnerName = keyof typeof partners",
    "export type EntityId = keyof typeof entities",
    "export type MappingName = keyof typeof mappings",
    "export type FlowName = keyof typeof flows",
    "export type EventType = keyof typeof events",
    "export type SloName = keyof typeof slos",
    ""
  )
  return `${header([])}${imports.sort(compareText).join("\n")}${imports.length ? "\n\n" : ""}${body.join("\n")}`
}

export const emitRegistry = (input: RegistryInput, jsLiteral: Literal = literalOf): EmittedFile => ({ path: REGISTRY_MODULE, text: registry(input, jsLiteral) })
