/**
 * Internal consistency of one list-append transaction: each read of a key must equal the
 * previous read of that key plus the transaction's own appends since, and a first read
 * after own appends must end with those appends.
 */
import type { Txn, Value } from "./txn.ts";

/** True when every read of `t` agrees with its own earlier reads and appends. */
export function checkListInternal(t: Txn): boolean {
  if (!touchesAKeyTwice(t)) return true;
  const known = new Map<Value, Value[]>();
  const ownSinceStart = new Map<Value, Value[]>();
  for (const m of t.mops) {
    if (m.f === "append") {
      known.get(m.key)?.push(m.value);
      (ownSinceStart.get(m.key) ?? ownSinceStart.set(m.key, []).get(m.key)!).push(m.value);
    } else if (m.f === "r" && (Array.isArray(m.value) || m.value === null)) {
      const value = (m.value ?? []) as readonly Value[];
      const expected = known.get(m.key);
      if (expected) {
        if (!sameList(expected, value)) return false;
      } else {
        const own = ownSinceStart.get(m.key) ?? [];
        if (value.length < own.length || !sameList(own, value.slice(value.length - own.length))) return false;
      }
      known.set(m.key, [...value]);
    }
  }
  return true;
}

function sameList(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// Most transactions touch each key once; only a read after another op on its key can disagree.
function touchesAKeyTwice(t: Txn): boolean {
  const mops = t.mops;
  if (mops.length > 8) return true;
  for (let j = 1; j < mops.length; j++) {
    if (mops[j].f !== "r") continue;
    for (let i = 0; i < j; i++) if (mops[i].key === mops[j].key) return true;
  }
  return false;
}
