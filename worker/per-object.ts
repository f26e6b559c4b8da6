// One value per object, made on first use and kept as long as the object lives: for what an
// isolate derives from objects that never change while it runs (its env's vars, a D1 binding),
// so that hot paths do not re-parse or re-build it on every request.
export function perObject<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    if (made.has(key)) return made.get(key)!;
    const value = make(key);
    made.set(key, value);
    return value;
  };
}
