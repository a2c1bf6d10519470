// Digests of model values that are a pure function of a file's text (a payload schema is JSON.parse of
// its file), registered by validate when it has hashed that text anyway (the validate cache). Emit keys
// such a value by its digest instead of serializing it again. The model is never mutated after
// validate, so a registered digest stays true for the value's lifetime.
const digests = new WeakMap<object, string>()

export const registerDigest = (value: unknown, digest: string): void => {
  if (typeof value === "object" && value !== null) digests.set(value, digest)
}

export const digestOf = (value: unknown): string | undefined => (typeof value === "object" && value !== null ? digests.get(value) : undefined)
