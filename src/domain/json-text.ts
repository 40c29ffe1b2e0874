// The JSON text of a value, computed once per request: validation measures a body's serialized size
// (the `x-max-bytes` keyword, plugins/validation.ts) and the repository stores that same text, so
// the text the size was checked on is the text stored, and the body is serialized once, not twice.
// Remembered per object (weakly: it goes with the request's body). The contract: a body object is not
// changed once validated (bodies are validated without coercion, defaults or removal of properties, and
// no hook rewrites them); code that derives a new value builds a new object, which gets its own text.

const texts = new WeakMap<object, string>()

/** JSON.stringify(value), remembered for an object until the object is gone. */
export function jsonText (value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? ''
  let text = texts.get(value)
  if (text === undefined) {
    text = JSON.stringify(value)
    texts.set(value, text)
  }
  return text
}
