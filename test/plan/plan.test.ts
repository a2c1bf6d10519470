// plan against a real git repository: a base commit with the example organisation, and one head commit
// per kind of change. The classified plan (verdicts, impact sets, shadow diffs, findings) is asserted as
// data; a few Markdown renderings are goldens.
import { execFileSync } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ediHooks } from "../../compiler/cli/guide-shape.ts"
import { readTreeAt } from "../../compiler/plan/git.ts"
import type { Plan, PlannedChange } from "../../compiler/plan/index.ts"
import { plan } from "../../compiler/plan/index.ts"
import { COMMENT_LIMIT, renderComment, renderMarkdown } from "../../compiler/plan/render.ts"

const root = join(import.meta.dirname, "..", "..")
let repo = ""
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "tradelane-plan-"))
  cpSync(join(root, "specs"), join(repo, "specs"), { recursive: true })
  cpSync(join(root, "partners"), join(repo, "partners"), { recursive: true })
  git("init", "-q", "-b", "main")
  git("config", "user.email", "ci@example.com")
  git("config", "user.name", "ci")
  git("add", "-A")
  git("commit", "-qm", "base")
  git("tag", "base")
})

afterAll(() => rmSync(repo, { recursive: true, force: true }))

type Edit = readonly [file: string, from: string | RegExp, to: string] | readonly [file: string, text: string | null]

/** Commits `edits` on a branch from base and plans base -> that commit. */
const planOf = (name: string, edits: ReadonlyArray<Edit>, extra: { labels?: string[]; reviewers?: string[] } = {}): Plan => {
  git("checkout", "-q", "-B", name, "base")
  for (const e of edits) {
    const path = join(repo, e[0])
    if (e.length === 3) {
      const before = readFileSync(path, "utf8")
      const after = before.replace(e[1], e[2])
      if (after === before) throw new Error(`edit did not apply to ${e[0]}: ${String(e[1])}`)
      writeFileSync(path, after)
    } else if (e[1] === null) rmSync(path, { recursive: true })
    else {
      mkdirSync(join(path, ".."), { recursive: true })
      writeFileSync(path, e[1])
    }
  }
  git("add", "-A")
  git("commit", "-qm", name)
  const base = readTreeAt(repo, "base")
  const head = readTreeAt(repo, name)
  if (!Array.isArray(base) || !Array.isArray(head)) throw new Error("git read failed")
  return plan({ base: { ref: "base", files: base }, head: { ref: name, files: head }, validate: ediHooks, ...extra })
}

const change = (p: Plan, kind: string, name: string): PlannedChange => {
  const c = p.areas.flatMap((a) => a.changes).find((x) => x.kind === kind && x.name === name)
  if (!c) throw new Error(`no ${kind} ${name} in the plan: ${p.areas.flatMap((a) => a.changes).map((x) => `${x.kind} ${x.name}`).join(", ")}`)
  return c
}

const codes = (p: Plan) => p.findings.map((d) => d.code)

const AMAZON = "partners/amazon-us/mappings/amazon-order-to-order.yaml"
const ORDER = "specs/entities/order.yaml"

describe("tradelane plan", () => {
  it("an unchanged tree plans nothing and the shadow run finds no differences", () => {
    const p = planOf("noop", [["README.txt", "not a spec\n"]])
    expect(p.summary).toEqual({ added: 0, changed: 0, removed: 0, breaking: 0, waived: 0 })
    expect(p.shadow.every((s) => s.changed === 0)).toBe(true)
    expect(p.shadow.reduce((n, s) => n + s.total, 0)).toBeGreaterThanOrEqual(20)
  })

  it("a mapping field changed: expressions before and after, shadow diffs per fixture, impact", () => {
    const p = planOf("unit-price-cents", [[AMAZON, /unitPrice: "(.*)"/, 'unitPrice: "($1) * 100"']])
    const c = change(p, "Mapping", "amazon-order-to-order")
    expect(c.action).toBe("change")
    expect(c.area).toBe("partner/amazon-us")
    expect(c.details).toEqual([
      { path: "spec.fields.lines.fields.unitPrice", before: "$round($number(ItemPrice.Amount) / QuantityOrdered, 4)", after: "($round($number(ItemPrice.Amount) / QuantityOrdered, 4)) * 100" }
    ])
    expect(c.impact.flows).toEqual(["amazon-order-intake"])
    expect(c.impact.slos).toEqual(["amazon-order-ingestion"])
    const amazon = p.shadow.find((s) => s.partner === "amazon-us")!
    expect(amazon.changed).toBeGreaterThanOrEqual(1)
    expect(amazon.changed).toBeLessThan(amazon.total)
    expect(amazon.paths).toEqual(["lines[].unitPrice"])
    const erp = p.shadow.find((s) => s.partner === "erp")!
    expect(erp.changed).toBe(0)
  })

  it("a mapping field added, removed and renamed", () => {
    const p = planOf("fields", [
      [AMAZON, "    poNumber: BuyerInfo.PurchaseOrderNumber\n", ""],
      [AMAZON, "        sku:", "        vendorItemId: ASIN\n        sku:"],
      [AMAZON, "        email: BuyerInfo.BuyerEmail", "        mail: BuyerInfo.BuyerEmail"]
    ])
    const c = change(p, "Mapping", "amazon-order-to-order")
    expect(c.details.map((d) => [d.path, "before" in d, "after" in d])).toEqual([
      ["spec.fields.customer.fields.email", true, false],
      ["spec.fields.customer.fields.mail", false, true],
      ["spec.fields.lines.fields.vendorItemId", false, true],
      ["spec.fields.poNumber", true, false]
    ])
    // The renamed field is not in the canonical order: the head does not validate.
    expect(codes(p)).toContain("TL4001")
  })

  it("an enum narrowed is a breaking change for writers (FORWARD), reported under the policy", () => {
    const p = planOf("enum-narrowed", [[ORDER, "enum: [standard, expedited, next-day, freight]", "enum: [standard, expedited, next-day]"]])
    const c = change(p, "CanonicalEntity", "order@1")
    expect(c.verdict).toMatchObject({ breaking: true, mode: "forward", breaks: ["writers"] })
    expect(c.compatibility?.changes).toEqual([{ path: "serviceLevel", direction: "narrowing", description: 'enum value "freight" removed' }])
    expect(c.impact.mappings).toContain("amazon-order-to-order")
    expect(c.impact.flows).toContain("order-release")
    expect(p.findings.filter((d) => d.code === "TL6005").map((d) => [d.file, d.severity])).toEqual([[ORDER, "error"]])
  })

  it("an enum widened is a breaking change for readers (BACKWARD); a waiver label covers it", () => {
    const p = planOf("enum-widened", [[ORDER, "enum: [standard, expedited, next-day, freight]", "enum: [standard, expedited, next-day, freight, same-day]"]], { labels: ["breaking-change-approved"] })
    const c = change(p, "CanonicalEntity", "order@1")
    expect(c.verdict).toMatchObject({ breaking: true, mode: "backward", breaks: ["readers"], waivedBy: "breaking-change-approved" })
    expect(codes(p)).not.toContain("TL6005")
    expect(p.waivers).toEqual([{ label: "breaking-change-approved", rule: "breaking-change-requires-major", covers: ["CanonicalEntity order@1"] }])
    expect(p.summary).toMatchObject({ breaking: 1, waived: 1 })
  })

  it("a new required field is narrowing; a new major version instead is not breaking", () => {
    const inPlace = planOf("required-added", [[ORDER, "required: [orderId, channel,", "required: [orderId, poNumber, channel,"]])
    expect(change(inPlace, "CanonicalEntity", "order@1").compatibility?.changes).toEqual([{ path: "poNumber", direction: "narrowing", description: "now required" }])
    expect(codes(inPlace)).toContain("TL6005")
    const v2 = readFileSync(join(root, ORDER), "utf8").replace("version: 1", "version: 2").replace("required: [orderId, channel,", "required: [orderId, poNumber, channel,")
    const major = planOf("major-bump", [["specs/entities/order-v2.yaml", v2]])
    expect(change(major, "CanonicalEntity", "order@2").action).toBe("add")
    expect(codes(major)).not.toContain("TL6005")
  })

  it("an event's payload moved to a new major: breaking unless the event type gets a new .vN", () => {
    const v2 = readFileSync(join(root, ORDER), "utf8").replace("version: 1", "version: 2").replace("required: [orderId, channel,", "required: [orderId, poNumber, channel,")
    const events = "specs/events/order-to-cash.yaml"
    const same = planOf("event-payload", [["specs/entities/order-v2.yaml", v2], [events, "      version: 1\n      payload: order@1\n      producers: [tradelane]\n      key: orderId\n      description: A marketplace", "      version: 1\n      payload: order@2\n      producers: [tradelane]\n      key: orderId\n      description: A marketplace"]])
    const c = change(same, "EventTaxonomy", "order.received")
    expect(c.verdict).toMatchObject({ breaking: true, breaks: ["writers"] })
    expect(c.verdict?.requires).toMatch(/order\.received\.v2/)
    expect(same.findings.filter((d) => d.code === "TL6005").map((d) => d.file)).toEqual([events])
    const bumped = planOf("event-version", [["specs/entities/order-v2.yaml", v2], [events, "      version: 1\n      payload: order@1\n      producers: [tradelane]\n      key: orderId\n      description: A marketplace", "      version: 2\n      payload: order@2\n      producers: [tradelane]\n      key: orderId\n      description: A marketplace"]])
    expect(change(bumped, "EventTaxonomy", "order.received").verdict).toBeUndefined()
    expect(bumped.findings.filter((d) => d.code === "TL6005")).toEqual([])
  })

  it("a guide tightened: usage and code-list changes, reaching the EDI mappings and flows", () => {
    const p = planOf("guide-tightened", [["partners/bigbox-retail/guides/850.yaml", "        - { id: REF01, name: qualifier, type: ID, min: 2, max: 3, usage: required }", "        - { id: REF01, name: qualifier, type: ID, min: 2, max: 3, usage: required, codes: [IA, VN] }"]])
    const c = change(p, "Guide", "bigbox-850")
    expect(c.area).toBe("partner/bigbox-retail")
    expect(c.details).toEqual([{ path: "spec.segments[name=references].elements[id=REF01].codes", before: undefined, after: ["IA", "VN"] }].map(({ path, after }) => ({ path, after })))
    expect(c.impact.mappings).toEqual(["bigbox-850-to-order"])
    expect(c.impact.flows).toContain("bigbox-850-intake")
  })

  it("an SLO relaxed", () => {
    const p = planOf("slo-relaxed", [["specs/slos/invoice-sync.yaml", "success: { objective: 99.5 }", "success: { objective: 99 }"]])
    const c = change(p, "SLO", "invoice-sync")
    expect(c.summary).toBe("success 99.5% → 99% (relaxed)")
    expect(c.impact.flows).toEqual([])
  })

  it("an owner removed: the partner-owner policy fails", () => {
    const p = planOf("owner-removed", [["partners/wms/partner.yaml", '  owners: ["@distrib/fulfillment"]\n', ""]])
    expect(change(p, "Partner", "wms").details).toEqual([{ path: "metadata.owners", before: ["@distrib/fulfillment"] }])
    expect(codes(p)).toContain("TL6002")
  })

  it("a partner added and a partner removed: the removed one is reported where it is still referenced", () => {
    const added = readFileSync(join(root, "partners/corner-market/partner.yaml"), "utf8").replace("name: corner-market", "name: corner-market-west")
    const p = planOf("partners", [["partners/corner-market-west/partner.yaml", added], ["partners/bigbox-retail", null]])
    expect(change(p, "Partner", "corner-market-west").action).toBe("add")
    const removed = change(p, "Partner", "bigbox-retail")
    expect(removed.action).toBe("remove")
    expect(removed.stillReferencedBy?.map((r) => r.from)).toEqual(expect.arrayContaining(["Flow/bigbox-850-intake", "Flow/order-acceptance"]))
    expect(codes(p)).toContain("TL3002")
  })

  it("a lifecycle owner changed", () => {
    const p = planOf("lifecycle-owner", [["specs/lifecycles/order.yaml", "{ from: received, to: accepted, owner: erp, event: order.accepted }", "{ from: received, to: accepted, owner: tradelane, event: order.accepted }"]])
    const c = change(p, "Lifecycle", "order")
    expect(c.details).toEqual([{ path: "spec.transitions[received->accepted].owner", before: "erp", after: "tradelane" }])
    expect(c.summary).toBe("1 transition changed owner")
    // order.accepted is produced by the ERP, so the new owner cannot signal it.
    expect(codes(p)).toContain("TL5003")
  })

  it("partner owners must be requested as reviewers when their folder changes", () => {
    const edit: Edit = [AMAZON, /unitPrice: "(.*)"/, 'unitPrice: "($1) * 100"']
    const missing = planOf("review-missing", [edit], { reviewers: ["@someone"] })
    expect(missing.findings.filter((d) => d.code === "TL6006").map((d) => d.file)).toEqual(["partners/amazon-us/partner.yaml"])
    const requested = planOf("review-requested", [edit], { reviewers: ["@distrib/marketplaces"] })
    expect(codes(requested)).not.toContain("TL6006")
  })

  it("renders Markdown goldens and keeps the comment under GitHub's limit", async () => {
    const p = planOf("golden", [
      [AMAZON, /unitPrice: "(.*)"/, 'unitPrice: "($1) * 100"'],
      [ORDER, "enum: [standard, expedited, next-day, freight]", "enum: [standard, expedited, next-day]"]
    ])
    await expect(renderMarkdown(p)).toMatchFileSnapshot(join(import.meta.dirname, "golden", "mapping-and-entity.md"))
    const big: Plan = { ...p, areas: Array.from({ length: 400 }, (_, i) => ({ ...p.areas[0]!, area: `partner/p${i}` })) }
    const comment = renderComment(big)
    expect(comment.length).toBeLessThanOrEqual(65_536)
    expect(comment.length).toBeGreaterThan(COMMENT_LIMIT - 2000)
    expect(comment).toMatch(/Plan truncated/)
    expect((comment.match(/<details>/g) ?? []).length).toBe((comment.match(/<\/details>/g) ?? []).length)
  })
})
