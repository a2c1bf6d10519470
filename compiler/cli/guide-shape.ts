// The EDI engine's description of a guide's structured JSON, used to check EDI mappings' field paths.
import type { GuideShape } from "../model/shapes.ts"

export const guideShape: GuideShape | undefined = undefined
