/**
 * The consistency ladder and which anomalies rule out which level. The mapping follows
 * Elle's `direct-proscribed-anomalies` (elle.consistency-model) restricted to the six
 * levels dscheck reports, with implied anomalies expanded:
 *
 * | level               | proscribes (in addition to every weaker level's)             |
 * |---------------------|---------------------------------------------------------------|
 * | read-uncommitted    | G0; duplicate-elements, incompatible-order, garbage-read      |
 * | read-committed      | G1a, G1b, G1c                                                 |
 * | repeatable-read     | G-single, G-nonadjacent, G2-item (any cycle with rw), lost-update |
 * | snapshot-isolation  | internal, G-single, G-nonadjacent, lost-update (not G2-item)  |
 * | serializable        | everything above (G2 = G2-item for item-only histories)        |
 * | strict-serializable | the -process and -realtime variants of G0, G1c, G-single, G2-item |
 *
 * Elle files the version-order faults (duplicates, cyclic versions) under PL-1; dscheck adds
 * garbage reads and incompatible list orders there too, since no Adya history contains them.
 * The levels form a partial order: RU < RC < {RR, SI} < serializable < strict serializable;
 * RR and SI are incomparable (write skew is SI but not RR).
 */
import type { AnomalyType } from "./anomaly.ts";

export const LEVELS = [
  "read-uncommitted",
  "read-committed",
  "repeatable-read",
  "snapshot-isolation",
  "serializable",
  "strict-serializable",
] as const;
export type Level = (typeof LEVELS)[number];

/** Whether a level holds: "unknown" when a bounded search could not decide. */
export type LevelStatus = "holds" | "violated" | "unknown";

const ORDER_VARIANTS: AnomalyType[] = ["G0", "G1c", "G-single", "G2-item"].flatMap((t) => [
  `${t}-process` as AnomalyType,
  `${t}-realtime` as AnomalyType,
]);

const RU: AnomalyType[] = ["G0", "duplicate-elements", "incompatible-order", "garbage-read"];
const RC: AnomalyType[] = [...RU, "G1a", "G1b", "G1c"];
const RR: AnomalyType[] = [...RC, "G-single", "G-nonadjacent", "G2-item", "lost-update"];
const SI: AnomalyType[] = [...RC, "internal", "G-single", "G-nonadjacent", "lost-update"];
const SER: AnomalyType[] = [...new Set([...RR, ...SI])];

/** Every anomaly that rules each level out. */
export const PROSCRIBED: Readonly<Record<Level, ReadonlySet<AnomalyType>>> = {
  "read-uncommitted": new Set(RU),
  "read-committed": new Set(RC),
  "repeatable-read": new Set(RR),
  "snapshot-isolation": new Set(SI),
  serializable: new Set(SER),
  "strict-serializable": new Set([...SER, ...ORDER_VARIANTS]),
};

/** Levels directly weaker than each level (the Hasse diagram of the ladder). */
export const WEAKER: Readonly<Record<Level, readonly Level[]>> = {
  "read-uncommitted": [],
  "read-committed": ["read-uncommitted"],
  "repeatable-read": ["read-committed"],
  "snapshot-isolation": ["read-committed"],
  serializable: ["repeatable-read", "snapshot-isolation"],
  "strict-serializable": ["serializable"],
};

/**
 * Status of every level given the anomalies found and the levels a search left
 * undecided. A level is violated by any proscribed anomaly, or when a weaker level is.
 */
export function levelStatuses(found: ReadonlySet<AnomalyType>, undecided: ReadonlySet<Level>): Record<Level, LevelStatus> {
  const out = {} as Record<Level, LevelStatus>;
  for (const level of LEVELS) {
    const weaker = WEAKER[level].map((w) => out[w]);
    if (weaker.includes("violated") || [...PROSCRIBED[level]].some((a) => found.has(a))) out[level] = "violated";
    else if (weaker.includes("unknown") || undecided.has(level)) out[level] = "unknown";
    else out[level] = "holds";
  }
  return out;
}

/** The levels that hold and are not implied by another level that holds. */
export function strongestLevels(statuses: Record<Level, LevelStatus>): Level[] {
  const holding = LEVELS.filter((l) => statuses[l] === "holds");
  return holding.filter((l) => !holding.some((h) => WEAKER[h].includes(l)));
}
