// Parse: YAML text -> documents that keep a range for every node, so any later phase can point at
// file:line:col from a JSON path. Multi-document files, anchors/aliases and duplicate keys are handled.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from "yaml"
import type { Document, Node as YamlNode } from "yaml"
import type { Diagnostic, Range } from "../diagnostics/diagnostic.ts"
import { WHOLE_FILE } from "../diagnostics/diagnostic.ts"
import { catalogEntry } from "../diagnostics/catalog.ts"
import type { SourceFile } from "../source/source.ts"

export type JsonPath = ReadonlyArray<string | number>

export interface ParsedDocument {
  readonly file: string
  /** 0-based index of the document within its file. */
  readonly index: number
  /** The document as plain data (aliases expanded). */
  readonly value: unknown
  /** The YAML had errors: `value` is the parser's best effort, good only for naming the document. */
  readonly broken?: boolean
  /** Range of the node at `path`; with `key: true`, of the mapping key naming it. Falls back to the deepest node found. */
  readonly locate: (path: JsonPath, key?: boolean) => Range
  /** Range of character `offset` (0-based) inside the string scalar at `path` (for expression errors). */
  readonly locateIn: (path: JsonPath, offset: number, length?: number) => Range
}

export interface ParseResult {
  readonly documents: ReadonlyArray<ParsedDocument>
  readonly diagnostics: ReadonlyArray<Diagnostic>
  /** (parseJson) The text is strict JSON without a repeated key: its one document is JSON.parse of the text (see jsonDocument). */
  readonly strictJson?: true
}

/** Whether a value contains itself (a recursive alias such as `&a [1, *a]`). */
const isCyclic = (value: unknown): boolean => {
  const onPath = new Set<object>()
  const visit = (v: unknown): boolean => {
    if (typeof v !== "object" || v === null) return false
    if (onPath.has(v)) return true
    onPath.add(v)
    const found = Array.isArray(v) ? v.some(visit) : Object.values(v).some(visit)
    onPath.delete(v)
    return found
  }
  return visit(value)
}

/** Limits alias expansion (defends against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000

const rangeAt = (lc: LineCounter, start: number, end: number): Range => {
  const a = lc.linePos(start)
  const b = lc.linePos(Math.max(start, end))
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col }
}

export const diagnosticAt = (
  code: string,
  message: string,
  file: string,
  range: Range,
  extra?: { hint?: string | undefined; path?: string | undefined; severity?: Diagnostic["severity"] }
): Diagnostic => ({
  code,
  severity: extra?.severity ?? catalogEntry(code).severity,
  message,
  file,
  ...range,
  ...(extra?.hint ? { hint: extra.hint } : {}),
  ...(extra?.path ? { path: extra.path } : {})
})

const keyText = (key: unknown): string | undefined =>
  isScalar(key) ? String(key.value) : typeof key === "string" || typeof key === "number" ? String(key) : undefined

/** Finds the node at `path`, following aliases; returns the deepest node reached and the key node of the last pair. */
const walk = (doc: Document, path: JsonPath): { node: YamlNode | null; key: YamlNode | null } => {
  let node: YamlNode | null = doc.contents as YamlNode | null
  let key: YamlNode | null = null
  for (const step of path) {
    while (node && isAlias(node)) node = node.resolve(doc) ?? null
    if (!node) break
    if (isMap(node) && typeof step === "string") {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === step)
      if (!pair) break
      key = (pair.key as YamlNode | null) ?? null
      node = (pair.value as YamlNode | null) ?? key
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step] as YamlNode | undefined
      if (!item) break
      key = null
      node = item
    } else break
  }
  return { node, key }
}

const docDiagnostics = (doc: Document, file: string, lc: LineCounter): Diagnostic[] => {
  const out: Diagnostic[] = []
  for (const err of doc.errors) {
    const [start, end] = err.pos
    const code = err.code === "DUPLICATE_KEY" ? "TL1002" : "TL1001"
    const message =
      code === "TL1002"
        ? "duplicate key: a mapping may hold each key only once"
        : `YAML syntax error: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`
    out.push(diagnosticAt(code, message, file, rangeAt(lc, start, end)))
  }
  // Keys must be plain scalars: a list or mapping as a key has no JSON form.
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as YamlNode | null
      if (key && isCollection(key) && key.range) {
        out.push(diagnosticAt("TL1008", "a mapping key must be a plain value, not a list or mapping", file, rangeAt(lc, key.range[0], key.range[1])))
      }
    }
  })
  for (const w of doc.warnings) {
    const [start, end] = w.pos
    out.push(diagnosticAt("TL1007", `YAML warning: ${w.message.split("\n")[0]}`, file, rangeAt(lc, start, end)))
  }
  return out
}

export const parseYaml = (source: SourceFile): ParseResult => {
  const lc = new LineCounter()
  // A UTF-8 byte-order mark is not part of the document.
  const text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: "silent" })
  const documents: ParsedDocument[] = []
  const diagnostics: Diagnostic[] = []
  const list = Array.isArray(docs) ? docs : []
  if (!Array.isArray(docs)) {
    // An empty stream: parseAllDocuments returns an EmptyStream.
    diagnostics.push(diagnosticAt("TL1006", "the file holds no YAML document", source.path, WHOLE_FILE))
    return { documents, diagnostics }
  }
  let tree: Document[] | undefined
  const fileTree = (): Document[] => {
    tree ??= (parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true, logLevel: "silent" }) as unknown as Document[]) ?? []
    return Array.isArray(tree) ? tree : []
  }
  let index = 0
  for (const doc of list) {
    const found = docDiagnostics(doc, source.path, lc)
    diagnostics.push(...found)
    const i = index++
    if (doc.contents === null && found.length === 0) continue // an empty document between separators
    const broken = found.some((d) => d.severity === "error")
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (cause) {
      if (broken) continue
      const range = doc.range ? rangeAt(lc, doc.range[0], doc.range[1]) : WHOLE_FILE
      const tooMany = cause instanceof Error && /alias/i.test(cause.message)
      diagnostics.push(
        tooMany
          ? diagnosticAt("TL1004", `aliases expand beyond ${MAX_ALIAS_COUNT} nodes`, source.path, range)
          : diagnosticAt("TL1001", `YAML error: ${cause instanceof Error ? cause.message : String(cause)}`, source.path, range)
      )
      continue
    }
    if (!broken && isCyclic(value)) {
      const range = doc.range ? rangeAt(lc, doc.range[0], doc.range[1]) : WHOLE_FILE
      diagnostics.push(diagnosticAt("TL1009", "an alias refers to a node that contains it, so the document never ends", source.path, range))
      continue
    }
    // The syntax tree is not kept: most documents never need a position. The first `locate` on any
    // document of this file parses the file again, once, and keeps that tree.
    const docAt = (): Document => fileTree()[i]!
    const locate = (path: JsonPath, key = false): Range => {
      const d = docAt()
      const { node, key: keyNode } = walk(d, path)
      const target = key && keyNode ? keyNode : node
      const r = target?.range ?? d.range
      return r ? rangeAt(lc, r[0], r[1]) : WHOLE_FILE
    }
    const locateIn = (path: JsonPath, offset: number, length = 1): Range => {
      const { node } = walk(docAt(), path)
      if (!node || !isScalar(node) || !node.range || typeof node.value !== "string") return locate(path)
      const [start, end] = node.range
      const raw = text.slice(start, end)
      const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE"
      // Plain and quoted single-line scalars map 1:1 (escapes aside); block scalars fall back to the node.
      if ((node.type === "PLAIN" || quoted) && !raw.includes("\n")) {
        const from = Math.min(end, start + (quoted ? 1 : 0) + Math.max(0, offset))
        return rangeAt(lc, from, Math.min(end, from + Math.max(1, length)))
      }
      return locate(path)
    }
    documents.push({ file: source.path, index: i, value, locate, locateIn, ...(broken ? { broken } : {}) })
  }
  if (list.length === 0 || (documents.length === 0 && diagnostics.length === 0)) {
    diagnostics.push(diagnosticAt("TL1006", "the file holds no YAML document", source.path, WHOLE_FILE))
  }
  return { documents, diagnostics }
}

/** JSON files (payload schemas, fixtures): parsed as YAML 1.2 (a superset of JSON) to keep ranges, after a strict JSON check. */
export const parseJson = (source: SourceFile): ParseResult => {
  const text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text
  try {
    JSON.parse(text)
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause)
    const m = /position (\d+)/.exec(message)
    const lc = new LineCounter()
    let offset = 0
    for (const line of text.split("\n")) {
      lc.addNewLine(offset)
      offset += line.length + 1
    }
    const pos = m ? Number(m[1]) : 0
    return {
      documents: [],
      diagnostics: [diagnosticAt("TL1005", `JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, "")}`, source.path, rangeAt(lc, pos, pos + 1))]
    }
  }
  if (hasDuplicateKey(text)) return parseYaml({ path: source.path, text })
  return { documents: [jsonDocument(source)], diagnostics: [], strictJson: true }
}

/**
 * The document of a strict JSON file (no syntax error, no repeated key: parseJson's `strictJson`). The
 * value comes from JSON.parse; the YAML parse that ranges need (it is ~100× slower on large payload
 * schemas) happens only when something asks where a node is.
 */
export const jsonDocument = (source: SourceFile): ParsedDocument => {
  const text = source.text.charCodeAt(0) === 0xfeff ? source.text.slice(1) : source.text
  let full: ParsedDocument | null | undefined
  const ranged = (): ParsedDocument | null => (full ??= parseYaml({ path: source.path, text }).documents[0] ?? null)
  // The value is JSON.parse of the text, parsed when first read (a payload schema seen before may never be).
  let value: { readonly v: unknown } | undefined
  const doc: ParsedDocument = {
    file: source.path,
    index: 0,
    get value(): unknown {
      value ??= { v: JSON.parse(text) as unknown }
      return value.v
    },
    locate: (path, key) => ranged()?.locate(path, key) ?? WHOLE_FILE,
    locateIn: (path, offset, length) => ranged()?.locateIn(path, offset, length) ?? WHOLE_FILE
  }
  jsonTexts.set(doc, text)
  return doc
}

const jsonTexts = new WeakMap<ParsedDocument, string>()

/**
 * Whether a document's value is a JSON object (not an array, null or scalar), without parsing it when it
 * is a jsonDocument (strict JSON: its value is an object exactly when the text's first non-blank character
 * is `{`); undefined for any other document.
 */
export const jsonObjectDocument = (doc: ParsedDocument): boolean | undefined => {
  const text = jsonTexts.get(doc)
  if (text === undefined) return undefined
  const first = /[^ \t\n\r]/.exec(text)
  return first !== null && first[0] === "{"
}

/**
 * A document of a YAML file whose value is known (from the validate cache): ranges come from parsing
 * the file when something first asks where a node is, once per file (`parsed` is shared by its documents).
 */
export const restoredDocument = (
  source: SourceFile,
  index: number,
  value: unknown,
  broken: boolean,
  parsed: () => ParseResult
): ParsedDocument => {
  let full: ParsedDocument | null | undefined
  const ranged = (): ParsedDocument | null => (full ??= parsed().documents.find((d) => d.index === index) ?? null)
  return {
    file: source.path,
    index,
    value,
    ...(broken ? { broken } : {}),
    locate: (path, key) => ranged()?.locate(path, key) ?? WHOLE_FILE,
    locateIn: (path, offset, length) => ranged()?.locateIn(path, offset, length) ?? WHOLE_FILE
  }
}

/** Whether a valid JSON text repeats a key within one object (JSON.parse silently keeps the last). */
const hasDuplicateKey = (text: string): boolean => {
  const stack: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      let j = i + 1
      let escaped = false
      while (j < text.length && text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c) {
          escaped = true
          j += 2
        } else j++
      }
      const top = stack[stack.length - 1]
      if (top && expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j)
        if (top.has(key)) return true
        top.add(key)
        expectKey = false
      }
      i = j
    } else if (c === 0x7b) {
      stack.push(new Set())
      expectKey = true
    } else if (c === 0x5b) stack.push(null)
    else if (c === 0x7d || c === 0x5d) {
      stack.pop()
      expectKey = false
    } else if (c === 0x2c) expectKey = (stack[stack.length - 1] ?? null) !== null
  }
  return false
}
