// The Guide spec as the runtime reads it (the `spec` of a kind: Guide document; the JSON Schema is
// compiler/schemas/guide.ts), plus small helpers shared by structure, serialize and guideJsonSchema.

export type Usage = "required" | "optional" | "situational" | "not-used"

export interface GuideElement {
  readonly id: string
  readonly name?: string
  readonly description?: string
  /** ID, AN, N0..N9 (N = N0), R, DT, TM, B. Composites have `components` instead. */
  readonly type?: string
  readonly min?: number
  readonly max?: number
  readonly usage?: Usage
  readonly codes?: readonly string[]
  readonly repeat?: number
  readonly components?: readonly GuideElement[]
}

export interface GuideQualifier {
  readonly element: string
  readonly codes: readonly string[]
}

export interface GuideSegment {
  readonly segment: string
  readonly name?: string
  readonly description?: string
  readonly usage?: Usage
  readonly max?: number
  readonly qualifier?: GuideQualifier
  readonly syntax?: readonly string[]
  readonly elements?: readonly GuideElement[]
}

export interface GuideLoop {
  readonly loop: string
  readonly name: string
  readonly description?: string
  readonly usage?: Usage
  readonly max?: number
  readonly qualifier?: GuideQualifier
  /** HL03 level code, for HL loops. */
  readonly level?: string
  /** HL child loops, for HL loops. */
  readonly children?: readonly GuideLoop[]
  readonly segments: readonly GuideNode[]
}

export type GuideNode = GuideSegment | GuideLoop

export interface GuideRule {
  readonly rule: "line-count"
  readonly element: string
  readonly counts: string
}

export interface Guide {
  readonly transactionSet: string
  readonly functionalGroup: string
  readonly version: string
  readonly direction?: "inbound" | "outbound"
  readonly description?: string
  readonly segments: readonly GuideNode[]
  readonly rules?: readonly GuideRule[]
  readonly acknowledgment?: { readonly type?: "997" | "999"; readonly window?: string }
}

export const isLoop = (n: GuideNode): n is GuideLoop => (n as GuideLoop).loop !== undefined

/** Element position from its id: BEG03 → 3, PO401-02 → 1 (component ids use the part after '-'). */
export const elementPosition = (id: string): number => {
  const dash = id.indexOf("-")
  const main = dash < 0 ? id : id.slice(0, dash)
  return Number(main.slice(-2))
}
export const componentPosition = (id: string): number => {
  const dash = id.indexOf("-")
  return dash < 0 ? 1 : Number(id.slice(dash + 1))
}

/** N3 → 3 implied decimals; N/N0 → 0; other types → undefined. */
export const impliedDecimals = (type: string | undefined): number | undefined => {
  if (type === undefined || type[0] !== "N") return undefined
  return type.length === 1 ? 0 : Number(type.slice(1))
}
export const isNumeric = (type: string | undefined): boolean => type === "R" || impliedDecimals(type) !== undefined

/** Which acknowledgment answers sets of this guide. */
export const ackTypeOf = (g: Guide): "997" | "999" =>
  g.acknowledgment?.type ?? (g.version.startsWith("005010X231") ? "999" : "997")

/** Duration like "24h" → milliseconds. */
export const parseWindow = (w: string | undefined): number | undefined => {
  if (w === undefined) return undefined
  const m = /^(\d+)([smhd])$/.exec(w)
  if (m === null) return undefined
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"]
  return Number(m[1]) * unit
}

/**
 * Semantic checks the JSON Schema cannot express: JSON keys unique per object, unnamed segments used
 * at most once (their elements are flattened into the enclosing object), qualifier elements belong to
 * their segment, HL loops have levels. Returns human-readable problems (empty when fine).
 */
export const checkGuide = (g: Guide): string[] => {
  const problems: string[] = []
  const walk = (nodes: readonly GuideNode[], path: string, keys: Map<string, string>): void => {
    const claim = (key: string, what: string) => {
      const prev = keys.get(key)
      if (prev !== undefined) problems.push(`${path}: JSON key '${key}' is used by both ${prev} and ${what}`)
      else keys.set(key, what)
    }
    nodes.forEach((n, i) => {
      if (isLoop(n)) {
        if (n.segments.length === 0 || isLoop(n.segments[0]!) || (n.segments[0] as GuideSegment).segment !== n.loop)
          problems.push(`${path}.${n.name}: the first segment of loop ${n.loop} must be ${n.loop}`)
        if (n.qualifier !== undefined && !n.qualifier.element.startsWith(n.loop))
          problems.push(`${path}.${n.name}: qualifier ${n.qualifier.element} is not an element of ${n.loop}`)
        if (n.loop === "HL" && n.level === undefined) problems.push(`${path}.${n.name}: HL loop without a level`)
        claim(n.name, `loop ${n.loop}`)
        const inner = new Map<string, string>()
        walk(n.segments, `${path}.${n.name}`, inner)
        for (const c of n.children ?? []) {
          if (c.loop !== "HL") problems.push(`${path}.${n.name}: child ${c.name} must be an HL loop`)
          const k = inner.get(c.name)
          if (k !== undefined) problems.push(`${path}.${n.name}: JSON key '${c.name}' is used by both ${k} and child loop ${c.name}`)
          inner.set(c.name, `child loop ${c.name}`)
          walk([c], `${path}.${n.name}`, new Map())
        }
      } else {
        if (n.qualifier !== undefined && !n.qualifier.element.startsWith(n.segment))
          problems.push(`${path}: qualifier ${n.qualifier.element} is not an element of ${n.segment}`)
        if (n.name !== undefined) claim(n.name, `segment ${n.segment}`)
        else {
          if ((n.max ?? 1) > 1) problems.push(`${path}: segment ${n.segment} (#${i + 1}) repeats, so it needs a name`)
          for (const e of n.elements ?? []) if (e.name !== undefined) claim(e.name, e.id)
        }
        for (const e of n.elements ?? []) {
          if (!e.id.startsWith(n.segment)) problems.push(`${path}: element ${e.id} is not an element of ${n.segment}`)
          if (e.type === undefined && e.components === undefined) problems.push(`${path}: element ${e.id} has neither type nor components`)
        }
      }
    })
  }
  walk(g.segments, "$", new Map())
  return problems
}
