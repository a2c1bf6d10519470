// Emits one module per Flow (generated/flows/<name>.ts, exporting `flow`) with ts-morph. Each module is a
// typed pipeline over the runtime's public API (runtime/index.ts): the trigger payload type flows through
// every mapping's source and target types, so a mapping that does not fit its step fails `tsc`.
// Flow expressions (idempotencyKey, businessKeys, when, serviceLevel, enrich keys) are JSONata, compiled
// ahead of time with the mapping compiler into local functions. Spec text only enters the module as
// escaped literals. Pure: model in, files out; same model, same bytes.
import jsonata from "jsonata"
import { IndentationText, NewLineKind, Project, QuoteKind, ts, VariableDeclarationKind } from "ts-morph"
import type { EventNode, FlowNode, JsonSchema, Model, PartnerNode } from "../model/model.ts"
import { SELF } from "../model/model.ts"
import { Emitter } from "./jsonata/emit.ts"
import { type JNode, Lowerer } from "./jsonata/lower.ts"
import { jsString, Printer } from "./jsonata/printer.ts"
import type { MappingCompileError } from "./jsonata/types.ts"
import {
  camel,
  type EmittedFile,
  endType,
  entityType,
  flowModule,
  guideModule,
  guideType,
  header,
  importPath,
  mappingModule,
  partnerSchemaType,
  type TypeRef,
  validatorModule
} from "./names.ts"

export interface FlowEmitOptions {
  /** Turns a guide spec into the JSON Schema of its structured JSON (from the EDI engine). */
  readonly guideShape?: (guideSpec: unknown) => { readonly [key: string]: unknown }
}

/** A flow expression the mapping compiler rejected (reported by the compile pipeline as a diagnostic). */
export class FlowExpressionError extends Error {
  constructor(
    readonly flow: string,
    readonly file: string,
    readonly path: ReadonlyArray<string | number>,
    readonly errors: ReadonlyArray<MappingCompileError>
  ) {
    super(`flow '${flow}': expression at ${path.join(".")} does not compile: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}`)
  }
}

const RUNTIME = "../runtime/index.ts"

type Rec = Record<string, unknown>
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v)

const byName = (a: string, b: string): number => a.localeCompare(b, "en-US", { numeric: true })

/** `30s` -> 30000. */
export const durationMs = (d: unknown): number | undefined => {
  if (typeof d !== "string") return undefined
  const m = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(d)
  if (!m) return undefined
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as "ms"]
  return Number(m[1]) * unit
}

/** A TypeScript literal for JSON data: strings escaped like every other spec text, keys in spec order. */
const literal = (v: unknown, indent = ""): string => {
  if (v === undefined) return "undefined"
  if (v === null || typeof v === "boolean") return String(v)
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null"
  if (typeof v === "string") return jsString(v)
  const next = `${indent}  `
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]"
    if (v.every((x) => x === null || typeof x !== "object")) return `[${v.map((x) => literal(x)).join(", ")}]`
    return `[\n${v.map((x) => next + literal(x, next)).join(",\n")}\n${indent}]`
  }
  const entries = Object.entries(v as Rec).filter(([, x]) => x !== undefined)
  if (entries.length === 0) return "{}"
  return `{\n${entries.map(([k, x]) => `${next}${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : jsString(k)}: ${literal(x, next)}`).join(",\n")}\n${indent}}`
}

const secret = (s: unknown): unknown => (isRec(s) ? (typeof s["env"] === "string" ? { env: s["env"] } : typeof s["file"] === "string" ? { file: s["file"] } : undefined) : undefined)

/** Compiles one JSONata expression into the body of `(root: unknown) => unknown`. */
const compileExpression = (src: string): { readonly body: string } | { readonly errors: ReadonlyArray<MappingCompileError> } => {
  const errors: MappingCompileError[] = []
  let ast: JNode
  try {
    ast = jsonata(src).ast() as unknown as JNode
  } catch (e: unknown) {
    const message = isRec(e) && typeof e["message"] === "string" ? e["message"] : "syntax error"
    return { errors: [{ code: "TL4102", message: `JSONata syntax error: ${message}`, fieldPath: [], exprOffset: 0 }] }
  }
  let ids = 0
  const node = new Lowerer({ src, fieldPath: [], tables: new Set(), errors, fresh: (p) => `${p}${ids++}` }).lowerRoot(ast)
  if (errors.length > 0) return { errors }
  const out = new Printer()
  const value = new Emitter(out, { ids: new Map() }).expr(node, "root")
  out.line(`return ${value}`)
  return { body: out.text() }
}

/** Names a JSONata expression reads first (the leading name of each path), to find where the key lives. */
const leadingNames = (src: string): string[] => {
  const names: string[] = []
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk)
    if (!isRec(n)) return
    if (n["type"] === "path" && Array.isArray(n["steps"])) {
      const first = (n["steps"] as Rec[])[0]
      if (first && first["type"] === "name" && typeof first["value"] === "string") names.push(first["value"])
    } else if (n["type"] === "name" && typeof n["value"] === "string") names.push(n["value"])
    for (const v of Object.values(n)) if (typeof v === "object") walk(v)
  }
  try {
    walk(jsonata(src).ast())
  } catch {
    /* reported by the expression compiler */
  }
  return names
}

/** Path to the array in a response whose items carry the key (each item is one run); [] = the whole response. */
const itemsPath = (schema: JsonSchema | undefined, keyNames: ReadonlyArray<string>): string[] => {
  if (!schema || keyNames.length === 0) return []
  const props = (s: unknown): Rec => (isRec(s) && isRec(s["properties"]) ? (s["properties"] as Rec) : {})
  if (keyNames.some((k) => k in props(schema))) return []
  const search = (s: unknown, at: string[], depth: number): string[] | undefined => {
    for (const [k, v] of Object.entries(props(s))) {
      if (isRec(v) && (v["type"] === "array" || v["items"] !== undefined) && keyNames.some((n) => n in props(v["items"]))) return [...at, k]
      if (depth < 2) {
        const found = search(v, [...at, k], depth + 1)
        if (found) return found
      }
    }
    return undefined
  }
  return search(schema, [], 0) ?? []
}

interface Imports {
  readonly types: Map<string, Set<string>>
  readonly values: Map<string, string>
}

class FlowModule {
  readonly imports: Imports = { types: new Map(), values: new Map() }
  readonly functions: Array<{ name: string; returnType: string; body: string }> = []
  readonly constants: Array<{ name: string; type: string; value: string }> = []
  private readonly constantNames = new Set<string>()

  constructor(
    readonly model: Model,
    readonly flow: FlowNode,
    readonly path: string
  ) {}

  get file(): string {
    return this.flow.doc.file
  }

  typeRef(ref: TypeRef): string {
    const from = importPath(this.path, ref.module)
    const set = this.imports.types.get(from) ?? new Set<string>()
    set.add(ref.name)
    this.imports.types.set(from, set)
    return ref.name
  }

  namespace(module: string, name: string): string {
    const from = importPath(this.path, module)
    this.imports.values.set(from, name)
    return name
  }

  expression(src: string, at: ReadonlyArray<string | number>, name: string, kind: "value" | "boolean"): string {
    const compiled = compileExpression(src)
    if ("errors" in compiled) throw new FlowExpressionError(this.flow.name, this.file, at, compiled.errors)
    const body = kind === "boolean" ? compiled.body.replace(/return (.*)\n$/, "return rt.truthy($1)\n") : compiled.body
    this.functions.push({ name, returnType: kind === "boolean" ? "boolean" : "unknown", body })
    return name
  }

  constant(name: string, type: string, value: string): string {
    if (!this.constantNames.has(name)) {
      this.constantNames.add(name)
      this.constants.push({ name, type, value })
    }
    return name
  }

  spec(path: ReadonlyArray<string | number>): string {
    return `{ file: ${jsString(this.file)}, path: ${jsString(`/${path.join("/")}`)} }`
  }
}

const partnerOf = (model: Model, name: string): PartnerNode => {
  const p = model.partners.get(name)
  if (!p) throw new Error(`flow emitter: unknown partner '${name}' (the model is checked before emit)`)
  return p
}

const httpPartner = (m: FlowModule, name: string): string => {
  const p = partnerOf(m.model, name)
  const http = (p.spec as Rec)["http"] as Rec | undefined
  if (!http) throw new Error(`flow emitter: partner '${name}' has no http`)
  const auth = http["auth"] as Rec | undefined
  const value = {
    partner: name,
    baseUrl: http["baseUrl"],
    timeout: durationMs(http["timeout"]),
    auth: auth
      ? {
          type: auth["type"],
          header: auth["header"],
          token: secret(auth["token"]),
          username: secret(auth["username"]),
          password: secret(auth["password"]),
          key: secret(auth["key"]),
          tokenUrl: auth["tokenUrl"],
          clientId: secret(auth["clientId"]),
          clientSecret: secret(auth["clientSecret"]),
          refreshToken: secret(auth["refreshToken"]),
          scopes: auth["scopes"]
        }
      : undefined,
    headers: http["headers"],
    rateLimit: http["rateLimit"]
  }
  return m.constant(`${camel(name)}Http`, "Flow.HttpPartner", literal(value))
}

const httpOperation = (m: FlowModule, partner: string, operation: string): string => {
  const http = (partnerOf(m.model, partner).spec as Rec)["http"] as Rec
  const op = ((http["operations"] as Rec | undefined)?.[operation] ?? {}) as Rec
  return literal({
    name: operation,
    method: op["method"],
    path: op["path"],
    idempotencyHeader: op["idempotencyHeader"],
    timeout: durationMs(op["timeout"])
  })
}

const ediPartner = (m: FlowModule, name: string): string => {
  const p = partnerOf(m.model, name)
  const spec = p.spec as Rec
  const edi = spec["edi"] as Rec
  const transport = (spec["transport"] ?? {}) as Rec
  // Guides are emitted once each (generated/guides/) and imported, not copied into every flow.
  const guides = new Map<string, string>()
  for (const d of (edi["documents"] as Rec[] | undefined) ?? []) {
    const g = typeof d["guide"] === "string" ? m.model.guides.get(d["guide"]) : undefined
    if (g) guides.set(String(d["type"]), `${m.namespace(guideModule(g.name), `${camel(g.name)}Guide`)}.guide`)
  }
  const guidesText =
    guides.size === 0 ? "{}" : `{\n${[...guides.keys()].sort(byName).map((k) => `    ${jsString(k)}: ${guides.get(k)}`).join(",\n")}\n  }`
  const value = {
    partner: name,
    inbox: transport["inbox"] ?? `edi/${name}/in`,
    outbox: transport["outbox"] ?? `edi/${name}/out`,
    archive: transport["archive"] ?? `edi/${name}/archive`,
    quarantine: transport["quarantine"] ?? `edi/${name}/quarantine`,
    partnerId: edi["partner"],
    us: edi["us"],
    version: edi["version"],
    groupVersion: edi["groupVersion"],
    usage: edi["usage"],
    delimiters: edi["delimiters"],
    acknowledgment: edi["acknowledgment"]
  }
  const text = literal(value).replace(/\n\}$/, `,\n  guides: ${guidesText}\n}`)
  return m.constant(`${camel(name)}Edi`, "Flow.EdiPartner", text)
}

const mappingRef = (m: FlowModule, name: string): { text: string; source?: TypeRef; target?: TypeRef } => {
  const node = m.model.mappings.get(name)
  const ns = m.namespace(mappingModule(name), camel(name))
  const source = node ? endType(node.spec.source as { entity?: string; schema?: string; guide?: string }) : undefined
  const target = node ? endType(node.spec.target as { entity?: string; schema?: string; guide?: string }) : undefined
  const spec = node ? `{ file: ${jsString(node.doc.file)}, path: "/spec/fields" }` : `{ file: "", path: "" }`
  return {
    text: `{ name: ${jsString(name)}, spec: ${spec}, apply: ${ns}.apply }`,
    ...(source ? { source } : {}),
    ...(target ? { target } : {})
  }
}

/** Which system an emitted event is attributed to: tradelane when it produces it, else the system the flow heard it from. */
const emitSystem = (ev: EventNode | undefined, lastCalled: string | undefined, triggerPartner: string | undefined): string => {
  const producers: ReadonlyArray<string> = ev?.spec.producers ?? []
  if (producers.includes(SELF)) return SELF
  if (lastCalled !== undefined && producers.includes(lastCalled)) return lastCalled
  if (triggerPartner !== undefined && producers.includes(triggerPartner)) return triggerPartner
  return lastCalled ?? triggerPartner ?? SELF
}

const lifecycleEffects = (model: Model, event: string): unknown[] => {
  const ev = model.events.get(event)
  const out: unknown[] = []
  for (const name of [...model.lifecycles.keys()].sort(byName)) {
    const lc = model.lifecycles.get(name)!
    const spec = lc.spec as Rec
    const entity = String(spec["entity"] ?? "")
    const entityName = entity.split("@")[0] ?? ""
    const transitions = ((spec["transitions"] as Rec[] | undefined) ?? [])
      .filter((t) => t["event"] === event)
      .map((t) => ({ from: Array.isArray(t["from"]) ? t["from"] : [t["from"]], to: t["to"], owner: t["owner"] }))
    const initial = String(spec["initial"] ?? "")
    const creates = transitions.length === 0 && ev?.spec.payload === entity && event.endsWith(`.${initial}`) ? initial : undefined
    if (transitions.length === 0 && creates === undefined) continue
    out.push({
      lifecycle: name,
      key: `${camel(entityName)}Id`,
      states: ((spec["states"] as Rec[] | undefined) ?? []).map((s) => s["name"]),
      creates,
      transitions
    })
  }
  return out
}

let sharedProject: Project | undefined

/** One in-memory ts-morph project for every flow module (each file is removed once printed): making a project costs more than a module. */
const flowProject = (): Project =>
  (sharedProject ??= new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double, newLineKind: NewLineKind.LineFeed }
  }))

const emitFlow = (model: Model, flow: FlowNode): EmittedFile => {
  const path = flowModule(flow.name)
  const m = new FlowModule(model, flow, path)
  const spec = flow.spec as unknown as Rec
  const trigger = spec["trigger"] as Rec
  const steps = (spec["steps"] as Rec[]) ?? []

  // ---- trigger and its payload type ----
  let triggerText: string
  let triggerType: string = "unknown"
  let triggerPartner: string | undefined
  if (isRec(trigger["webhook"])) {
    const w = trigger["webhook"] as Rec
    const partner = String(w["partner"])
    triggerPartner = partner
    const p = partnerOf(model, partner)
    const hook = ((p.spec as Rec)["webhook"] ?? {}) as Rec
    const schema = ((hook["topics"] as Rec | undefined) ?? {})[String(w["topic"])]
    if (typeof schema === "string") triggerType = m.typeRef(partnerSchemaType(`${partner}/${schema}`))
    const sig = hook["signature"] as Rec | undefined
    triggerText = `Flow.webhook(${literal(
      {
        partner,
        path: hook["path"] ?? `/hooks/${partner}`,
        topic: w["topic"],
        signature: sig ? { header: sig["header"], encoding: sig["encoding"] ?? "base64", secret: secret(sig["secret"]) } : undefined,
        maxBodyBytes: hook["maxBodyBytes"] ?? 1048576
      },
      "  "
    )})`
  } else if (isRec(trigger["edi"])) {
    const e = trigger["edi"] as Rec
    const partner = String(e["partner"])
    triggerPartner = partner
    const doc = (((partnerOf(model, partner).spec as Rec)["edi"] as Rec)["documents"] as Rec[]).find(
      (d) => d["type"] === e["document"] && d["direction"] === "inbound"
    )
    if (doc && typeof doc["guide"] === "string") triggerType = m.typeRef(guideType(doc["guide"]))
    triggerText = `Flow.edi(${jsString(partner)}, ${jsString(String(e["document"]))}, ${ediPartner(m, partner)})`
  } else if (isRec(trigger["event"])) {
    const type = String((trigger["event"] as Rec)["type"])
    const ev = model.events.get(type)
    if (ev) triggerType = m.typeRef(entityType(ev.spec.payload))
    triggerText = `Flow.event(${jsString(type)})`
  } else {
    const s = (trigger["schedule"] ?? {}) as Rec
    const partner = typeof s["partner"] === "string" ? s["partner"] : undefined
    triggerPartner = partner
    const operation = typeof s["operation"] === "string" ? s["operation"] : undefined
    let items: string[] = []
    if (partner !== undefined && operation !== undefined) {
      const p = partnerOf(model, partner)
      const op = ((((p.spec as Rec)["http"] as Rec)["operations"] as Rec)[operation] ?? {}) as Rec
      const response = typeof op["response"] === "string" ? p.schemas.get(op["response"])?.schema : undefined
      items = itemsPath(response, leadingNames(String(spec["idempotencyKey"])))
      // Each item (or the response) is taken as what the first mapping reads.
      const firstMap = steps.find((st) => isRec(st["map"]))
      const mapName = firstMap ? String((firstMap["map"] as Rec)["mapping"]) : undefined
      const source = mapName ? model.mappings.get(mapName)?.spec.source : undefined
      const ref = source ? endType(source as { entity?: string; schema?: string; guide?: string }) : undefined
      if (ref) triggerType = m.typeRef(ref)
      triggerText = `Flow.schedule(${jsString(String(s["cron"]))}, { call: { http: ${httpPartner(m, partner)}, operation: ${httpOperation(m, partner, operation)} }, items: ${literal(items)} })`
    } else triggerText = `Flow.schedule(${jsString(String(s["cron"]))})`
  }

  // ---- keys ----
  const key = m.expression(String(spec["idempotencyKey"]), ["spec", "idempotencyKey"], "idempotencyKey", "value")
  const bk = (spec["businessKeys"] ?? {}) as Rec
  const bkNames = Object.keys(bk)
  const bkFns = bkNames.map((k, i) => [k, m.expression(String(bk[k]), ["spec", "businessKeys", k], `businessKey${i}`, "value")] as const)

  // ---- steps, tracking the payload type ----
  let lastCalled: string | undefined
  const pipeline: string[] = []
  steps.forEach((st, i) => {
    const at = ["spec", "steps", i]
    const id = String(st["id"])
    const whenFn = typeof st["when"] === "string" ? m.expression(st["when"], [...at, "when"], `when${i}`, "boolean") : undefined
    const common = [`spec: ${m.spec(at)}`, ...(whenFn ? [`when: ${whenFn}`] : [])]
    const opts = (fields: string[]) => `{ ${[...fields, ...common].join(", ")} }`
    if (isRec(st["map"])) {
      const ref = mappingRef(m, String((st["map"] as Rec)["mapping"]))
      pipeline.push(`Flow.map(${jsString(id)}, ${opts([`mapping: ${ref.text}`])})`)
    } else if (isRec(st["validate"])) {
      const entity = String((st["validate"] as Rec)["entity"])
      const t = entityType(entity)
      const fn = m.namespace(validatorModule(t.module), `validate${t.name}`)
      pipeline.push(`Flow.validate(${jsString(id)}, ${opts([`entity: ${jsString(entity)}`, `validate: ${fn}.validate`])})`)
    } else if (isRec(st["enrich"])) {
      const e = st["enrich"] as Rec
      const partner = String(e["partner"])
      const keyFn = typeof e["key"] === "string" ? m.expression(e["key"], [...at, "enrich", "key"], `enrichKey${i}`, "value") : undefined
      pipeline.push(
        `Flow.enrich(${jsString(id)}, ${opts([
          `http: ${httpPartner(m, partner)}`,
          `operation: ${httpOperation(m, partner, String(e["operation"])).replace(/\n\s*/g, " ")}`,
          `into: ${jsString(String(e["into"]))}`,
          ...(keyFn ? [`key: ${keyFn}`] : [])
        ])})`
      )
    } else if (isRec(st["route"])) {
      const r = st["route"] as Rec
      const partner = String(r["partner"])
      const whs = (((partnerOf(model, partner).spec as Rec)["warehouses"] as Rec[] | undefined) ?? []).map((w) => ({
        code: w["code"],
        region: w["region"],
        serviceLevels: w["serviceLevels"],
        priority: w["priority"],
        constraints: w["constraints"]
      }))
      const whName = m.constant(`${camel(partner)}Warehouses`, "ReadonlyArray<Flow.Warehouse>", literal(whs))
      const sl = typeof r["serviceLevel"] === "string" ? m.expression(r["serviceLevel"], [...at, "route", "serviceLevel"], `serviceLevel${i}`, "value") : undefined
      pipeline.push(
        `Flow.route(${jsString(id)}, ${opts([
          `partner: ${jsString(partner)}`,
          `by: ${literal(r["by"])}`,
          `warehouses: ${whName}`,
          ...(sl ? [`serviceLevel: ${sl}`] : [])
        ])})`
      )
    } else if (isRec(st["call"])) {
      const c = st["call"] as Rec
      const partner = String(c["partner"])
      lastCalled = partner
      const ref = typeof c["mapping"] === "string" ? mappingRef(m, c["mapping"]) : undefined
      pipeline.push(
        `Flow.call(${jsString(id)}, ${opts([
          `http: ${httpPartner(m, partner)}`,
          `operation: ${httpOperation(m, partner, String(c["operation"])).replace(/\n\s*/g, " ")}`,
          ...(ref ? [`mapping: ${ref.text}`] : [])
        ])})`
      )
    } else if (isRec(st["send"])) {
      const s = st["send"] as Rec
      const partner = String(s["partner"])
      const ref = typeof s["mapping"] === "string" ? mappingRef(m, s["mapping"]) : undefined
      pipeline.push(
        `Flow.send(${jsString(id)}, ${opts([`edi: ${ediPartner(m, partner)}`, `document: ${jsString(String(s["document"]))}`, ...(ref ? [`mapping: ${ref.text}`] : [])])})`
      )
    } else if (isRec(st["acknowledge"])) {
      const partner = String((st["acknowledge"] as Rec)["partner"])
      pipeline.push(`Flow.acknowledge(${jsString(id)}, ${opts([`edi: ${ediPartner(m, partner)}`])})`)
    } else if (isRec(st["emit"])) {
      const event = String((st["emit"] as Rec)["event"])
      const ev = model.events.get(event)
      const lc = lifecycleEffects(model, event)
      pipeline.push(
        `Flow.emit(${jsString(id)}, ${opts([
          `event: ${jsString(event)}`,
          `version: ${ev?.version ?? 1}`,
          `system: ${jsString(emitSystem(ev, lastCalled, triggerPartner))}`,
          ...(lc.length > 0 ? [`lifecycle: ${literal(lc, "    ").trimStart()}`] : [])
        ])})`
      )
    }
  })

  const retry = (spec["retry"] ?? {}) as Rec
  const errors = (spec["errors"] ?? {}) as Rec
  const dl = (spec["deadLetter"] ?? { enabled: true }) as Rec
  const options = [
    `name: ${jsString(flow.name)}`,
    `spec: ${m.spec(["spec"])}`,
    `criticality: ${jsString(String(spec["criticality"]))}`,
    `owners: ${literal(flow.owners)}`,
    `trigger: ${triggerText}`,
    `idempotencyKey: ${key}`,
    `businessKeys: (payload) => ({ ${bkFns.map(([k, fn]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : jsString(k)}: ${fn}(payload)`).join(", ")} })`,
    ...(Array.isArray(spec["requires"]) ? [`requires: ${literal(spec["requires"])}`] : []),
    `retry: ${literal({
      maxAttempts: retry["maxAttempts"],
      initialDelay: durationMs(retry["initialDelay"]),
      maxDelay: durationMs(retry["maxDelay"]),
      multiplier: retry["multiplier"],
      jitter: retry["jitter"]
    }).replace(/\n\s*/g, " ")}`,
    `errors: ${literal({ transient: errors["transient"] ?? [], permanent: errors["permanent"] ?? [], policy: errors["policy"] ?? [] }).replace(/\n\s*/g, " ")}`,
    `deadLetter: ${literal({ enabled: dl["enabled"] !== false, retention: durationMs(dl["retention"]) }).replace(/\n\s*/g, " ")}`
  ]

  // ---- the module, built with ts-morph ----
  const project = flowProject()
  const sf = project.createSourceFile(`/${path}`, "", { overwrite: true })
  const runtimeFrom = importPath(path, RUNTIME)
  sf.addImportDeclaration({ moduleSpecifier: runtimeFrom, namedImports: ["Flow", "Mapping as rt"] })
  for (const from of [...m.imports.types.keys()].sort(byName)) {
    sf.addImportDeclaration({ moduleSpecifier: from, isTypeOnly: true, namedImports: [...m.imports.types.get(from)!].sort(byName) })
  }
  for (const from of [...m.imports.values.keys()].sort(byName)) {
    sf.addImportDeclaration({ moduleSpecifier: from, namespaceImport: m.imports.values.get(from)! })
  }
  for (const c of m.constants) {
    sf.addVariableStatement({ declarationKind: VariableDeclarationKind.Const, declarations: [{ name: c.name, type: c.type, initializer: c.value }] })
  }
  for (const f of m.functions) {
    sf.addFunction({ name: f.name, parameters: [{ name: "root", type: "unknown" }], returnType: f.returnType, statements: f.body.trimEnd() })
  }
  sf.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: "flow",
        initializer: `Flow.make<${triggerType}>({\n  ${options.join(",\n  ")}\n}).pipe(\n  ${pipeline.join(",\n  ")}\n)`
      }
    ]
  })
  sf.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Remove })
  const text = header([flow.doc.file]) + "\n" + sf.getFullText().replace(/\r\n/g, "\n").replace(/\n{3,}/g, "\n\n")
  project.removeSourceFile(sf)
  return { path, text: text.endsWith("\n") ? text : `${text}\n` }
}

/** One module per guide, exporting the guide spec as data: what the runtime parses, validates and writes X12 with. */
export const emitGuideModules = (model: Model): ReadonlyArray<EmittedFile> =>
  [...model.guides.values()]
    .sort((a, b) => byName(a.name, b.name))
    .map((g) => ({ path: guideModule(g.name), text: `${header([g.doc.file])}export const guide = ${literal(g.spec)}\n` }))

export const emitFlows = (model: Model, _options: FlowEmitOptions = {}): ReadonlyArray<EmittedFile> =>
  [...model.flows.keys()].sort(byName).map((name) => emitFlow(model, model.flows.get(name)!))
