// Emission: IR -> straight-line TypeScript. Each IR node becomes statements plus one JS expression that
// holds its (normalised) value; the expression is used exactly once, so nothing is evaluated twice.
// Simple name paths get an unrolled fast path over plain objects and fall back to the runtime's
// generic algorithm the moment an array (or anything else) shows up, so results never depend on it.
import type { Lambda, Node, Stage, Step } from "./ir.ts"
import { jsLiteral, jsString, Printer } from "./printer.ts"

/** Runtime fast paths available as `rt.<name><argc>` (kept in step with runtime/mapping FAST_PATHS). */
const FAST = new Set([
  "abs1",
  "boolean1",
  "ceil1",
  "contains2",
  "count1",
  "exists1",
  "floor1",
  "fromMillis1",
  "join1",
  "join2",
  "lowercase1",
  "not1",
  "number1",
  "round1",
  "round2",
  "string1",
  "substring2",
  "substring3",
  "substringAfter2",
  "substringBefore2",
  "sum1",
  "toMillis1",
  "trim1",
  "uppercase1"
])

/** Keys whose plain `o[key]` read could reach Object.prototype; those go through `rt.own`. */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype))

const ARITH = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod" } as const
const CMP = { "<": "lt", "<=": "le", ">": "gt", ">=": "ge" } as const

/** Whether a node's value can be `undefined` (field assignment then needs a guard). */
const mayBeUndefined = (node: Node): boolean => {
  switch (node.k) {
    case "lit":
    case "eq":
    case "in":
    case "logic":
    case "concat":
    case "array":
    case "object":
    case "fn":
      return false
    case "call":
      return !(node.fn === "exists" || node.fn === "count")
    default:
      return true
  }
}

/** A path ending in an object constructor step: every result is one object, pushed as is. */
const collectsObjects = (path: Extract<Node, { k: "path" }>): boolean => {
  const last = path.steps[path.steps.length - 1]
  const first = path.steps[0]
  return (
    path.steps.length >= 2 &&
    !path.keepArray &&
    first !== undefined &&
    !first.cons &&
    last !== undefined &&
    last.node.k === "object" &&
    last.stages.length === 0 &&
    !last.cons
  )
}

export interface EmitTables {
  /** Table name -> module-level identifier. */
  readonly ids: ReadonlyMap<string, string>
}

export class Emitter {
  private counter = 0

  constructor(
    readonly out: Printer,
    private readonly tables: EmitTables
  ) {}

  tmp(prefix = "t"): string {
    return `${prefix}${this.counter++}`
  }

  /** Emits statements computing `node` in context `ctx`; returns an expression holding its value. */
  expr(node: Node, ctx: string): string {
    const o = this.out
    switch (node.k) {
      case "lit":
        return jsLiteral(node.value)
      case "ctx":
        return ctx
      case "root":
        return "root"
      case "var":
        return node.id
      case "name":
        return this.lookup(ctx, node.key)
      case "path":
        return this.path(node, ctx)
      case "filtered": {
        const v = this.tmp()
        o.line(`let ${v}: unknown = ${this.expr(node.node, ctx)}`)
        const kind = this.stages(v, node.stages)
        if (kind === "pred") o.line(`${v} = rt.normalize(${v} as unknown[])`)
        return v
      }
      case "arith":
        return this.binary(`rt.${ARITH[node.op]}`, node.l, node.r, ctx)
      case "cmp":
        return this.binary(`rt.${CMP[node.op]}`, node.l, node.r, ctx)
      case "eq":
        return this.binary(node.negate ? "rt.ne" : "rt.eq", node.l, node.r, ctx)
      case "in":
        return this.binary("rt.includes", node.l, node.r, ctx)
      case "concat":
        return this.binary("rt.cat", node.l, node.r, ctx)
      case "neg":
        return `rt.neg(${this.expr(node.node, ctx)})`
      case "logic": {
        const t = this.tmp()
        o.line(`let ${t}: boolean = rt.truthy(${this.expr(node.l, ctx)})`)
        o.open(node.op === "and" ? `if (${t}) {` : `if (!${t}) {`)
        o.line(`${t} = rt.truthy(${this.expr(node.r, ctx)})`)
        o.close()
        return t
      }
      case "cond": {
        const t = this.tmp()
        o.line(`let ${t}: unknown`)
        o.open(`if (rt.truthy(${this.expr(node.test, ctx)})) {`)
        o.line(`${t} = ${this.expr(node.then, ctx)}`)
        if (node.else !== undefined) {
          o.reopen("} else {")
          o.line(`${t} = ${this.expr(node.else, ctx)}`)
        }
        o.close()
        return t
      }
      case "array": {
        const t = this.tmp()
        o.line(`const ${t}: unknown[] = []`)
        const only = node.items.length === 1 ? node.items[0] : undefined
        if (only !== undefined && !node.cons && !only.nested && only.node.k === "path" && collectsObjects(only.node)) {
          // `[items.{...}]` (a field tree's `each`): the objects go straight into the array
          this.generalPath(only.node, ctx, t)
          return t
        }
        for (const item of node.items) {
          if (item.node.k === "range") {
            const l = this.let(this.expr(item.node.l, ctx))
            o.line(`rt.pushItem(${t}, rt.range(${l}, ${this.expr(item.node.r, ctx)}))`)
          } else if (item.nested) {
            const v = this.let(this.expr(item.node, ctx))
            o.line(`if (${v} !== undefined) ${t}.push(${v})`)
          } else {
            o.line(`rt.pushItem(${t}, ${this.expr(item.node, ctx)})`)
          }
        }
        if (node.cons) o.line(`rt.markCons(${t})`)
        return t
      }
      case "range":
        throw new TypeError("mapping compiler: range outside an array constructor reached the emitter")
      case "object":
        return this.object(node.entries, ctx, true)
      case "call": {
        const args: string[] = []
        for (const a of node.args) args.push(this.let(this.expr(a, ctx)))
        const fast = `${node.fn}${node.args.length}`
        const c = node.tail ? this.tailContext() : ctx
        if (FAST.has(fast)) return `rt.${fast}(${[c, ...args].join(", ")})`
        return `rt.call(${jsString(node.fn)}, ${c}, [${args.join(", ")}])`
      }
      case "fn":
        return this.lambda(node.lambda, ctx)
      case "hof": {
        const arr = this.let(this.expr(node.arr, ctx))
        const f = this.expr(node.f, ctx)
        return `rt.${node.fn}(${arr}, ${f})`
      }
      case "invoke": {
        const args: string[] = []
        for (const a of node.args) args.push(this.let(this.expr(a, ctx)))
        return `${node.id}(${[node.tail ? this.tailContext() : ctx, ...args].join(", ")})`
      }
      case "lookup": {
        const id = this.tables.ids.get(node.table)
        if (id === undefined) throw new TypeError("mapping compiler: undeclared table reached the emitter")
        const key = this.let(this.expr(node.key, ctx))
        const dflt = node.dflt === undefined ? "undefined" : this.expr(node.dflt, ctx)
        return `rt.lookupTable(${id}, ${key}, ${dflt})`
      }
      case "block": {
        let last = "undefined"
        node.items.forEach((item, i) => {
          const isLast = i === node.items.length - 1
          if (item.k === "bind") {
            const value = this.expr(item.value, ctx)
            o.line(`const ${item.id} = ${value}`)
            last = item.id
          } else if (isLast) {
            last = this.expr(item.node, ctx)
          } else {
            const v = this.expr(item.node, ctx)
            if (!/^[A-Za-z_$][\w$]*$/.test(v) && !/^[-\d"]/.test(v)) o.line(`void ${v}`)
          }
        })
        return last
      }
    }
  }

  /** Binds an expression to a fresh `let` unless it is already an identifier or literal. */
  let(expr: string): string {
    if (/^[A-Za-z_$][\w$]*$/.test(expr) && expr !== "undefined") return expr
    const t = this.tmp()
    this.out.line(`let ${t}: unknown = ${expr}`)
    return t
  }

  private binary(fn: string, l: Node, r: Node, ctx: string): string {
    const a = this.let(this.expr(l, ctx))
    const b = this.expr(r, ctx)
    return `${fn}(${a}, ${b})`
  }

  /** Property read on one context value (JSONata `evaluateName`). */
  private lookup(x: string, key: string): string {
    const k = jsString(key)
    const read = PROTO_KEYS.has(key) ? `rt.own(${x}, ${k})` : `${x}[${k}]`
    return `(rt.isRec(${x}) ? ${read} : rt.lookupIn(${x}, ${k}))`
  }

  /** Compiled lambdas take the caller's context first (see the `tail` flag in ir.ts), then their parameters. */
  private lambda(lambda: Lambda, ctx: string): string {
    const t = this.tmp("f")
    const tc = this.tmp("c")
    const params = [`${tc}: unknown`, ...lambda.params.map((p) => `${p}?: unknown`)].join(", ")
    this.out.open(`const ${t} = (${params}): unknown => {`)
    this.tails.push(tc)
    this.out.line(`return ${this.expr(lambda.body, ctx)}`)
    this.tails.pop()
    this.out.close()
    return t
  }

  private readonly tails: string[] = []

  private tailContext(): string {
    const tc = this.tails[this.tails.length - 1]
    if (tc === undefined) throw new TypeError("mapping compiler: tail call outside a lambda reached the emitter")
    return tc
  }

  /**
   * Object constructor with literal keys. `group` is false only for the mapping's top level, where
   * JSONata's outer wrapper makes the context the input itself even when it is an array.
   */
  object(entries: ReadonlyArray<{ readonly key: string; readonly value: Node }>, ctx: string, group: boolean): string {
    const o = this.out
    let g = ctx
    if (group && entries.length > 0) {
      g = this.tmp("g")
      o.line(`const ${g}: unknown = Array.isArray(${ctx}) ? rt.groupContext(${ctx}) : ${ctx}`)
    }
    const t = this.tmp("o")
    o.line(`const ${t}: rt.Rec = {}`)
    for (const { key, value } of entries) {
      const v = this.expr(value, g)
      const assign = (val: string): string =>
        key === "__proto__" ? `rt.defineField(${t}, ${jsString(key)}, ${val})` : `${t}[${jsString(key)}] = ${val}`
      if (!mayBeUndefined(value)) {
        o.line(assign(v))
      } else {
        const x = this.let(v)
        o.line(`if (${x} !== undefined) ${assign(x)}`)
      }
    }
    return t
  }

  /** Applies predicate stages to the mutable variable `v`; returns the kind of the last stage. */
  private stages(v: string, stages: ReadonlyArray<Stage>): "none" | "index" | "pred" {
    let kind: "none" | "index" | "pred" = "none"
    for (const stage of stages) {
      if (stage.k === "index") {
        this.out.line(`${v} = rt.indexItem(${v}, ${jsLiteral(stage.n)})`)
        kind = "index"
        continue
      }
      const o = this.out
      const inp = this.tmp("q")
      const res = this.tmp("r")
      const i = this.tmp("i")
      const y = this.tmp("y")
      o.line(`const ${inp}: unknown[] = Array.isArray(${v}) ? ${v} : [${v}]`)
      o.line(`const ${res}: unknown[] = []`)
      o.open(`for (let ${i} = 0; ${i} < ${inp}.length; ${i}++) {`)
      o.line(`const ${y}: unknown = ${inp}[${i}]`)
      const p = this.expr(stage.node, y)
      o.line(`rt.pushMatches(${res}, ${p}, ${y}, ${i}, ${inp}.length)`)
      o.close()
      o.line(`${v} = ${res}`)
      kind = "pred"
    }
    return kind
  }

  private path(node: Extract<Node, { k: "path" }>, ctx: string): string {
    const simple =
      !node.keepArray &&
      !node.fromVariable &&
      node.steps.length > 0 &&
      node.steps.every((s) => s.node.k === "name" && s.stages.length === 0 && !s.cons)
    if (simple) return this.namesPath(node.steps.map((s) => (s.node as { key: string }).key), ctx)
    return this.generalPath(node, ctx)
  }

  /** `a.b.c`: unrolled over plain objects, generic (rt.namesPath) from the first non-object on. */
  private namesPath(keys: ReadonlyArray<string>, ctx: string): string {
    const o = this.out
    const r = this.tmp("r")
    const keyList = `[${keys.map(jsString).join(", ")}]`
    o.line(`let ${r}: unknown`)
    let cur = ctx
    let closes = 0
    keys.forEach((key, i) => {
      const k = jsString(key)
      const read = PROTO_KEYS.has(key) ? `rt.own(${cur}, ${k})` : `${cur}[${k}]`
      if (i === 0) {
        o.open(`if (rt.isRec(${cur})) {`)
      }
      if (i === keys.length - 1) {
        o.line(`${r} = ${read}`)
        return
      }
      const next = this.tmp("s")
      o.line(`const ${next}: unknown = ${read}`)
      o.open(`if (rt.isRec(${next})) {`)
      closes++
      // the else-branch is emitted when closing, below
      this.pendingElse.push(`${r} = ${next} === undefined ? undefined : rt.namesPath(${next}, ${keyList}, ${i + 1})`)
      cur = next
    })
    for (let i = 0; i < closes; i++) {
      o.reopen("} else {")
      o.line(this.pendingElse.pop() as string)
      o.close()
    }
    o.reopen("} else {")
    o.line(`${r} = rt.namesPath(${ctx}, ${keyList}, 0)`)
    o.close()
    return r
  }

  private readonly pendingElse: string[] = []

  /**
   * A path as loops over its steps (JSONata `evaluatePath`/`evaluateStep`). With `collect`, the path's
   * last step yields one object per item and those are pushed onto the array `collect` directly.
   */
  private generalPath(node: Extract<Node, { k: "path" }>, ctx: string, collect?: string): string {
    const o = this.out
    const result = this.tmp("r")
    if (collect === undefined) o.line(`let ${result}: unknown`)
    const steps = node.steps
    let n = ""
    let one = ""
    let acc = ""
    let startIndex = 0
    let block = 0
    let lastKind: "none" | "index" | "pred" = "none"
    // First step an array constructor: evaluated once, against the whole input sequence.
    const first = steps[0]
    if (first !== undefined && first.cons) {
      const inSeq = this.tmp("q")
      o.line(`const ${inSeq}: unknown = Array.isArray(${ctx}) ? ${ctx} : [${ctx}]`)
      const arr = this.expr(first.node, inSeq)
      const a = this.tmp("a")
      o.line(`const ${a} = ${arr} as unknown[]`)
      o.open(`if (${a}.length === 0) {`)
      o.line(`${result} = ${node.keepArray ? `rt.keepResult(1, ${a}, undefined, false)` : a}`)
      o.reopen("} else {")
      block++
      n = this.tmp("n")
      one = this.tmp("o")
      acc = this.tmp("a")
      o.line(`const ${n}: number = 2`)
      o.line(`const ${one}: unknown = undefined`)
      o.line(`const ${acc}: unknown[] | undefined = ${a}`)
      startIndex = 1
    }
    for (let s = startIndex; s < steps.length; s++) {
      const step = steps[s] as Step
      const nn = this.tmp("n")
      const no = this.tmp("o")
      const na = this.tmp("a")
      const items = this.tmp("q")
      const len = this.tmp("l")
      const i = this.tmp("i")
      const x = this.tmp("x")
      o.line(`let ${nn} = 0`)
      o.line(`let ${no}: unknown`)
      o.line(`let ${na}: unknown[] | undefined`)
      if (s === 0) {
        o.line(`const ${items}: unknown[] | undefined = ${node.fromVariable ? "undefined" : `Array.isArray(${ctx}) ? ${ctx} : undefined`}`)
        o.line(`const ${len} = ${items} !== undefined ? ${items}.length : 1`)
        o.open(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`)
        o.line(`const ${x}: unknown = ${items} !== undefined ? ${items}[${i}] : ${ctx}`)
      } else {
        o.line(`const ${items}: unknown[] | undefined = ${acc} ?? rt.stepItems(${one})`)
        o.line(`const ${len} = ${items} !== undefined ? ${items}.length : ${one} === undefined ? 0 : ${n}`)
        o.open(`for (let ${i} = 0; ${i} < ${len}; ${i}++) {`)
        o.line(`const ${x}: unknown = ${items} !== undefined ? ${items}[${i}] : ${one}`)
      }
      if (collect !== undefined && s === steps.length - 1) {
        o.line(`${collect}.push(${this.expr(step.node, x)})`)
        o.close()
        return collect
      }
      const v = this.let(this.expr(step.node, x))
      let res = v
      if (step.stages.length > 0) {
        res = this.tmp("v")
        o.line(`let ${res}: unknown = ${v}`)
      }
      lastKind = this.stages(res, step.stages)
      if (lastKind === "none") o.open(`if (${res} !== undefined) {`)
      o.line(`if (${nn} === 0) ${no} = ${res}`)
      o.line(`else ${na} = rt.stepAcc(${na}, ${no}, ${res})`)
      o.line(`${nn}++`)
      if (lastKind === "none") o.close()
      o.close()
      n = nn
      one = no
      acc = na
    }
    if (node.keepArray) {
      o.line(`${result} = rt.keepResult(${n}, ${one}, ${acc}, ${lastKind === "pred"})`)
    } else {
      const single = lastKind === "pred" ? `rt.normalize(${one} as unknown[])` : `rt.lastOne(${one})`
      o.line(`${result} = ${n} === 0 ? undefined : ${n} === 1 ? ${single} : rt.normalize(${acc} as unknown[])`)
    }
    for (let b = 0; b < block; b++) o.close()
    return result
  }
}
