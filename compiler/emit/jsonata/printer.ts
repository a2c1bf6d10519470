// Text helpers for the emitter: the only places spec text may enter generated code, always as escaped
// literals or sanitised comments.

/** A TypeScript string literal for any string: JSON escaping plus U+2028/U+2029 and `<`/`>` escaped. */
export const jsString = (s: string): string =>
  JSON.stringify(s).replace(/[\u2028\u2029<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** A TypeScript literal for a JSON scalar. */
export const jsLiteral = (v: string | number | boolean | null): string => {
  if (typeof v === "string") return jsString(v)
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`mapping compiler: non-finite literal ${String(v)}`)
    return Object.is(v, -0) ? "-0" : String(v)
  }
  return String(v)
}

/** Text safe inside a `//` comment: printable ASCII kept, everything else as \u{...}. */
export const commentText = (s: string): string =>
  Array.from(s)
    .map((c) => {
      const code = c.codePointAt(0) ?? 0
      return code >= 0x20 && code <= 0x7e && c !== "\\" ? c : `\\u{${code.toString(16)}}`
    })
    .join("")

/** Accumulates indented lines; LF only. */
export class Printer {
  private readonly lines: string[] = []
  private depth = 0

  line(text: string): void {
    this.lines.push(text === "" ? "" : "  ".repeat(this.depth) + text)
  }

  open(text: string): void {
    this.line(text)
    this.depth++
  }

  close(text = "}"): void {
    this.depth--
    this.line(text)
  }

  /** Closes a block and opens the next one on the same line: `} else {`. */
  reopen(text: string): void {
    this.depth--
    this.line(text)
    this.depth++
  }

  text(): string {
    return this.lines.join("\n") + "\n"
  }
}
