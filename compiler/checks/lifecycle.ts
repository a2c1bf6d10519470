// Lifecycle checks: states known, exactly one owner per transition, every state reachable from the
// initial state, every transition's event declared and produced by the transition's owner.
import { suggestion } from "../diagnostics/didyoumean.ts"
import { systems } from "../model/model.ts"
import type { LifecycleNode } from "../model/model.ts"
import type { CheckContext } from "./context.ts"

const fromList = (from: string | string[]): string[] => (Array.isArray(from) ? from : [from])

const checkLifecycle = (ctx: CheckContext, l: LifecycleNode): void => {
  const doc = l.doc
  const states = l.spec.states.map((s) => s.name)
  const known = new Set(states)
  const unknownState = (s: string, path: ReadonlyArray<string | number>): boolean => {
    if (known.has(s)) return false
    ctx.report("TL3014", `unknown state '${s}' in lifecycle '${l.name}'.${suggestion(s, states)}`.replace(/\.\s*$/, ""), doc, path)
    return true
  }
  ctx.reference("CanonicalEntity", l.spec.entity, doc, ["spec", "entity"])
  const initialKnown = !unknownState(l.spec.initial, ["spec", "initial"])
  const seenState = new Set<string>()
  l.spec.states.forEach((s, i) => {
    if (seenState.has(s.name)) ctx.report("TL3001", `duplicate state '${s.name}' in lifecycle '${l.name}'`, doc, ["spec", "states", i, "name"])
    seenState.add(s.name)
  })

  const owners = new Map<string, { owner: string; index: number }>()
  const edges = new Map<string, Set<string>>()
  const sys = systems(ctx.model)
  l.spec.transitions.forEach((t, i) => {
    const at = ["spec", "transitions", i] as const
    const froms = fromList(t.from)
    froms.forEach((f, j) => unknownState(f, Array.isArray(t.from) ? [...at, "from", j] : [...at, "from"]))
    unknownState(t.to, [...at, "to"])
    for (const f of froms) {
      const key = `${f}\u0000${t.to}`
      const prior = owners.get(key)
      if (prior !== undefined) {
        ctx.report(
          "TL5001",
          prior.owner === t.owner
            ? `transition ${f} -> ${t.to} is declared twice (also transition ${prior.index + 1})`
            : `transition ${f} -> ${t.to} has two owners: '${prior.owner}' (transition ${prior.index + 1}) and '${t.owner}'`,
          doc,
          [...at, "owner"]
        )
      } else owners.set(key, { owner: t.owner, index: i })
      const set = edges.get(f) ?? new Set<string>()
      set.add(t.to)
      edges.set(f, set)
    }
    if (!sys.has(t.owner)) ctx.report("TL3011", `unknown system '${t.owner}'.${suggestion(t.owner, sys)}`.replace(/\.\s*$/, ""), doc, [...at, "owner"])
    const ev = ctx.model.events.get(t.event)
    if (ev === undefined) {
      ctx.report("TL3006", `unknown event type '${t.event}'.${suggestion(t.event, ctx.model.events.keys())}`.replace(/\.\s*$/, ""), doc, [...at, "event"])
    } else if (!ev.spec.producers.includes(t.owner)) {
      ctx.report("TL5003", `transition ${froms.join("|")} -> ${t.to} is owned by '${t.owner}' but its event '${t.event}' is produced by ${ev.spec.producers.map((p) => `'${p}'`).join(", ")}`, doc, [...at, "event"])
    }
    ;(t.requires ?? []).forEach((r, j) => {
      if (!ctx.model.events.has(r)) ctx.report("TL3006", `unknown event type '${r}'.${suggestion(r, ctx.model.events.keys())}`.replace(/\.\s*$/, ""), doc, [...at, "requires", j])
    })
  })

  if (!initialKnown) return
  const reached = new Set<string>([l.spec.initial])
  const queue = [l.spec.initial]
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (!reached.has(next)) {
        reached.add(next)
        queue.push(next)
      }
    }
  }
  l.spec.states.forEach((s, i) => {
    if (!reached.has(s.name)) ctx.report("TL5002", `state '${s.name}' cannot be reached from the initial state '${l.spec.initial}'`, doc, ["spec", "states", i, "name"])
    else if (!s.terminal && (edges.get(s.name)?.size ?? 0) === 0) {
      ctx.report("TL5004", `state '${s.name}' is not terminal but has no transition out of it`, doc, ["spec", "states", i, "name"], { hint: "Mark it terminal: true, or add a transition." })
    }
  })
}

export const checkLifecycles = (ctx: CheckContext): void => {
  for (const l of ctx.model.lifecycles.values()) checkLifecycle(ctx, l)
}
