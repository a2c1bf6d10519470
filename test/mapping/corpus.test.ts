// (1) Corpus: every supported construct, compiled and compared with the jsonata interpreter on every
// input of INPUTS. A difference is a compiler bug.
import { describe, expect, it } from "vitest"
import { agree, compile, interpreter, run, show } from "./harness.ts"
import { INPUTS } from "./inputs.ts"

const TABLES = { uom: { EA: "each", CA: "case", "1": "one", true: "yes" }, status: { Shipped: "shipped", Pending: "open" } }

export const CORPUS: ReadonlyArray<string> = [
  // literals
  '"amazon"',
  "'single'",
  "42",
  "-1.5",
  "true",
  "null",
  "1e3",
  // paths
  "AmazonOrderId",
  "OrderTotal.Amount",
  "OrderItems.SellerSKU",
  "OrderItems.ItemPrice.Amount",
  "OrderItems.PromotionIds",
  "OrderItems.SerialNumbers",
  "PaymentMethodDetails",
  "`AmazonOrderId`",
  "constructor",
  "toString",
  "__proto__.x",
  "OrderItems.constructor",
  "Missing.Deeper.Still",
  "$",
  "$.AmazonOrderId",
  "$$.OrderItems.SellerSKU",
  "OrderItems.$",
  "OrderItems.($.SellerSKU)",
  // predicates
  "OrderItems[0]",
  "OrderItems[0].SellerSKU",
  "OrderItems[-1].SellerSKU",
  "OrderItems[1].PromotionIds[0]",
  "OrderItems.PromotionIds[0]",
  "OrderItems[QuantityOrdered > 1].SellerSKU",
  "OrderItems[QuantityOrdered > 1][0].SellerSKU",
  "OrderItems[Unit = 'EA'].ASIN",
  "OrderItems[SerialNumbers]",
  "OrderItems[$.QuantityOrdered = 2]",
  "OrderItems[[0, 2]].SellerSKU",
  "OrderItems[QuantityOrdered - 1].SellerSKU",
  "PaymentMethodDetails[0]",
  "PaymentMethodDetails[$ = 'CreditCard']",
  "OrderItems.SellerSKU[0]",
  "OrderItems.SellerSKU[]",
  "OrderItems[]",
  "AmazonOrderId[]",
  "OrderItems[true]",
  // arithmetic and comparisons
  "NumberOfItemsShipped + 1",
  "NumberOfItemsShipped * 2 - 1",
  "OrderItems[0].QuantityOrdered / 4",
  "OrderItems[1].QuantityOrdered % 2",
  "-NumberOfItemsShipped",
  "$number(OrderTotal.Amount) * 100",
  "OrderItems.QuantityOrdered + 1",
  "NumberOfItemsShipped > 0",
  "NumberOfItemsShipped <= 1",
  "OrderStatus < 'Z'",
  "OrderStatus >= AmazonOrderId",
  "OrderStatus = 'Shipped'",
  "OrderStatus != 'Shipped'",
  "OrderItems.SellerSKU = 'NABeta'",
  "PaymentMethodDetails = ['CreditCard', 'GiftCertificate']",
  "BuyerInfo = {}",
  "'CreditCard' in PaymentMethodDetails",
  "OrderStatus in ['Shipped', 'Pending']",
  // boolean logic and conditionals
  "IsPrime and IsBusinessOrder",
  "IsPrime or IsBusinessOrder",
  "OrderItems and BuyerInfo",
  "IsPrime ? 'prime' : 'standard'",
  "OrderStatus = 'Shipped' ? 'done' : OrderStatus = 'Pending' ? 'open' : 'other'",
  "BuyerInfo.BuyerEmail ? BuyerInfo.BuyerEmail",
  "$not(IsPrime)",
  "$boolean(OrderItems)",
  "$exists(BuyerInfo.BuyerEmail)",
  // strings
  "AmazonOrderId & '-' & OrderStatus",
  "'n=' & NumberOfItemsShipped",
  "'total ' & $number(OrderTotal.Amount) / 3",
  "OrderItems.SellerSKU & '!'",
  "$string(OrderTotal)",
  "$string(0.1 + 0.2)",
  "$string(OrderItems.QuantityOrdered)",
  "$string(IsPrime)",
  "$string()",
  "$uppercase(BuyerInfo.BuyerName)",
  "$lowercase(OrderStatus)",
  "$trim(OrderItems[1].Title)",
  "$substring(AmazonOrderId, 4)",
  "$substring(AmazonOrderId, 0, 3)",
  "$substring(AmazonOrderId, -7, 4)",
  "$substringBefore(AmazonOrderId, '-')",
  "$substringAfter(AmazonOrderId, '-')",
  "$length(BuyerInfo.BuyerName)",
  "$pad(OrderStatus, 10, '*')",
  "$pad(OrderStatus, -10)",
  "$contains(BuyerInfo.BuyerEmail, '@')",
  "$split(AmazonOrderId, '-')",
  "$split(AmazonOrderId, '-', 2)[1]",
  "$join(PaymentMethodDetails, ', ')",
  "$join(OrderItems.SellerSKU)",
  "$replace(AmazonOrderId, '-', '/')",
  "$replace(BuyerInfo.BuyerName, 'o', '0', 1)",
  "AmazonOrderId ~> $substringBefore('-')",
  "BuyerInfo.BuyerName ~> $uppercase()",
  // numbers
  "$number(OrderTotal.Amount)",
  "$number('0x1F')",
  "$number(IsPrime)",
  "$round(2.5)",
  "$round($number(OrderTotal.Amount) / 3, 2)",
  "$floor(3.7)",
  "$ceil(OrderItems[0].QuantityOrdered / 2)",
  "$abs(-NumberOfItemsShipped)",
  "$sqrt(16)",
  "$power(2, NumberOfItemsShipped)",
  "$sum(OrderItems.QuantityOrdered)",
  "$sum(OrderItems.($number(ItemPrice.Amount) * QuantityOrdered))",
  "$count(OrderItems)",
  "$count(OrderItems.PromotionIds)",
  "$max(OrderItems.QuantityOrdered)",
  "$min(OrderItems.QuantityOrdered)",
  "$average(OrderItems.QuantityOrdered)",
  // dates
  "$toMillis(PurchaseDate)",
  "$fromMillis($toMillis(PurchaseDate) + 86400000)",
  "$fromMillis(0)",
  // arrays and objects
  "[1, 2, 3]",
  "[AmazonOrderId, OrderStatus]",
  "[OrderItems.SellerSKU]",
  "[[1, 2], [3]]",
  "[1..4]",
  "[0..NumberOfItemsShipped]",
  "[]",
  '{"id": AmazonOrderId, "n": $count(OrderItems)}',
  '{"nested": {"deep": BuyerInfo.BuyerEmail}}',
  'OrderItems.{"sku": SellerSKU, "qty": QuantityOrdered}',
  'OrderItems[0].{"sku": SellerSKU}',
  "OrderItems.[SellerSKU, ASIN]",
  "[1, 2].($ * 2)",
  "$append(PaymentMethodDetails, 'Extra')",
  "$reverse(OrderItems.SellerSKU)",
  "$keys(BuyerInfo)",
  "$keys(OrderItems)",
  "$merge([OrderTotal, BuyerInfo])",
  "$type(OrderItems)",
  "$type(NumberOfItemsShipped)",
  // lookups
  "$lookup('uom', OrderItems[0].Unit)",
  "$lookup('uom', OrderItems[2].Unit, 'each')",
  "$lookup('status', OrderStatus, 'unknown')",
  "$lookup('uom', 1)",
  "$lookup('uom', true)",
  "OrderItems.$lookup('uom', Unit, 'each')",
  // blocks, variables and lambdas
  "($n := $count(OrderItems); $n * 2)",
  "($a := 1; $b := $a + 1; [$a, $b])",
  "($total := $sum(OrderItems.QuantityOrdered); OrderItems.(QuantityOrdered / $total))",
  "$map(OrderItems, function($i) { $i.SellerSKU & '@' & $i.QuantityOrdered })",
  "$map(OrderItems, function($i, $n) { $n })",
  "$filter(OrderItems, function($i) { $i.QuantityOrdered > 1 }).SellerSKU",
  "($double := function($x) { $x * 2 }; $double(NumberOfItemsShipped))",
  "($f := function($i) { $i.QuantityOrdered >= 2 }; $filter(OrderItems, $f).ASIN)",
  "$map([1, 2, 3], function($v) { $v + $$.NumberOfItemsShipped })",
  "/* a comment */ AmazonOrderId",
  // errors the interpreter raises too
  "OrderStatus + 1",
  "$number(BuyerInfo.BuyerName)",
  "$uppercase(NumberOfItemsShipped)",
  "OrderStatus > 1"
]

const inputs = INPUTS

describe("corpus: compiled == interpreted", () => {
  it("has at least 80 expressions", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(80)
  })

  it.each(CORPUS.map((e) => [e]))("%s", async (expr) => {
    const fields = { v: expr }
    const compiled = compile(fields, TABLES)
    const interp = interpreter(fields, TABLES)
    const failures: string[] = []
    for (const input of inputs) {
      const a = run(compiled.apply, input)
      const b = await interp.evaluate(input)
      if (b.mutated === true) continue // jsonata's own input mutation (see harness.ts)
      if (!agree(a, b, true)) failures.push(`input ${JSON.stringify(input).slice(0, 60)}\n  compiled:    ${show(a)}\n  interpreted: ${show(b)}`)
    }
    expect(failures, failures.join("\n")).toEqual([])
  })
})
