// One parser for every JSONata expression in the specs (mapping fields, flow keys and conditions), with
// a bounded memo: the same text parses to the same tree, and the checks and the compilers all ask.
// Trees are shared: callers must not mutate them.
import jsonata from "jsonata"

export type ExpressionAst = { readonly type: string; readonly position?: number; readonly [key: string]: unknown }

export interface ExpressionSyntaxError {
  readonly code?: string
  readonly position?: number
  readonly token?: string
  readonly message: string
}

export type Parsed = { readonly ast: ExpressionAst } | { readonly error: ExpressionSyntaxError }

const MAX_ENTRIES = 100_000
const memo = new Map<string, Parsed>()

export const parseExpression = (src: string): Parsed => {
  const hit = memo.get(src)
  if (hit !== undefined) return hit
  let parsed: Parsed
  try {
    parsed = { ast: jsonata(src).ast() as unknown as ExpressionAst }
  } catch (cause) {
    const e = (typeof cause === "object" && cause !== null ? cause : {}) as Partial<ExpressionSyntaxError>
    parsed = { error: { message: typeof e.message === "string" ? e.message : String(cause), ...(e.code !== undefined ? { code: e.code } : {}), ...(typeof e.position === "number" ? { position: e.position } : {}), ...(typeof e.token === "string" ? { token: e.token } : {}) } }
  }
  if (memo.size >= MAX_ENTRIES) memo.clear()
  memo.set(src, parsed)
  return parsed
}
