// Digests of model values that are a pure function of a file's text (a payload schema is JSON.parse of
// its file), registered by validate when it has hashed that text anyway (the validate cache). Emit keys
// such a value by its digest instead of serializing it again. The model is never mutated after
// validate, so a registered digest stays true for the value's lifetime.
const digests = new WeakMap<object, string>()

export const registerDigest = (value: unknown, digest: string): void => {
  if (typeof value === "object" && value !== null) digests.set(value, digest)
}

export const digestOf = (value: unknown): string | undefined => (typeof value === "object" && value !== null ? digests.get(value) : undefined)

// The same for a document whose value is parsed when first asked for (parse/yaml.ts's jsonDocument): the
// digest of its value is known without parsing it, so that a payload schema seen before is never parsed
// unless a check or an emitter reads it (model/build.ts: a PayloadSchema's `doc` is such a document).
const documentDigests = new WeakMap<object, string>()

export const registerDocumentDigest = (doc: object, digest: string): void => void documentDigests.set(doc, digest)

export const documentDigestOf = (doc: object): string | undefined => documentDigests.get(doc)
