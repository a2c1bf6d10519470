// Input documents shared by the differential suites: an Amazon-shaped order, and shapes chosen to hit
// JSONata's sequence rules (singleton arrays, nested arrays, missing and mistyped fields, array roots).
export const ORDER = {
  AmazonOrderId: "902-3159896-1390916",
  PurchaseDate: "2017-01-20T19:49:35Z",
  OrderStatus: "Shipped",
  IsPrime: false,
  IsBusinessOrder: true,
  NumberOfItemsShipped: 1,
  OrderTotal: { CurrencyCode: "USD", Amount: "100.50" },
  PaymentMethodDetails: ["CreditCard", "GiftCertificate"],
  ShippingAddress: { Name: "Michigan address", AddressLine1: "1 Cross St.", City: "Canton", StateOrRegion: "MI", PostalCode: "48817" },
  BuyerInfo: { BuyerEmail: "user@example.com", BuyerName: "John Doe", PurchaseOrderNumber: "1234567890123" },
  OrderItems: [
    { ASIN: "BT0093TELA", SellerSKU: "CBA_OTF_1", Title: "Example item", QuantityOrdered: 1, QuantityShipped: 1, Unit: "EA", ItemPrice: { CurrencyCode: "USD", Amount: "25.99" }, PromotionIds: ["A", "B"], SerialNumbers: ["854"] },
    { ASIN: "BCTU1104UEFB", SellerSKU: "CBA_OTF_5", Title: "  Second   item ", QuantityOrdered: 3, Unit: "CA", ItemPrice: { CurrencyCode: "USD", Amount: "17.95" }, PromotionIds: ["FREESHIP"] },
    { ASIN: "B00551Q3CS", SellerSKU: "NABeta", QuantityOrdered: 2, ItemPrice: { CurrencyCode: "USD", Amount: "10.00" } }
  ]
}

export const INPUTS: ReadonlyArray<unknown> = [
  ORDER,
  // one item, not wrapped in an array; numbers where strings are expected
  { AmazonOrderId: 42, OrderStatus: "Pending", IsPrime: true, OrderTotal: { Amount: 7 }, OrderItems: { SellerSKU: "ONE", QuantityOrdered: 5, ItemPrice: { Amount: "1.5" }, PromotionIds: [] } },
  // singleton arrays and nested arrays
  { AmazonOrderId: ["X"], OrderItems: [[{ SellerSKU: "N1", QuantityOrdered: 1 }], [{ SellerSKU: "N2", QuantityOrdered: 2 }, { SellerSKU: "N3" }]], PaymentMethodDetails: [] },
  // empty and null values
  { AmazonOrderId: "", OrderStatus: null, OrderItems: [], OrderTotal: null, BuyerInfo: {} },
  {},
  // array roots
  [ORDER, { AmazonOrderId: "second", OrderItems: [{ SellerSKU: "S", QuantityOrdered: 4 }] }],
  [],
  // prototype-named keys are plain data
  JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "toString": 5, "AmazonOrderId": "p", "OrderItems": [{"constructor": "k", "SellerSKU": "P"}]}') as unknown,
  // scalars as the whole input
  "just a string",
  7
]
