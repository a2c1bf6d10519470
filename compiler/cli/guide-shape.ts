// The EDI engine's description of a guide's structured JSON, used to check EDI mappings' field paths.
import type { GuideShape } from "../model/shapes.ts"
import { checkGuide, guideJsonSchema } from "../../runtime/edi/index.ts"
import type { Guide } from "../../runtime/edi/index.ts"

export const guideShape: GuideShape = (spec) => guideJsonSchema(spec as Guide) as { readonly [key: string]: unknown }

export const guideCheck = (spec: unknown): ReadonlyArray<string> => checkGuide(spec as Guide)

/** The EDI hooks validate and compile take. */
export const ediHooks = { guideShape, guideCheck }
