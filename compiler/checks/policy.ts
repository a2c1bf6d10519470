// Governance policies checked at validate time (the plan adds the change-time rules: breaking changes
// and reviewers). Each rule reports at the document it is about, with the severity the policy sets.
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.ts"
import type { CheckedDocument } from "../model/build.ts"
import type { Model, PolicyNode } from "../model/model.ts"
import { diagnosticAt } from "../parse/yaml.ts"

export type PolicyRule = PolicyNode["spec"]["rules"][number]

export const policyRules = (model: Model): ReadonlyArray<{ policy: PolicyNode; rule: PolicyRule }> =>
  [...model.policies.values()].flatMap((policy) => policy.spec.rules.map((rule) => ({ policy, rule })))

export const checkPolicies = (model: Model, out: Diagnostic[], documents: ReadonlyArray<CheckedDocument>): void => {
  // Every SLO document counts, valid or not: an SLO with a typo is reported on its own, not as a missing SLO.
  const flowsWithSlo = new Set(
    documents
      .filter((d) => d.kind === "SLO")
      .map((d) => (d.doc.value as { spec?: { flow?: unknown } } | null)?.spec?.flow)
      .filter((f): f is string => typeof f === "string")
  )
  for (const { policy, rule } of policyRules(model)) {
    const severity: Severity = rule.severity
    const by = ` (policy '${policy.name}', rule ${rule.rule})`
    switch (rule.rule) {
      case "flow-has-owner":
        for (const f of model.flows.values())
          if (f.owners.length === 0) out.push(diagnosticAt("TL6001", `flow '${f.name}' has no owners${by}`, f.doc.file, f.doc.locate(["metadata"], true), { severity, hint: "Add metadata.owners: [\"@org/team\"]." }))
        break
      case "partner-has-owner":
        for (const p of model.partners.values())
          if (p.owners.length === 0) out.push(diagnosticAt("TL6002", `partner '${p.name}' has no owners${by}`, p.doc.file, p.doc.locate(["metadata"], true), { severity, hint: "Add metadata.owners: [\"@org/team\"]." }))
        break
      case "flow-has-slo":
        for (const f of model.flows.values())
          if (!flowsWithSlo.has(f.name)) out.push(diagnosticAt("TL6003", `flow '${f.name}' has no SLO${by}`, f.doc.file, f.doc.locate(["metadata", "name"]), { severity, hint: "Add an SLO document with spec.flow: " + f.name + "." }))
        break
      case "critical-flow-dead-letter": {
        const levels = new Set(rule.criticality ?? ["high", "critical"])
        for (const f of model.flows.values())
          if (levels.has(f.spec.criticality) && f.spec.deadLetter?.enabled !== true)
            out.push(diagnosticAt("TL6004", `flow '${f.name}' is ${f.spec.criticality} criticality but has no dead letter${by}`, f.doc.file, f.doc.locate(f.spec.deadLetter ? ["spec", "deadLetter", "enabled"] : ["spec", "criticality"]), { severity, hint: "Add spec.deadLetter: { enabled: true }." }))
        break
      }
      case "breaking-change-requires-major":
      case "partner-owners-review":
        break // change-time rules: checked by `tradelane plan`
    }
  }
}
