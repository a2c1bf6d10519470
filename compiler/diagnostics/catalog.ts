// The catalog of diagnostic codes. Codes are stable: a code is never reused for another meaning.
// Bands: TL1 parse · TL2 schema · TL3 reference · TL4 mapping · TL5 semantic · TL6 policy · TL7 security
// · TL8 emit · TL9 usage. `tradelane explain <code>` prints an entry; docs/diagnostics.md lists them all.
import type { Severity } from "./diagnostic.ts"

export interface CatalogEntry {
  readonly code: string
  readonly title: string
  readonly severity: Severity
  /** What it means and how to fix it; shown by `tradelane explain`. */
  readonly explanation: string
  readonly example?: string
}

export const BANDS: ReadonlyArray<readonly [prefix: string, name: string]> = [
  ["TL1", "parse"],
  ["TL2", "schema"],
  ["TL3", "reference"],
  ["TL4", "mapping"],
  ["TL5", "semantic"],
  ["TL6", "policy"],
  ["TL7", "security"],
  ["TL8", "emit"],
  ["TL9", "usage"]
]

const e = (code: string, title: string, severity: Severity, explanation: string, example?: string): CatalogEntry =>
  example === undefined ? { code, title, severity, explanation } : { code, title, severity, explanation, example }

const entries: ReadonlyArray<CatalogEntry> = [
  // TL1 parse
  e("TL1001", "YAML syntax error", "error", "The file is not valid YAML. The position points at the first character the parser could not accept.", "spec: { name: x"),
  e("TL1002", "duplicate key", "error", "A mapping has the same key twice. YAML keeps only one of them, so one value would be silently lost; remove or rename one.", "metadata:\n  name: a\n  name: b"),
  e("TL1003", "document is not a mapping", "error", "Each spec document must be a YAML mapping with apiVersion, kind, metadata and spec."),
  e("TL1004", "too many aliases", "error", "The document expands aliases beyond the safe limit (a 'billion laughs' document). Write the values out or use fewer aliases."),
  e("TL1005", "JSON syntax error", "error", "A JSON file (a partner payload schema or a fixture) is not valid JSON."),
  e("TL1006", "empty file", "warning", "The file holds no YAML document. Delete it or add a spec."),
  e("TL1007", "YAML warning", "warning", "The YAML parser accepted the file but something in it is likely a mistake (for example an unresolved tag)."),
  e("TL1008", "complex mapping key", "error", "A mapping key is a list or a mapping. Spec keys are plain strings."),
  e("TL1009", "recursive alias", "error", "An alias refers to a node that contains it (&a [1, *a]), so the document has no finite value."),
  // TL2 schema
  e("TL2001", "unknown kind", "error", "`kind` must be one of Partner, Guide, CanonicalEntity, Mapping, EventTaxonomy, Lifecycle, Flow, SLO, Reconciliation, Policy.", "kind: Mapings"),
  e("TL2002", "unsupported apiVersion", "error", "`apiVersion` must be tradelane/v1."),
  e("TL2003", "unknown key", "error", "The schema of this kind does not allow this key. Specs are strict so that a misspelt key is an error and not silently ignored.", "spec:\n  criticallity: high"),
  e("TL2004", "missing required key", "error", "A key the kind requires is absent."),
  e("TL2005", "wrong type", "error", "The value has the wrong type (for example a string where a list is expected)."),
  e("TL2006", "value not allowed", "error", "The value is not one of the allowed values."),
  e("TL2007", "value does not match the expected format", "error", "The value does not match the pattern or format the schema requires (names, durations, URIs, cron, entity references such as order@1)."),
  e("TL2008", "value out of bounds", "error", "A number, string length or list length is outside the allowed bounds."),
  e("TL2009", "ambiguous or incomplete choice", "error", "Exactly one of several alternatives must be given (for example a mapping end is one of entity, schema or guide; a flow step has exactly one action)."),
  e("TL2010", "duplicate list item", "error", "A list that must hold distinct values repeats one."),
  e("TL2011", "invalid embedded JSON Schema", "error", "A canonical entity's schema or a partner payload schema is not a valid draft-07 JSON Schema."),
  // TL3 reference
  e("TL3001", "duplicate name", "error", "Two documents of the same kind share a name (for canonical entities: the same name and version). Names identify documents across the organisation."),
  e("TL3002", "unknown partner", "error", "The partner named here does not exist."),
  e("TL3003", "unknown mapping", "error", "The mapping named here does not exist."),
  e("TL3004", "unknown guide", "error", "The EDI guide named here does not exist."),
  e("TL3005", "unknown canonical entity", "error", "No CanonicalEntity has this name and major version."),
  e("TL3006", "unknown event type", "error", "The event type is not declared in any EventTaxonomy."),
  e("TL3007", "unknown flow", "error", "The flow named here does not exist."),
  e("TL3008", "unknown partner schema", "error", "The partner does not declare a payload schema with this name (Partner spec.schemas)."),
  e("TL3009", "unknown operation", "error", "The partner does not declare this HTTP operation (Partner spec.http.operations)."),
  e("TL3010", "schema file not found", "error", "A partner declares a payload schema file that does not exist; paths are relative to the partner folder."),
  e("TL3011", "unknown system", "error", "Owners and producers name a partner or 'tradelane'."),
  e("TL3012", "unknown webhook topic", "error", "The partner's webhook does not declare this topic."),
  e("TL3013", "document not declared by the partner", "error", "The EDI partner does not declare this document (Partner spec.edi.documents) in the needed direction."),
  e("TL3014", "unknown state", "error", "A lifecycle transition or initial state names a state that is not declared."),
  // TL4 mapping
  e("TL4001", "unknown target field", "error", "The mapping writes a field the target schema does not have.", "fields:\n  qtyy: QuantityOrdered   # target has 'quantity'"),
  e("TL4002", "unknown source path", "error", "An expression reads a path the source schema does not have; it would always be empty."),
  e("TL4003", "incompatible value type", "error", "The expression's type cannot be the target field's type (for example a string into a number field). Convert it explicitly ($number, $string, $boolean)."),
  e("TL4004", "required target field not mapped", "error", "The target schema requires this field and the mapping does not produce it."),
  e("TL4005", "shape mismatch", "error", "`each` builds a list and `fields` builds an object: the target field must be an array (for each) or an object (for fields)."),
  e("TL4006", "unknown lookup table", "error", "$lookup names a table the mapping does not declare in spec.tables."),
  e("TL4101", "unsupported expression construct", "error", "The construct is outside the JSONata subset tradelane compiles ahead of time. The hint says what to write instead."),
  e("TL4102", "expression syntax error", "error", "The JSONata expression does not parse."),
  e("TL4103", "unknown function", "error", "The expression calls a function that is neither a supported JSONata built-in nor $lookup."),
  e("TL4104", "unknown lookup table in expression", "error", "The expression's $lookup names a table that spec.tables does not declare."),
  // TL5 semantic
  e("TL5001", "transition owned twice", "error", "A lifecycle transition (from, to) is declared more than once; each transition has exactly one owning system."),
  e("TL5002", "unreachable state", "error", "No chain of transitions leads from the initial state to this state."),
  e("TL5003", "event not produced by the owner", "error", "The transition's event must be produced by the system that owns the transition (EventTaxonomy producers)."),
  e("TL5004", "dead-end state", "warning", "A state that is not terminal has no outgoing transition, so work would stop there."),
  e("TL5005", "guide does not cover the document", "error", "The guide a partner declares for a document is for another transaction set."),
  e("TL5006", "EDI document without a guide", "error", "Every EDI document a partner exchanges needs a guide that describes it."),
  e("TL5007", "duplicate step id", "error", "Step ids are unique within a flow."),
  e("TL5008", "wrong partner type", "error", "The step or trigger needs another type of partner (route needs a warehouse, send/acknowledge an EDI partner, webhook a partner with spec.webhook, call a partner with spec.http)."),
  e("TL5009", "payload type does not chain", "error", "A step's mapping expects another input than the flow carries at that point (the trigger's payload or the previous step's output)."),
  e("TL5010", "duplicate event type", "error", "An event type and version are declared twice across the taxonomies."),
  e("TL5011", "event key not in payload", "error", "The event's business key is not a field of its payload entity."),
  e("TL5012", "SLO threshold exceeds window", "error", "A latency threshold as long as the SLO window cannot be measured."),
  e("TL5013", "flow has no trigger source", "error", "A flow triggered by an event needs some flow or system that produces that event."),
  e("TL5014", "inconsistent guide", "error", "A guide's structure does not hold together: a loop that does not start with its own segment, a qualifier on another segment's element, an HL loop without a level, two nodes claiming one JSON key, a repeating segment without a name."),
  // TL6 policy
  e("TL6001", "flow without owners", "error", "Policy flow-has-owner: every flow names its owners in metadata.owners."),
  e("TL6002", "partner without owners", "error", "Policy partner-has-owner: every partner names its owners in metadata.owners."),
  e("TL6003", "flow without SLO", "error", "Policy flow-has-slo: every flow is the target of at least one SLO."),
  e("TL6004", "critical flow without dead letter", "error", "Policy critical-flow-dead-letter: flows of the listed criticalities must enable spec.deadLetter."),
  e("TL6005", "breaking change without a major version", "error", "Policy breaking-change-requires-major: a breaking change to a canonical entity or event needs a new major version, an event type .vN, or the policy's waiver label on the pull request."),
  e("TL6006", "partner owners not requested", "warning", "Policy partner-owners-review: a change to a partner folder must request that partner's owners as reviewers."),
  // TL7 security
  e("TL7001", "literal secret", "error", "Secrets are referenced, never written: use { env: NAME } and provide the value to the runtime's environment.", "secret: shpss_0123456789abcdef"),
  e("TL7002", "value looks like a secret", "error", "A value looks like a credential (a private key, an access key, a token). Move it to the environment and reference it with { env: NAME }."),
  // TL8 emit
  e("TL8001", "generated file drifted", "error", "compile --check: a file under generated/ differs from what the specs produce. Run tradelane compile and commit the result."),
  e("TL8002", "generated file missing", "error", "compile --check: a file the specs produce is missing under generated/."),
  e("TL8003", "extra generated file", "error", "compile --check: a file under generated/ is not produced by the specs any more."),
  // TL9 usage
  e("TL9001", "path not found", "error", "A path given on the command line does not exist."),
  e("TL9002", "no spec files", "warning", "No .yaml or .yml files were found under the given paths.")
]

export const CATALOG: ReadonlyMap<string, CatalogEntry> = new Map(entries.map((x) => [x.code, x]))

export const catalogEntry = (code: string): CatalogEntry => {
  const entry = CATALOG.get(code)
  if (entry === undefined) throw new Error(`diagnostic code ${code} is not in the catalog`)
  return entry
}

export const bandOf = (code: string): string => BANDS.find(([p]) => code.startsWith(p))?.[1] ?? "other"

/** docs/diagnostics.md, generated from the catalog. */
export const renderCatalogMarkdown = (): string => {
  const lines: string[] = [
    "# Diagnostics",
    "",
    "<!-- Generated from compiler/diagnostics/catalog.ts by `tradelane explain --all`. Do not edit. -->",
    "",
    "Every finding has the shape `{ code, severity, message, file, line, column, endLine, endColumn, hint? }`.",
    "Codes are stable and grouped in bands. `tradelane explain <code>` prints one entry.",
    ""
  ]
  for (const [prefix, band] of BANDS) {
    const inBand = entries.filter((x) => x.code.startsWith(prefix))
    if (inBand.length === 0) continue
    lines.push(`## ${prefix}xxx — ${band}`, "", "| code | severity | title | meaning |", "| --- | --- | --- | --- |")
    for (const x of inBand) lines.push(`| ${x.code} | ${x.severity} | ${x.title} | ${x.explanation.replace(/\|/g, "\\|")} |`)
    lines.push("")
  }
  return lines.join("\n")
}
