// Lowering: the jsonata parser's (post-processed) AST -> the IR in ir.ts. This is where the supported
// subset is decided: anything else becomes a positioned TL4101 error with a hint, never a fallback.
import type { BlockItem, Lambda, Node, Stage, Step } from "./ir.ts"
import { MappingErrorCode, type MappingCompileError } from "./types.ts"

/** The subset of the jsonata AST node shape the compiler reads. */
export interface JNode {
  readonly type: string
  readonly value?: unknown
  readonly position?: number
  readonly steps?: ReadonlyArray<JNode>
  readonly stages?: ReadonlyArray<{ readonly type: string; readonly expr?: JNode; readonly position?: number }>
  readonly predicate?: ReadonlyArray<{ readonly type: string; readonly expr?: JNode; readonly position?: number }>
  readonly lhs?: JNode | ReadonlyArray<readonly [JNode, JNode]>
  readonly rhs?: JNode
  readonly expression?: JNode
  readonly expressions?: ReadonlyArray<JNode>
  readonly arguments?: ReadonlyArray<JNode>
  readonly procedure?: JNode
  readonly body?: JNode
  readonly signature?: unknown
  readonly condition?: JNode
  readonly then?: JNode
  readonly else?: JNode
  readonly keepArray?: boolean
  readonly keepSingletonArray?: boolean
  readonly consarray?: boolean
  readonly group?: { readonly position?: number }
  readonly focus?: unknown
  readonly index?: unknown
  readonly tuple?: boolean
  readonly ancestor?: unknown
  readonly seekingParent?: unknown
  readonly thunk?: boolean
}

/** Built-ins the compiler accepts (JSONata names without `$`). `lookup` is tradelane's table lookup. */
export const SUPPORTED_FUNCTIONS: ReadonlyArray<string> = [
  "abs",
  "append",
  "average",
  "boolean",
  "ceil",
  "contains",
  "count",
  "exists",
  "filter",
  "floor",
  "fromMillis",
  "join",
  "keys",
  "length",
  "lookup",
  "lowercase",
  "map",
  "max",
  "merge",
  "min",
  "not",
  "number",
  "pad",
  "power",
  "replace",
  "reverse",
  "round",
  "split",
  "sqrt",
  "string",
  "substring",
  "substringAfter",
  "substringBefore",
  "sum",
  "toMillis",
  "trim",
  "type",
  "uppercase"
]

/** JSONata built-ins the compiler knows but rejects, with what to write instead. */
const REJECTED_FUNCTIONS: Readonly<Record<string, string>> = {
  now: "mappings must be deterministic: pass the timestamp in the input document and read it from there",
  millis: "mappings must be deterministic: pass the timestamp in the input document and read it from there",
  random: "mappings must be deterministic: derive the value from the input",
  eval: "expressions are compiled ahead of time; write the expression itself instead of evaluating a string",
  match: "regular expressions are not compiled; use $contains, $substringBefore/$substringAfter or $split with a string",
  sort: "ordering is not compiled yet; emit the items in source order and sort downstream",
  shuffle: "mappings must be deterministic",
  zip: "build the pairs with `each` in the field tree",
  reduce: "use $sum/$count/$max/$min/$average, or $map then an aggregate",
  single: "use a predicate: items[condition]",
  sift: "use `fields` in the field tree to pick properties",
  each: "use `each` in the field tree",
  spread: "use `fields` in the field tree",
  error: "a mapping does not raise errors; validate the output against the target schema instead",
  assert: "a mapping does not raise errors; validate the output against the target schema instead",
  distinct: "not compiled yet; de-duplicate downstream",
  formatNumber: "not compiled yet; use $string or $round",
  formatBase: "not compiled yet; use $string",
  formatInteger: "not compiled yet; use $string or $pad",
  parseInteger: "not compiled yet; use $number",
  base64encode: "not compiled yet",
  base64decode: "not compiled yet",
  encodeUrlComponent: "not compiled yet",
  encodeUrl: "not compiled yet",
  decodeUrlComponent: "not compiled yet",
  decodeUrl: "not compiled yet",
  clone: "values are never mutated; use the value directly"
}

interface Binding {
  readonly id: string
  readonly kind: "value" | "lambda"
}

interface Scope {
  readonly parent: Scope | undefined
  readonly bound: Map<string, Binding>
  /** Names bound by a later statement of this block (a reference now would see the outer binding). */
  readonly pending: Set<string>
  /** A lambda's parameter scope: code inside runs later, when pending bindings may exist. */
  readonly lambda: boolean
}

export interface LowerContext {
  readonly src: string
  readonly fieldPath: ReadonlyArray<string>
  readonly tables: ReadonlySet<string>
  readonly errors: MappingCompileError[]
  /** Allocates a module-unique identifier for a JSONata variable (never derived from its name). */
  readonly fresh: (prefix: string) => string
}

const levenshtein = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length] ?? 0
}

const didYouMean = (name: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestScore = Infinity
  for (const c of candidates) {
    const d = levenshtein(name.toLowerCase(), c.toLowerCase())
    if (d < bestScore || (d === bestScore && best !== undefined && c.localeCompare(best, "en-US") < 0)) {
      best = c
      bestScore = d
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

/** Quotes a name for a message; control and separator characters are shown escaped. */
export const quote = (s: string): string => JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)

const LIT_NULL: Node = { k: "lit", value: null }

export class Lowerer {
  private scope: Scope | undefined = undefined

  constructor(private readonly cx: LowerContext) {}

  private error(code: MappingCompileError["code"], offset: number, message: string, hint?: string): Node {
    this.cx.errors.push({
      code,
      message,
      hint,
      fieldPath: this.cx.fieldPath,
      exprOffset: Math.max(0, Math.min(offset, this.cx.src.length))
    })
    return LIT_NULL
  }

  private unsupported(node: JNode, what: string, hint: string): Node {
    return this.error(MappingErrorCode.Unsupported, this.start(node), `${what} is not supported by the mapping compiler`, hint)
  }

  /** 0-based start offset of a node (the jsonata AST records the end of each token, 1-based). */
  start(node: JNode): number {
    const pos = node.position ?? 0
    switch (node.type) {
      case "path":
        return node.steps !== undefined && node.steps[0] !== undefined ? this.start(node.steps[0]) : pos
      case "name": {
        const len = String(node.value).length
        return this.cx.src.charAt(pos - 1) === "`" ? pos - len - 2 : pos - len
      }
      case "variable":
        return pos - String(node.value).length - 1
      case "function":
      case "partial":
        return node.procedure !== undefined ? this.start(node.procedure) : pos
      case "binary":
      case "bind":
      case "apply":
        return pos - String(node.value).length
      case "lambda":
        return pos - "function(".length
      case "descendant":
        return pos - 2
      case "string": {
        const quoteChar = this.cx.src.charAt(pos - 1)
        const open = quoteChar === '"' || quoteChar === "'" ? this.cx.src.lastIndexOf(quoteChar, pos - 2) : -1
        return open >= 0 ? open : pos - 1
      }
      case "number":
      case "value":
        return pos - String(node.value).length
      default:
        return pos - 1
    }
  }

  /** Lowers one field expression (a top-level `$x := ...` is a one-statement block). */
  lowerRoot(node: JNode): Node {
    if (node.type === "bind") return this.lowerBlock({ type: "block", expressions: [node], position: node.position })
    return this.lower(node)
  }

  lower(node: JNode): Node {
    const lowered = this.lowerNode(node)
    if (node.type !== "path" && node.type !== "name" && node.predicate !== undefined && node.predicate.length > 0) {
      return { k: "filtered", node: lowered, stages: this.stages(node.predicate) }
    }
    return lowered
  }

  private checkCommon(node: JNode): boolean {
    if (node.group !== undefined) {
      this.unsupported({ type: "group", position: node.group.position ?? node.position }, "Grouping `expr{key: value}`", "build objects with `fields` (or `.{...}` per item) instead of grouping")
      return false
    }
    if (node.focus !== undefined || node.index !== undefined || node.ancestor !== undefined || node.tuple === true) {
      this.unsupported(node, "Context/positional variable binding (`@$v`, `#$i`) or the parent operator `%`", "use `$$` for the mapping input and paths relative to the item")
      return false
    }
    if (node.type !== "path" && node.keepArray === true) {
      this.unsupported(node, "`[]` on a non-path expression", "apply `[]` to a path step, e.g. `OrderItems[]`, or wrap the value in `[ ... ]`")
      return false
    }
    return true
  }

  private lowerNode(node: JNode): Node {
    if (!this.checkCommon(node)) return LIT_NULL
    switch (node.type) {
      case "string":
      case "number":
      case "value":
        return { k: "lit", value: node.value as string | number | boolean | null }
      case "path":
        return this.lowerPath(node)
      case "name":
        return { k: "name", key: String(node.value) }
      case "variable":
        return this.lowerVariable(node)
      case "binary":
        return this.lowerBinary(node)
      case "unary":
        return this.lowerUnary(node)
      case "condition":
        return {
          k: "cond",
          test: this.lower(node.condition as JNode),
          then: this.lower(node.then as JNode),
          else: node.else === undefined ? undefined : this.lower(node.else)
        }
      case "block":
        return this.lowerBlock(node)
      case "function":
        return this.lowerCall(node, [])
      case "apply": {
        const rhs = node.rhs as JNode
        if (rhs.type === "partial") return this.lowerNode(rhs)
        if (rhs.type !== "function") {
          return this.unsupported(node, "`~>` with a function value on the right", "write the call form: `value ~> $fn(args)`")
        }
        return this.lowerCall(rhs, [node.lhs as JNode])
      }
      case "bind":
        return this.unsupported(node, "A `:=` binding inside an expression", "bind variables as statements of a block: `($total := ...; $total * 2)`")
      case "lambda":
        if (node.thunk === true && node.body !== undefined && node.body.type === "function") {
          // jsonata's tail-call optimisation wraps a lambda body's tail call in a thunk
          return this.lowerCall(node.body, [], true)
        }
        return this.unsupported(node, "A function value here", "lambdas can be passed to $map/$filter or bound with `:=` and called")
      case "wildcard":
        return this.unsupported(node, "The wildcard `*`", "name the properties you need explicitly")
      case "descendant":
        return this.unsupported(node, "The descendant operator `**`", "write the full path to the property")
      case "parent":
        return this.unsupported(node, "The parent operator `%`", "use `$$` (the mapping input) to reach outside the current item")
      case "regex":
        return this.unsupported(node, "A regular expression", "use $contains, $substringBefore/$substringAfter or $split with a string")
      case "transform":
        return this.unsupported(node, "The transform operator `|...|...|`", "build the target object with `fields` instead")
      case "partial":
        return this.unsupported(node, "Partial application `$f(?, x)`", "pass a lambda: `function($v) { $f($v, x) }`")
      case "sort":
        return this.unsupported(node, "Order-by `^(...)`", "emit items in source order and sort downstream")
      default:
        return this.unsupported(node, `The construct '${node.type}'`, "rewrite the expression with paths, operators and built-in functions")
    }
  }

  private lowerVariable(node: JNode): Node {
    const name = String(node.value)
    if (name === "") return { k: "ctx" }
    if (name === "$") return { k: "root" }
    const binding = this.resolve(node, name)
    if (binding === undefined) {
      return this.error(MappingErrorCode.Unsupported, this.start(node), `Variable $${name} is not bound`, "bind it in an enclosing block with `:=` before use; `$` is the current item and `$$` the mapping input")
    }
    if (binding.kind === "lambda") {
      return this.unsupported(node, `Using the function $${name} as a value`, `call it: $${name}(...), or pass it to $map/$filter`)
    }
    return { k: "var", id: binding.id }
  }

  private resolve(node: JNode, name: string): Binding | undefined {
    let crossedLambda = false
    for (let s = this.scope; s !== undefined; s = s.parent) {
      const b = s.bound.get(name)
      if (b !== undefined) return b
      // Outside lambdas, statements run in order: a name bound later in the block still means the
      // outer binding here. Inside a lambda it would depend on when the lambda is called.
      if (s.pending.has(name) && crossedLambda) {
        this.error(MappingErrorCode.Unsupported, this.start(node), `$${name} is used before the statement that binds it in the same block`, "move the `:=` binding before the first use (recursive lambdas are not compiled)")
        return { id: "undefined", kind: "value" }
      }
      if (s.lambda) crossedLambda = true
    }
    return undefined
  }

  private stages(list: NonNullable<JNode["stages"]>): Stage[] {
    const out: Stage[] = []
    for (const stage of list) {
      if (stage.type !== "filter" || stage.expr === undefined) {
        this.unsupported({ type: stage.type, position: stage.position }, "Positional binding `#$i`", "use a predicate on the item instead")
        continue
      }
      if (stage.expr.type === "number") out.push({ k: "index", n: stage.expr.value as number })
      else out.push({ k: "pred", node: this.lower(stage.expr) })
    }
    return out
  }

  private lowerPath(node: JNode): Node {
    const steps = node.steps ?? []
    const out: Step[] = []
    steps.forEach((step, i) => {
      if (step.keepArray === true && step.type !== "name") {
        this.unsupported(step, "`[]` on a non-name step", "apply `[]` to a named step, e.g. `OrderItems[]`")
      }
      if (step.type === "sort") {
        this.unsupported(step, "Order-by `^(...)`", "emit items in source order and sort downstream")
        return
      }
      if (!this.checkCommon({ ...step, keepArray: false })) return
      let inner: Node
      if (step.type === "name") inner = { k: "name", key: String(step.value) }
      else if (step.type === "variable" && i > 0) inner = this.lowerVariable(step)
      else inner = this.lowerNode({ ...step, keepArray: false })
      if (step.predicate !== undefined && step.predicate.length > 0) {
        inner = { k: "filtered", node: inner, stages: this.stages(step.predicate) }
      }
      out.push({
        node: inner,
        stages: this.stages(step.stages ?? []),
        cons: step.type === "unary" && step.value === "[" && step.consarray === true
      })
    })
    return {
      k: "path",
      steps: out,
      keepArray: node.keepSingletonArray === true,
      fromVariable: steps[0]?.type === "variable"
    }
  }

  private lowerBinary(node: JNode): Node {
    const op = String(node.value)
    const lhs = node.lhs as JNode
    const rhs = node.rhs as JNode
    switch (op) {
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return { k: "arith", op, l: this.lower(lhs), r: this.lower(rhs) }
      case "<":
      case "<=":
      case ">":
      case ">=":
        return { k: "cmp", op, l: this.lower(lhs), r: this.lower(rhs) }
      case "=":
      case "!=":
        return { k: "eq", negate: op === "!=", l: this.lower(lhs), r: this.lower(rhs) }
      case "and":
      case "or":
        return { k: "logic", op, l: this.lower(lhs), r: this.lower(rhs) }
      case "&":
        return { k: "concat", l: this.lower(lhs), r: this.lower(rhs) }
      case "in":
        return { k: "in", l: this.lower(lhs), r: this.lower(rhs) }
      case "..":
        return this.unsupported(node, "A range outside an array constructor", "write the range inside brackets: `[1..5]`")
      default:
        return this.unsupported(node, `The operator '${op}'`, "use paths, arithmetic, comparisons, `&`, `and`/`or`, `in` and `? :`")
    }
  }

  private lowerUnary(node: JNode): Node {
    switch (node.value) {
      case "-":
        return { k: "neg", node: this.lower(node.expression as JNode) }
      case "[":
        return {
          k: "array",
          cons: node.consarray === true,
          items: (node.expressions ?? []).map((item) => {
            if (item.type === "binary" && item.value === "..") {
              return {
                node: { k: "range", l: this.lower(item.lhs as JNode), r: this.lower(item.rhs as JNode) } as Node,
                nested: false
              }
            }
            return { node: this.lower(item), nested: item.type === "unary" && item.value === "[" }
          })
        }
      case "{": {
        const pairs = (node.lhs ?? []) as ReadonlyArray<readonly [JNode, JNode]>
        const entries: Array<{ key: string; value: Node }> = []
        const seen = new Set<string>()
        for (const [key, value] of pairs) {
          if (key.type !== "string") {
            this.unsupported(key, "A computed object key", "object keys must be string literals; for dynamic shapes use the field tree")
            continue
          }
          const k = String(key.value)
          if (seen.has(k)) {
            this.error(MappingErrorCode.Unsupported, this.start(key), `Duplicate object key ${quote(k)}`, "each key may appear once (JSONata rejects this at runtime with D1009)")
            continue
          }
          if (k === "_jsonata_lambda" || k === "_jsonata_function") {
            this.error(MappingErrorCode.Unsupported, this.start(key), `The object key ${quote(k)} is reserved by JSONata`, "rename the key")
            continue
          }
          seen.add(k)
          entries.push({ key: k, value: this.lower(value) })
        }
        return { k: "object", entries }
      }
      default:
        return this.unsupported(node, `The unary operator '${String(node.value)}'`, "use `-` for negation")
    }
  }

  private lowerBlock(node: JNode): Node {
    const expressions = node.expressions ?? []
    const scope: Scope = { parent: this.scope, bound: new Map(), pending: new Set(), lambda: false }
    for (const e of expressions) if (e.type === "bind") scope.pending.add(String((e.lhs as JNode).value))
    this.scope = scope
    const items: BlockItem[] = []
    try {
      for (const e of expressions) {
        if (e.type !== "bind") {
          items.push({ k: "expr", node: this.lower(e) })
          continue
        }
        const target = e.lhs as JNode
        const name = String(target.value)
        const rhs = e.rhs as JNode
        if (name === "" || name === "$") {
          this.unsupported(target, "Rebinding `$` or `$$`", "bind a new variable name")
          continue
        }
        if (scope.bound.has(name)) {
          this.error(MappingErrorCode.Unsupported, this.start(target), `$${name} is bound twice in the same block`, "use a new variable name for the second value")
          continue
        }
        const id = this.cx.fresh(rhs.type === "lambda" ? "f" : "v")
        const value = rhs.type === "lambda" ? this.lowerLambda(rhs) : this.lower(rhs)
        scope.pending.delete(name)
        scope.bound.set(name, { id, kind: rhs.type === "lambda" ? "lambda" : "value" })
        items.push({ k: "bind", id, value })
        // A binding's value is also the statement's value (JSONata returns it).
      }
    } finally {
      this.scope = scope.parent
    }
    return { k: "block", items }
  }

  private lowerLambda(node: JNode): Node {
    if (node.signature !== undefined) {
      return this.unsupported(node, "A lambda signature `<...>`", "drop the signature; argument types are checked by the built-ins")
    }
    const scope: Scope = { parent: this.scope, bound: new Map(), pending: new Set(), lambda: true }
    const params: string[] = []
    for (const p of node.arguments ?? []) {
      const id = this.cx.fresh("p")
      params.push(id)
      scope.bound.set(String(p.value), { id, kind: "value" })
    }
    this.scope = scope
    try {
      const lambda: Lambda = { params, body: this.lower(node.body as JNode) }
      return { k: "fn", lambda }
    } finally {
      this.scope = scope.parent
    }
  }

  private lowerCall(node: JNode, prefix: ReadonlyArray<JNode>, tail = false): Node {
    const proc = node.procedure as JNode
    const argNodes = [...prefix, ...(node.arguments ?? [])]
    if (proc.type !== "variable") {
      return this.unsupported(node, "Calling something other than a named function", "call a built-in such as `$uppercase(x)`, or a lambda bound with `:=`")
    }
    const name = String(proc.value)
    // A variable bound in scope shadows built-ins, as in JSONata.
    let crossed = false
    for (let s = this.scope; s !== undefined; s = s.parent) {
      if (s.bound.has(name) || (s.pending.has(name) && crossed)) {
        const binding = this.resolve(proc, name)
        if (binding === undefined) return LIT_NULL
        if (binding.kind !== "lambda") {
          return this.error(MappingErrorCode.Unsupported, this.start(proc), `$${name} is not a function`, "only lambdas bound with `:=` can be called")
        }
        return { k: "invoke", id: binding.id, args: argNodes.map((a) => this.lowerArg(a)), tail }
      }
      if (s.lambda) crossed = true
    }
    if (tail && (name === "map" || name === "filter" || name === "keys")) {
      // JSONata's tail-call trampoline hands this sequence back without normalising it (a one-item
      // result stays an array until some later step unwraps it), which the compiled value model omits.
      return this.error(
        MappingErrorCode.Unsupported,
        this.start(proc),
        `$${name}() as the result of a lambda is not supported by the mapping compiler`,
        `bind it first and return the variable: \`function($v) { ($r := $${name}(...); $r) }\`, or use a path such as \`items.(expr)\``
      )
    }
    if (name === "lookup") return this.lowerLookup(node, proc, argNodes)
    if (name === "map" || name === "filter") {
      if (argNodes.length !== 2) {
        return this.error(MappingErrorCode.Unsupported, this.start(proc), `$${name} takes an array and a function`, `write $${name}(items, function($v) { ... })`)
      }
      const [arr, f] = argNodes as [JNode, JNode]
      const fn = f.type === "lambda" ? this.lowerLambda(f) : f.type === "variable" ? this.lambdaVar(f) : this.unsupported(f, `This function argument of $${name}`, "pass a lambda: `function($v) { ... }`")
      return { k: "hof", fn: name, arr: this.lower(arr), f: fn }
    }
    if ((name === "toMillis" || name === "fromMillis") && argNodes.length > 1) {
      return this.error(
        MappingErrorCode.Unsupported,
        this.start(proc),
        `$${name}() with a picture or time zone is not supported by the mapping compiler`,
        `use the ISO 8601 default: $${name}(value), then $substring/$substringBefore for parts of it`
      )
    }
    if (SUPPORTED_FUNCTIONS.includes(name)) {
      return { k: "call", fn: name, args: argNodes.map((a) => this.lowerArg(a)), tail }
    }
    const rejected = REJECTED_FUNCTIONS[name]
    if (rejected !== undefined) {
      return this.error(MappingErrorCode.Unsupported, this.start(proc), `$${name}() is not supported by the mapping compiler`, rejected)
    }
    const suggestion = didYouMean(name, SUPPORTED_FUNCTIONS)
    return this.error(
      MappingErrorCode.UnknownFunction,
      this.start(proc),
      `Unknown function $${quote(name).slice(1, -1)}`,
      suggestion !== undefined ? `did you mean $${suggestion}?` : `supported functions: ${SUPPORTED_FUNCTIONS.map((f) => "$" + f).join(", ")}`
    )
  }

  private lambdaVar(node: JNode): Node {
    const name = String(node.value)
    const binding = this.resolve(node, name)
    if (binding === undefined || binding.kind !== "lambda") {
      return this.unsupported(node, "This function argument", "pass a lambda: `function($v) { ... }` or a variable bound to one")
    }
    return { k: "var", id: binding.id }
  }

  private lowerArg(node: JNode): Node {
    if (node.type === "lambda") return this.unsupported(node, "A lambda argument to this function", "lambdas are accepted by $map and $filter")
    if (node.type === "variable" && node.value !== "" && node.value !== "$") {
      const binding = this.resolve(node, String(node.value))
      if (binding?.kind === "lambda") return this.unsupported(node, "A function argument to this function", "lambdas are accepted by $map and $filter")
    }
    return this.lower(node)
  }

  private lowerLookup(node: JNode, proc: JNode, args: ReadonlyArray<JNode>): Node {
    if (args.length < 2 || args.length > 3) {
      return this.error(MappingErrorCode.Unsupported, this.start(proc), "$lookup takes a table name, a key and an optional default", "write $lookup('uom', UnitCode) or $lookup('uom', UnitCode, 'EA')")
    }
    const [tableArg, key, dflt] = args as [JNode, JNode, JNode | undefined]
    if (tableArg.type !== "string") {
      return this.unsupported(tableArg, "A computed $lookup table name", "name the table with a string literal: $lookup('uom', ...)")
    }
    const table = String(tableArg.value)
    if (!this.cx.tables.has(table)) {
      const suggestion = didYouMean(table, this.cx.tables)
      return this.error(
        MappingErrorCode.UnknownTable,
        this.start(tableArg),
        `Unknown lookup table ${quote(table)}`,
        suggestion !== undefined
          ? `did you mean '${suggestion}'?`
          : this.cx.tables.size > 0
            ? `declared tables: ${[...this.cx.tables].sort((a, b) => a.localeCompare(b, "en-US")).join(", ")}`
            : "declare it under spec.tables"
      )
    }
    return { k: "lookup", table, key: this.lowerArg(key), dflt: dflt === undefined ? undefined : this.lowerArg(dflt) }
  }
}
