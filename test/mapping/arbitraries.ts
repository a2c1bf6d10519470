// fast-check arbitraries: JSON documents over a small key pool (so paths hit), and JSONata expressions
// from a grammar of the compiled subset.
import fc from "fast-check"
import type { FieldTree } from "../../compiler/emit/jsonata/index.ts"

export const KEYS = ["a", "b", "c", "d"] as const

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 5 }),
  fc.constantFrom(0.5, -1.25, 2.75),
  fc.constantFrom("x", "y", "", "A-B", "2"),
  fc.boolean(),
  fc.constant(null)
)

/** JSON values whose objects use KEYS, with arrays (also nested and singleton) at every level. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 })
  )
})).value

export const jsonDocument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), jsonValue, { minKeys: 1, maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...KEYS), jsonValue, { maxKeys: 3 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: jsonValue }
)

const name = fc.constantFrom(...KEYS)
const literal = fc.oneof(
  fc.integer({ min: -2, max: 4 }).map(String),
  fc.constantFrom("'x'", '"y"', "''", "true", "false", "null", "0.5")
)

const predicate = (expr: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom("[0]", "[1]", "[-1]", "[]"),
    expr.map((e) => `[${e}]`)
  )

const FUNCTIONS1 = [
  "$string",
  "$count",
  "$exists",
  "$boolean",
  "$not",
  "$sum",
  "$uppercase",
  "$lowercase",
  "$length",
  "$trim",
  "$abs",
  "$floor",
  "$number",
  "$max",
  "$min",
  "$average",
  "$keys",
  "$reverse",
  "$type"
]

/** Expressions of the compiled subset; `depth` bounds nesting. */
export const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string; path: string; step: string }>((tie) => ({
  step: fc.tuple(name, fc.option(predicate(tie("expr")), { freq: 4 })).map(([n, p]) => n + (p ?? "")),
  path: fc.oneof(
    fc.array(tie("step"), { minLength: 1, maxLength: 3 }).map((steps) => steps.join(".")),
    fc.tuple(fc.constantFrom("$", "$$"), fc.array(tie("step"), { minLength: 1, maxLength: 2 })).map(([v, s]) => `${v}.${s.join(".")}`)
  ),
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    tie("path"),
    tie("path"),
    fc.constantFrom("$", "$$"),
    fc
      .tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "and", "or", "&", "in"), tie("expr"))
      .map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(tie("expr"), tie("expr"), fc.option(tie("expr"))).map(([c, t, e]) => (e === null ? `(${c} ? ${t})` : `(${c} ? ${t} : ${e})`)),
    tie("expr").map((e) => `-(${e})`),
    fc.tuple(fc.constantFrom(...FUNCTIONS1), tie("expr")).map(([f, e]) => `${f}(${e})`),
    fc.tuple(tie("expr"), fc.integer({ min: -3, max: 3 }), fc.option(fc.integer({ min: -1, max: 3 }))).map(([e, s, l]) =>
      l === null ? `$substring(${e}, ${s})` : `$substring(${e}, ${s}, ${l})`
    ),
    fc.tuple(tie("expr"), fc.constantFrom("','", "''")).map(([e, sep]) => `$join(${e}, ${sep})`),
    fc.tuple(tie("expr"), fc.constantFrom(0, 1)).map(([e, p]) => `$round(${e}, ${p})`),
    fc.tuple(tie("expr"), fc.constantFrom("'-'", "'x'")).map(([e, s]) => `$substringBefore(${e}, ${s})`),
    fc.tuple(tie("expr"), fc.constantFrom("'-'", "'x'")).map(([e, s]) => `$contains(${e}, ${s})`),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => `$append(${a}, ${b})`),
    fc.array(tie("expr"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    fc.tuple(fc.integer({ min: -1, max: 2 }), fc.integer({ min: -1, max: 3 })).map(([a, b]) => `[${a}..${b}]`),
    fc.tuple(name, tie("expr"), tie("expr")).map(([k, a, b]) => `{"${k}": ${a}, "z": ${b}}`),
    fc.tuple(tie("path"), tie("expr")).map(([p, e]) => `${p}.(${e})`),
    fc.tuple(tie("path"), name, tie("expr")).map(([p, k, e]) => `${p}.{"${k}": ${e}}`),
    fc.tuple(tie("expr"), tie("expr")).map(([v, body]) => `($v := ${v}; ${body.replace(/\$\$/g, "$v")})`),
    fc.tuple(tie("path"), tie("expr")).map(([p, e]) => `$map(${p}, function($i) { ${e.replace(/\$\$/g, "$i")} })`),
    fc.tuple(tie("path"), tie("expr")).map(([p, e]) => `$filter(${p}, function($i, $n) { ${e.replace(/\$\$/g, "$i")} })`),
    fc.tuple(tie("expr"), fc.constantFrom("['x', 'y']", "'x'")).map(([k, d]) => `$lookup('t', ${k}, ${d})`)
  )
})).expr

const FIELD_NAMES = ["f", "g", "h", "0", "__proto__", "k y"]

const treeOfDepth = (depth: number): fc.Arbitrary<FieldTree> => {
  const rule: fc.Arbitrary<unknown> =
    depth === 0
      ? expression
      : fc.oneof(
          { weight: 3, arbitrary: expression },
          { weight: 1, arbitrary: treeOfDepth(depth - 1).map((fields) => ({ fields })) },
          { weight: 1, arbitrary: fc.tuple(expression, treeOfDepth(depth - 1)).map(([each, fields]) => ({ each, fields })) }
        )
  return fc.dictionary(fc.constantFrom(...FIELD_NAMES), rule, { minKeys: 1, maxKeys: 3 }) as fc.Arbitrary<FieldTree>
}

/** Field trees (at most three levels): expressions, nested objects and `each` arrays. */
export const fieldTree: fc.Arbitrary<FieldTree> = treeOfDepth(2)

export const TABLES = { t: { x: "X!", y: 2, "1": true, true: "T" } }
