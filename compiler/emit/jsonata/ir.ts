// The mapping compiler's IR: the supported subset of JSONata with names resolved. Produced by lower.ts
// from the jsonata parser's AST, consumed by emit.ts. Every node is a value-producing expression whose
// result is "normalised" the way the interpreter's evaluate() normalises: never a sequence of 0 or 1.

export type Literal = string | number | boolean | null

export type Stage = { readonly k: "index"; readonly n: number } | { readonly k: "pred"; readonly node: Node }

export interface Step {
  readonly node: Node
  readonly stages: ReadonlyArray<Stage>
  /** An array constructor at the start or end of a path: its result is never flattened. */
  readonly cons: boolean
}

export interface Lambda {
  /** Generated identifiers of the parameters. */
  readonly params: ReadonlyArray<string>
  readonly body: Node
}

export type BlockItem = { readonly k: "bind"; readonly id: string; readonly value: Node } | { readonly k: "expr"; readonly node: Node }

export type Node =
  | { readonly k: "lit"; readonly value: Literal }
  | { readonly k: "ctx" }
  | { readonly k: "root" }
  | { readonly k: "var"; readonly id: string }
  | { readonly k: "name"; readonly key: string }
  | {
      readonly k: "path"
      readonly steps: ReadonlyArray<Step>
      /** `x[]` somewhere in the path: a singleton result stays an array. */
      readonly keepArray: boolean
      /** The first step is a variable (`$`, `$$`, `$v`): the context is not iterated. */
      readonly fromVariable: boolean
    }
  | { readonly k: "filtered"; readonly node: Node; readonly stages: ReadonlyArray<Stage> }
  | { readonly k: "arith"; readonly op: "+" | "-" | "*" | "/" | "%"; readonly l: Node; readonly r: Node }
  | { readonly k: "cmp"; readonly op: "<" | "<=" | ">" | ">="; readonly l: Node; readonly r: Node }
  | { readonly k: "eq"; readonly negate: boolean; readonly l: Node; readonly r: Node }
  | { readonly k: "in"; readonly l: Node; readonly r: Node }
  | { readonly k: "logic"; readonly op: "and" | "or"; readonly l: Node; readonly r: Node }
  | { readonly k: "concat"; readonly l: Node; readonly r: Node }
  | { readonly k: "neg"; readonly node: Node }
  | { readonly k: "cond"; readonly test: Node; readonly then: Node; readonly else: Node | undefined }
  | {
      readonly k: "array"
      readonly items: ReadonlyArray<{ readonly node: Node; readonly nested: boolean }>
      readonly cons: boolean
    }
  | { readonly k: "range"; readonly l: Node; readonly r: Node }
  | { readonly k: "object"; readonly entries: ReadonlyArray<{ readonly key: string; readonly value: Node }> }
  /**
   * A built-in call. `tail` marks a call in tail position of a lambda body: JSONata runs it through its
   * tail-call trampoline, where the context for argument substitution is the caller's (null from $map).
   */
  | { readonly k: "call"; readonly fn: string; readonly args: ReadonlyArray<Node>; readonly tail: boolean }
  /** A lambda as a value: only as a `$map`/`$filter` argument or the value of a `:=` binding. */
  | { readonly k: "fn"; readonly lambda: Lambda }
  /** `$map(arr, f)` / `$filter(arr, f)`; `f` is a `fn` node or a `var` bound to one. */
  | { readonly k: "hof"; readonly fn: "map" | "filter"; readonly arr: Node; readonly f: Node }
  /** `$f(args)` where `$f` is bound to a lambda. */
  | { readonly k: "invoke"; readonly id: string; readonly args: ReadonlyArray<Node>; readonly tail: boolean }
  | { readonly k: "lookup"; readonly table: string; readonly key: Node; readonly dflt: Node | undefined }
  | { readonly k: "block"; readonly items: ReadonlyArray<BlockItem> }
