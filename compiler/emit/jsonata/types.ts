// Public types of the mapping compiler (compiler/emit/jsonata).
import type { Either } from "effect"

/** A field rule: a JSONata expression, a nested object, or an array built `each` over items. */
export type FieldRule = string | { readonly fields: FieldTree; readonly each?: string | undefined }

/** Target field name -> rule. Keys are arbitrary strings (they are never turned into identifiers). */
export interface FieldTree {
  readonly [target: string]: FieldRule
}

/** A crosswalk declared in the spec: `tables: { uom: { EA: each } }`. */
export interface LookupTables {
  readonly [table: string]: { readonly [key: string]: string | number | boolean }
}

/** A type imported by the generated module: `import type { <name> } from "<from>"`. */
export interface TypeRef {
  /** A TypeScript identifier. */
  readonly name: string
  /** Module specifier, emitted as an escaped string literal. */
  readonly from: string
}

export interface MappingCompileInput {
  /** `metadata.name` of the Mapping document. */
  readonly name: string
  /** `spec.fields`. */
  readonly fields: FieldTree
  /** `spec.tables`. */
  readonly tables?: LookupTables | undefined
  /** Input type of `apply`; `unknown` when absent. */
  readonly inputType?: TypeRef | undefined
  /** Output type of `apply`; `Record<string, unknown>` when absent. */
  readonly outputType?: TypeRef | undefined
  /** Module specifier of runtime/mapping as seen from the generated file, e.g. `../../runtime/mapping/index.ts`. */
  readonly runtimeImport: string
}

/** Stable error codes of the mapping compiler (band TL41xx: emit / mappings). */
export const MappingErrorCode = {
  /** A JSONata construct outside the compiled subset. */
  Unsupported: "TL4101",
  /** The expression is not valid JSONata. */
  Syntax: "TL4102",
  /** A function that is neither a JSONata built-in nor `$lookup`. */
  UnknownFunction: "TL4103",
  /** `$lookup` names a table the spec does not declare. */
  UnknownTable: "TL4104",
  /** The compile input itself is unusable (type name not an identifier, reserved field name, ...). */
  InvalidInput: "TL4105"
} as const
export type MappingErrorCode = (typeof MappingErrorCode)[keyof typeof MappingErrorCode]

export interface MappingCompileError {
  readonly code: MappingErrorCode
  readonly message: string
  readonly hint?: string | undefined
  /**
   * Where the expression sits in the spec, as keys from `spec.fields`: `["total"]`,
   * `["lines", "each"]`, `["lines", "fields", "sku"]`. Empty for errors about the input as a whole.
   */
  readonly fieldPath: ReadonlyArray<string>
  /** 0-based offset of the offending token in the expression string (0 when not about an expression). */
  readonly exprOffset: number
}

export type CompileResult = Either.Either<{ readonly code: string }, ReadonlyArray<MappingCompileError>>
