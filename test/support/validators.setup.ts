// For every test file: the compiled validators read CommonJS helpers as `cjs.default` (Node's ESM interop);
// vitest's module runner hands the function itself, so give it Node's shape here. Node (tsx, `tradelane
// run`) needs nothing of the kind.
import { vi } from "vitest"

vi.mock("ajv/dist/runtime/ucs2length.js", async (original) => {
  const m = (await original()) as { default: unknown }
  const fn = (m.default as { default?: unknown }).default ?? m.default
  return { default: { default: fn } }
})
