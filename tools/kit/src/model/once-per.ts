/**
 * `compute`, run once for each key object and remembered for as long as that object lives.
 *
 * Renderers and rules ask lab-wide questions per host or per service ("who is the reverse
 * proxy", "which routes exist", "who mounts this dataset"). Searching the whole lab for every
 * answer made a lab of N services cost N² (500 hosts x 40 services rendered in 14 s); computed
 * once per lab and looked up, it costs N. A lab (and each host) is immutable once loaded: a
 * change makes a new object, which gets its own answers.
 */
export function oncePer<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
