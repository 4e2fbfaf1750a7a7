/**
 * What each (line, candidate state) pair led to, remembered. A long log of a finite system
 * says the same thing again and again (the same receipt in the same state, a heartbeat), and
 * which successors of a state a line keeps is a function of the state and of what the line
 * says (the spec and its mapping are pure; the event, its arguments, the logged variables and
 * the line's other fields are all inputs): the second time, the answer is looked up instead
 * of taking the state through the spec, its views and the logged operations again.
 *
 * "What the line says" is its `said` identity: the readers give one to the lines they
 * remember (the same text, or the same text but for fields the mapping declares it does not
 * read); a line without one is never remembered. States are
 * keyed by identity too: the states a remembered step leads to are canonical (one object per
 * fingerprint, as the explorer's visited set identifies states), so the next line finds them.
 *
 * Bounded: past MAX_STEPS remembered pairs and states everything is forgotten and remembering starts
 * again, which costs time only.
 */
import type { Fingerprinter } from "../values/fingerprint.ts";
import type { TraceLine } from "./mapping.ts";

/** One successor a line kept: the canonical state and the step codes of the path to it (one per action of a composed step). */
export interface RememberedStep {
  readonly state: unknown;
  readonly codes: readonly number[];
}

const MAX_STEPS = 1 << 16;

export class StepMemo {
  private byLine = new WeakMap<object, Map<unknown, readonly RememberedStep[]>>();
  /** Canonical states by fingerprint: hi word, then (lo, state) pairs. */
  private canonicalStates = new Map<number, unknown[]>();
  private remembered = 0;
  private readonly fp = { hi: 0, lo: 0 };

  constructor(private readonly fingerprinter: Fingerprinter) {}

  /** The successors `state` kept when a line that says what `line` says was taken from it, if remembered. */
  lookup(line: TraceLine, state: unknown): readonly RememberedStep[] | undefined {
    return line.said === undefined ? undefined : this.byLine.get(line.said)?.get(state);
  }

  /** Whether what `line` leads to can be remembered: it says something other lines may say too. */
  worthRemembering(line: TraceLine): boolean {
    return line.said !== undefined;
  }

  remember(line: TraceLine, state: unknown, steps: readonly RememberedStep[]): void {
    if (this.remembered >= MAX_STEPS) this.forget();
    let byState = this.byLine.get(line.said!);
    if (byState === undefined) this.byLine.set(line.said!, (byState = new Map()));
    byState.set(state, steps);
    this.remembered++;
  }

  /** The one object this memo uses for states equal to `state` (equal fingerprints). */
  canonical(state: unknown): unknown {
    if (typeof state !== "object" || state === null) return state;
    if (this.remembered >= MAX_STEPS) this.forget();
    this.fingerprinter.fingerprint(state, this.fp);
    const { hi, lo } = this.fp;
    const bucket = this.canonicalStates.get(hi);
    if (bucket === undefined) {
      this.canonicalStates.set(hi, [lo, state]);
      this.remembered++;
      return state;
    }
    for (let i = 0; i < bucket.length; i += 2) if (bucket[i] === lo) return bucket[i + 1];
    bucket.push(lo, state);
    this.remembered++;
    return state;
  }

  private forget(): void {
    this.byLine = new WeakMap();
    this.canonicalStates = new Map();
    this.remembered = 0;
  }
}
