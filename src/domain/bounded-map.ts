// The one eviction rule of the service's small in-process memos (verified tokens, user-key digests, audit
// pseudonyms): a Map in use order, whose oldest entry is forgotten first.

/** Sets `key` as `map`'s newest entry, first forgetting its oldest when it already holds `limit` others. */
export function setNewest<K, V> (map: Map<K, V>, key: K, value: V, limit: number): void {
  if (!map.delete(key) && map.size >= limit) map.delete(map.keys().next().value as K)
  map.set(key, value)
}
