/**
 * Trace validation: is a log captured from a real system a behaviour of the spec? The set of
 * spec states consistent with the trace so far is kept breadth-first, deduplicated by
 * fingerprint per line (so unlogged non-determinism is explored once, however many paths
 * lead to a state); each line takes every candidate through the actions its event stands for
 * (after up to `silent.max` unlogged silent steps), and keeps the successors whose logged
 * variables have the logged values. Successors come from the explorer's model binding
 * (BoundSpec: guarded spec calls, named guards), fingerprints from its fingerprinter, and
 * paths are replay paths `explore --replay` accepts; the witness of a valid trace is
 * replayed before it is reported.
 *
 * When a line leaves no candidate, the rejection says, for the candidates before it and each
 * action the event could be, which named guard failed or which logged variable differed
 * (expected and actual values): the point of the feature.
 *
 * Push lines one at a time (`push`), then `finish`: memory is the candidate set plus two
 * words per path step, not the trace.
 */
import type { ParamDecls, Spec } from "../spec/spec.ts";
import { Fingerprinter } from "../values/fingerprint.ts";
import { BoundSpec } from "../explore/model/bound-spec.ts";
import { SpecError, type SpecErrorInfo } from "../explore/model/spec-error.ts";
import { FingerprintSet } from "../explore/store/fingerprint-set.ts";
import { IntColumn } from "../explore/store/int-column.ts";
import { compareValues, type Value } from "../values/value.ts";
import { printable } from "../history/input-error.ts";
import type { EventMapping, TraceLine, TraceMapping } from "./mapping.ts";
import { applyOp, sameValue, TraceMissingError, TraceShapeError } from "./ops.ts";
import { StepMemo, type RememberedStep } from "./step-memo.ts";

export interface ValidateOptions {
  /** Parameter overrides (the --config records' params come on top of these). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The --config records (lbinria's conf.NRM.ndjson lines). */
  readonly config?: readonly unknown[];
  /** The first line describes the initial state (state snapshots, ITF) instead of a step. */
  readonly firstLineIsInitial?: boolean;
  /** Budget: more candidate states than this after a line ends the check as incomplete. */
  readonly maxCandidates?: number;
  readonly timeLimitMs?: number;
  readonly now?: () => number;
  /** The trace's name in messages about it as a whole (an empty trace); lines name themselves. */
  readonly name?: string;
  /** How many candidates a rejection explains (default 5). */
  readonly explain?: number;
  /**
   * Compare lines with the spec's own state fields, not the mapping's views: ITF traces
   * (Apalache, Quint, `explore --itf`) are written in the spec's variables.
   */
  readonly specVariables?: boolean;
  /**
   * From how many candidates a line that names no process reduces them by the mapping's
   * symmetry (default 64; Infinity: never). Only time depends on it.
   */
  readonly reduceFrom?: number;
}

/** Why one candidate state could not take the rejected line. */
export interface CandidateDiagnosis {
  /** Replay path of the candidate (explore --replay). */
  readonly path: readonly number[];
  readonly state: unknown;
  readonly reasons: readonly Reason[];
}

export type Reason =
  | { readonly kind: "guard"; readonly action: string; readonly args: readonly unknown[]; readonly guards: readonly string[] }
  | { readonly kind: "disabled"; readonly action: string; readonly args: readonly unknown[] }
  | { readonly kind: "mismatch"; readonly action: string; readonly args: readonly unknown[]; readonly variable: string; readonly expected: unknown; readonly actual: unknown }
  | { readonly kind: "no-instance"; readonly action: string; readonly wanted: readonly unknown[]; readonly available: readonly (readonly unknown[])[] }
  | { readonly kind: "condition"; readonly action: string; readonly args: readonly unknown[]; readonly conditions: readonly string[] }
  | { readonly kind: "stutter"; readonly message: string }
  | { readonly kind: "mapping"; readonly message: string }
  | { readonly kind: "accept"; readonly message: string };

export interface TraceVerdict {
  readonly status: "valid" | "rejected" | "incomplete" | "error";
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** Lines checked (header lines left out) and lines matched. */
  readonly lines: number;
  readonly matched: number;
  readonly peakCandidates: number;
  readonly finalCandidates: number;
  /** A behaviour of the spec that produces the trace (valid), or that reached the last matched line (rejected): a replay path. */
  readonly path?: readonly number[];
  readonly rejection?: {
    /** The line no candidate could take (1-based among the checked lines), and where it is. */
    readonly line: number;
    readonly where: string;
    readonly event?: string;
    readonly candidates: readonly CandidateDiagnosis[];
    /** How many candidates there were (only `explain` of them are diagnosed). */
    readonly of: number;
  };
  readonly incompleteReason?: string;
  readonly error?: SpecErrorInfo;
}

interface Candidate {
  readonly state: unknown;
  /** Path node (see `nodeParent`). */
  readonly node: number;
}

type View = (state: unknown) => unknown;

export class TraceValidator {
  private model: BoundSpec | undefined;
  private mapping: TraceMapping<unknown, unknown, unknown>;
  private context: unknown;
  private views = new Map<string, View>();
  /** Whether views are worth keeping per state beyond the last two (see `begin`): more than one candidate this line. */
  private shareViews = true;
  /** Per event name: its actions resolved to indices and its where conditions (the args are the line's own). */
  private readonly plans = new Map<string, { actions: number[][]; where: Condition[] }>();
  private anyAction: Alternative[] | undefined;
  private defaults = new Map<string, unknown>();
  private candidates: Candidate[] = [];
  private readonly nodeParent = new IntColumn();
  private readonly nodeStep = new IntColumn();
  private readonly fingerprinter = new Fingerprinter();
  private readonly fp = { hi: 0, lo: 0 };
  /** Steps remembered per (line, state), see step-memo.ts. */
  private readonly memo: StepMemo;
  /**
   * While the candidates are orbit representatives (mapping.symmetry): the candidates and
   * the count of matched lines when the reduction began, and the lines taken since, to
   * re-check them without it when a line names a process.
   */
  private reduced: { readonly candidates: Candidate[]; readonly matched: number; readonly lines: TraceLine[] } | undefined;
  /** Symmetry given up for this trace (once a reduction had to be left). */
  private symmetryOff = false;
  private header: unknown[] = [];
  private lineCount = 0;
  private matched = 0;
  private peak = 0;
  private verdict: TraceVerdict | undefined;
  private readonly explain: number;
  private readonly start: number;
  private readonly now: () => number;
  /** The names of the logged variables (readers use them to tell variables from other fields). */
  readonly variableNames: ReadonlySet<string>;
  /** The other fields of a line the mapping reads, when it declares them (`lineFields`): readers keep only these in `raw`. */
  readonly lineFields: ReadonlySet<string> | undefined;

  constructor(
    private readonly spec: Spec<unknown, ParamDecls>,
    private readonly options: ValidateOptions = {},
  ) {
    const own = (spec.trace ?? {}) as TraceMapping<unknown, unknown, unknown>;
    this.mapping = options.specVariables ? { config: own.config, header: own.header } : own;
    this.explain = options.explain ?? 5;
    this.now = options.now ?? (() => 0);
    this.start = this.now();
    this.variableNames = new Set(this.mapping.variables ? Object.keys(this.mapping.variables) : this.stateFields());
    this.lineFields = this.mapping.lineFields ? new Set(this.mapping.lineFields) : undefined;
    this.buffered = this.mapping.causalOrder ? [] : undefined;
    this.memo = new StepMemo(this.fingerprinter);
  }

  /** The state fields of the first initial state (the logged variables when there is no mapping). */
  private stateFields(): string[] {
    try {
      const probe = new BoundSpec(this.spec, this.options.params ?? {});
      const s = probe.initialStates()[0];
      return s && typeof s === "object" && !Array.isArray(s) ? Object.keys(s) : [];
    } catch {
      return [];
    }
  }

  /** The spec states consistent with the lines taken so far (deduplicated; for tests and tools). */
  get candidateStates(): readonly unknown[] {
    return this.candidates.map((c) => c.state);
  }

  /** True once the outcome is known (a rejection, an error or a budget); later lines are ignored. */
  get done(): boolean {
    return this.verdict !== undefined;
  }

  /** Takes one line. Throws InputError-free: malformed lines are the reader's business; an unknown event is a TraceInputError. */
  push(line: TraceLine): void {
    if (this.verdict) return;
    if (this.header.length < (this.mapping.header ?? 0)) {
      this.header.push(line.raw);
      return;
    }
    if (this.buffered) {
      this.buffered.push(line);
      return;
    }
    this.take(line);
  }

  /** Lines held until `finish` when the mapping puts them in causal order first. */
  private buffered: TraceLine[] | undefined;

  private take(line: TraceLine): void {
    try {
      if (!this.model) {
        this.begin();
        if (this.options.firstLineIsInitial) {
          this.lineCount++;
          this.filterInitial(line);
          return;
        }
      }
      this.lineCount++;
      this.stepLine(line);
    } catch (e) {
      if (e instanceof SpecError) this.verdict = this.result("error", { error: e.info });
      else if (e instanceof OutOfTime) this.verdict = this.result("incomplete", { incompleteReason: e.message });
      else throw e;
    }
  }

  /** Throws OutOfTime when the time limit has passed (checked between lines and every 256 candidates within one). */
  private checkTime(line: TraceLine): void {
    const limit = this.options.timeLimitMs;
    if (limit !== undefined && this.now() - this.start > limit) throw new OutOfTime(`time limit of ${(limit / 1000).toFixed(1)} s reached while taking line ${line.where} (${this.candidates.length} candidate states before it)`);
  }

  finish(): TraceVerdict {
    if (this.buffered) {
      const lines = this.causallyOrdered(this.buffered);
      this.buffered = undefined;
      for (const l of lines) {
        this.take(l);
        if (this.verdict) break;
      }
    }
    if (this.verdict) return this.verdict;
    try {
      if (!this.model) this.begin();
      // A trace with no lines is refused as input, not passed as the empty behaviour. It checks
      // nothing (every spec has the empty prefix: TLA+'s trace spec would accept it with the
      // trace fully "consumed" at its first state), and in practice it means the logger wrote
      // nothing or wrote elsewhere; a CI step fed one must fail loudly. The same rule for the
      // library and the CLI, which reports it as malformed input (exit 2).
      if (this.lineCount === 0) throw new TraceInputError(this.options.name ?? "the trace", "the trace has no lines: nothing to check");
      let finals = this.candidates;
      if (this.mapping.accept) {
        const accept = this.mapping.accept;
        finals = finals.filter((c) => this.call(() => accept(c.state, this.model!.params, this.context), "accept"));
        if (finals.length === 0) {
          return (this.verdict = this.result("rejected", {
            path: this.pathOf(this.candidates[0]),
            rejection: {
              line: this.lineCount + 1, where: "end of trace", candidates: this.candidates.slice(0, this.explain).map((c) => ({ path: this.pathOf(c), state: c.state, reasons: [{ kind: "accept", message: "the last state does not satisfy the mapping's accept predicate" }] })),
              of: this.candidates.length,
            },
          }));
        }
      }
      // The witness is replayed from the initial state, as every counterexample is.
      // (one state at a time: a million-line trace is not held as a million states).
      const { path, end } = this.replayOf(finals[0]);
      const reached = this.reduced ? this.call(() => this.mapping.symmetry!(end, this.model!.params, this.context), "symmetry") : end;
      if (compareValues(reached as Value, finals[0].state as Value) !== 0) {
        return (this.verdict = this.result("error", { error: { kind: "nondeterministic", path, message: "the behaviour found for this trace does not replay to the same state: the spec is not deterministic" } }));
      }
      return (this.verdict = this.result("valid", { path, finalCandidates: finals.length }));
    } catch (e) {
      if (e instanceof SpecError) return (this.verdict = this.result("error", { error: e.info }));
      throw e;
    }
  }

  /** The lines in an order consistent with happened-before: by the sum of their vector clocks (stable). */
  private causallyOrdered(lines: TraceLine[]): TraceLine[] {
    const clockOf = this.mapping.causalOrder!.clock;
    const keyed = lines.map((line, i) => {
      const vc = this.call(() => clockOf(line.raw), "causalOrder.clock");
      if (vc === undefined) throw new TraceInputError(line.where, "the line has no vector clock, which the trace mapping orders lines by");
      if (typeof vc !== "object" || vc === null) throw new TraceInputError(line.where, `the vector clock is ${JSON.stringify(vc)}, not an object of counts`);
      let sum = 0;
      for (const v of Object.values(vc)) {
        if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new TraceInputError(line.where, `a vector clock entry is ${JSON.stringify(v)}, not a count`);
        sum += v;
      }
      return { line, i, sum };
    });
    keyed.sort((a, b) => a.sum - b.sum || a.i - b.i);
    return keyed.map((k) => k.line);
  }

  private begin(): void {
    const mapping = this.mapping;
    let params: Record<string, unknown> = { ...(this.options.params ?? {}) };
    const records = [...(this.options.config ?? []), ...this.header];
    if (mapping.config) {
      const probe = new BoundSpec(this.spec, params);
      const r = this.call(() => mapping.config!(records, probe.params), "config");
      params = { ...params, ...(r.params ?? {}) };
      this.context = r.context;
    } else if (records.length) {
      throw new SpecError({ kind: "bad-spec", message: "--config (or header lines) given, but the spec's trace mapping has no config function to read them" });
    }
    const model = (this.model = new BoundSpec(this.spec, params, []));
    const inits = model.initialStates();
    const viewFns = mapping.variables ?? Object.fromEntries([...this.variableNames].map((k) => [k, (s: unknown) => (s as Record<string, unknown>)[k]]));
    for (const [name, fn] of Object.entries(viewFns)) {
      // Cached per state object: in a fully logged trace the state after a line is the state
      // before the next, so each view is computed once per state. The last two states are
      // remembered directly (a single candidate's chain of lines needs no more); a WeakMap
      // keeps the rest only while a line has several candidates (views are pure, so what is
      // cached changes nothing but time).
      const cache = new WeakMap<object, unknown>();
      let s0: unknown = undefined, v0: unknown = undefined, s1: unknown = undefined, v1: unknown = undefined;
      const compute = (s: unknown) => {
        try {
          return fn(s, model.params, this.context);
        } catch (e) {
          throw this.mappingFault(e, `the view of ${name}`);
        }
      };
      this.views.set(name, (s) => {
        if (typeof s !== "object" || s === null) return compute(s);
        if (s === s0) return v0;
        if (s === s1) return v1;
        let v: unknown;
        if (cache.has(s)) v = cache.get(s);
        else {
          v = compute(s);
          if (this.shareViews) cache.set(s, v);
        }
        s1 = s0;
        v1 = v0;
        s0 = s;
        v0 = v;
        return v;
      });
      this.defaults.set(name, this.views.get(name)!(inits[0]));
    }
    const seen = new FingerprintSet(16);
    inits.forEach((s, i) => {
      this.fingerprinter.fingerprint(s, this.fp);
      if (!seen.add(this.fp.hi, this.fp.lo)) return;
      this.candidates.push({ state: this.memo.canonical(s), node: this.newNode(-1, i) });
    });
    this.peak = this.candidates.length;
  }

  private filterInitial(line: TraceLine): void {
    const kept = this.candidates.filter((c) => this.mismatch(line, c.state, c.state) === undefined);
    if (kept.length === 0) return this.reject(line, this.candidates.map((c) => ({ path: this.pathOf(c), state: c.state, reasons: [this.initialReason(line, c.state)] })));
    this.candidates = kept;
    this.matched++;
  }

  private initialReason(line: TraceLine, state: unknown): Reason {
    const m = this.mismatch(line, state, state)!;
    return { kind: "mismatch", action: "init", args: [], variable: m.variable, expected: m.expected, actual: m.actual };
  }

  /** The line being taken (for the time limit's message). */
  private currentLine: TraceLine | undefined;

  /** One line, the symmetry reduction entered or left before it (see mapping.symmetry). */
  private stepLine(line: TraceLine): void {
    const symmetric = this.mapping.symmetry !== undefined && !this.symmetryOff && this.namesNothing(line);
    if (this.reduced && (!symmetric || this.reduced.lines.length >= MAX_REDUCED_LINES)) {
      // Given up for the rest of the trace: a log that names processes now and then would
      // otherwise re-take every reduced stretch (lbinria's EA traces: 5.8 s became 9 s).
      this.symmetryOff = true;
      this.leaveReduction();
      if (this.verdict) return;
    }
    if (!this.reduced && symmetric && !this.symmetryOff && this.candidates.length >= (this.options.reduceFrom ?? REDUCE_FROM)) this.enterReduction();
    this.reduced?.lines.push(line);
    this.step(line);
  }

  /** Whether a line names no process: no arguments, no variables, nothing but a renaming-blind choice of actions. */
  private namesNothing(line: TraceLine): boolean {
    if (line.vars.size > 0 || line.eventArgs.length > 0 || this.mapping.eventOf || (this.mapping.silent?.max ?? 0) > 0) return false;
    if (line.event === undefined) return true;
    const events = this.mapping.events;
    const mapped = events && Object.hasOwn(events, line.event) ? events[line.event] : undefined;
    if (!mapped) return true;
    if (mapped.where && Object.keys(mapped.where).length > 0) return false;
    if (mapped.actions.some((alt) => typeof alt !== "string" && alt.length !== 1)) return false;
    if (!mapped.args) return true;
    const args = this.call(() => mapped.args!(line.eventArgs, this.model!.params, this.context, line.raw), `the args of event ${line.event}`);
    return args === undefined || !Array.isArray(args);
  }

  private enterReduction(): void {
    this.reduced = { candidates: this.candidates, matched: this.matched, lines: [] };
    this.candidates = this.representatives(this.candidates);
  }

  /** The candidates as orbit representatives, one per orbit (their nodes still lead to the states they stand for). */
  private representatives(candidates: readonly Candidate[]): Candidate[] {
    const symmetry = this.mapping.symmetry!, params = this.model!.params;
    const seen = new SmallSet();
    const out: Candidate[] = [];
    for (const c of candidates) {
      const state = this.call(() => symmetry(c.state, params, this.context), "symmetry");
      this.fingerprinter.fingerprint(state, this.fp);
      if (seen.add(this.fp.hi, this.fp.lo)) out.push({ state, node: c.node });
    }
    return out;
  }

  /**
   * Back to real states: the candidates when the reduction began, taken through the lines
   * since without it. A line the representatives took but the real states cannot is a
   * symmetry that is not one (a spec error), never a rejection of the trace.
   */
  private leaveReduction(lastRejected = false): void {
    const r = this.reduced!;
    this.reduced = undefined;
    this.candidates = r.candidates;
    this.matched = r.matched;
    // Only the last line, the one being taken, can be rejected for real (lineCount is its number).
    const last = r.lines.length - 1;
    for (let i = 0; i <= last; i++) {
      this.step(r.lines[i]);
      if (this.verdict?.status === "rejected" && !(lastRejected && i === last)) {
        this.verdict = this.result("error", { error: { kind: "bad-spec", message: `the trace mapping's symmetry is not a symmetry of the spec: ${r.lines[i].where} was taken by the orbit representatives but not by the states they stand for` } });
      }
      if (this.verdict) return;
    }
  }

  private step(line: TraceLine): void {
    this.currentLine = line;
    const pre = this.withSilentSteps(this.candidates);
    const next = this.successorsFor(line, pre);
    if (next.length === 0 && this.reduced) {
      // Confirmed without the reduction: a rejection names real states, and a declared
      // symmetry that merged states it should not cannot reject a valid trace.
      return this.leaveReduction(true);
    }
    if (next.length === 0) return this.rejectLine(line, pre);
    this.candidates = next;
    this.matched++;
    if (next.length > this.peak) this.peak = next.length;
    const max = this.options.maxCandidates;
    if (max !== undefined && next.length > max) {
      this.verdict = this.result("incomplete", { incompleteReason: `more than ${max} candidate states after line ${line.where} (the trace leaves too much unlogged)` });
    } else if (this.options.timeLimitMs !== undefined && this.now() - this.start > this.options.timeLimitMs) {
      this.verdict = this.result("incomplete", { incompleteReason: `time limit of ${(this.options.timeLimitMs / 1000).toFixed(1)} s reached after line ${line.where}` });
    }
  }

  /** The rejection of `line`, which none of `pre` could take: each of the first few diagnosed. */
  private rejectLine(line: TraceLine, pre: readonly Candidate[]): void {
    const alternatives = this.alternatives(line);
    // Each diagnosed in the state its path replays to (the real state a representative stands for).
    const diagnosed = pre.slice(0, this.explain).map((c) => {
      const { path, end } = this.replayOf(c);
      return { path, state: end, reasons: this.diagnose(line, end, alternatives) };
    });
    this.reject(line, diagnosed, pre.length);
  }

  /** The states `line` takes the candidates `pre` to (deduplicated; representatives while reduced). */
  private successorsFor(line: TraceLine, pre: readonly Candidate[]): Candidate[] {
    let alternatives: Alternative[] | undefined;
    let next: Candidate[] = [];
    this.shareViews = pre.length > 1;
    // Remembered steps pay where a trace repeats itself with few candidates (a fully logged
    // trace); with many candidates a line is rarely taken from the same state twice, and
    // canonicalising every successor would only cost. Either way the candidates are the same.
    const memo = !this.reduced && pre.length <= MEMO_MAX_CANDIDATES && this.memo.worthRemembering(line) ? this.memo : undefined;
    let taken = 0;
    for (const c of pre) {
      // A line with many candidates can take long: the time limit is checked inside it too.
      if ((++taken & 255) === 0) this.checkTime(line);
      const known = memo?.lookup(line, c.state);
      if (known !== undefined) {
        for (const k of known) {
          let node = c.node;
          for (const code of k.codes) node = this.newNode(node, code);
          next.push({ state: k.state, node });
        }
        continue;
      }
      alternatives ??= this.alternatives(line);
      let expected: Map<string, unknown>;
      try {
        expected = this.expectedViews(line, c.state);
      } catch (e) {
        // A logged path this state does not have (an RM the configuration lacks): not this one.
        if (e instanceof CandidateMismatch) {
          memo?.remember(line, c.state, NO_STEPS);
          continue;
        }
        throw e;
      }
      const kept: RememberedStep[] | undefined = memo ? [] : undefined;
      for (const alt of alternatives) {
        if ("reject" in alt) continue;
        this.walk(c.state, c.node, alt.actions, 0, alt.args, (state, node) => {
          if (this.differs(line, expected, state) !== undefined) return;
          if (alt.where?.length && this.failedConditions(alt, c.state, state, line).length) return;
          if (kept) {
            state = memo!.canonical(state);
            kept.push({ state, codes: this.codesBetween(c.node, node) });
          }
          next.push({ state, node });
        });
      }
      if (kept) memo!.remember(line, c.state, kept);
    }
    if (this.reduced) {
      // Steps from representatives: marked, so that a replay searches the real successor.
      for (const c of next) this.nodeStep.data[c.node] |= REDUCED_STEP;
      next = this.representatives(next);
    }
    // Deduplicated by fingerprint only when there is something to deduplicate (a fully logged
    // trace has one candidate a line).
    if (next.length > 1) {
      const seen = new SmallSet();
      let n = 0;
      next = next.filter((c) => {
        if ((++n & 4095) === 0) this.checkTime(line);
        this.fingerprinter.fingerprint(c.state, this.fp);
        return seen.add(this.fp.hi, this.fp.lo);
      });
    }
    return next;
  }

  /** The step codes on the path from node `from` down to node `to` (its descendant). */
  private codesBetween(from: number, to: number): number[] {
    const codes: number[] = [];
    for (let n = to; n !== from; n = this.nodeParent.data[n]) codes.push(this.nodeStep.data[n]);
    return codes.reverse();
  }

  /** The candidates, and every state up to `silent.max` silent steps from one (deduplicated). */
  private withSilentSteps(from: Candidate[]): Candidate[] {
    const silent = this.mapping.silent;
    if (!silent || silent.max <= 0) return from;
    const model = this.model!;
    const actions = silent.actions.map((name) => this.actionNamed(name, "silent"));
    const seen = new SmallSet();
    const all: Candidate[] = [];
    for (const c of from) {
      this.fingerprinter.fingerprint(c.state, this.fp);
      if (seen.add(this.fp.hi, this.fp.lo)) all.push(c);
    }
    let frontier = all.slice();
    let expanded = 0;
    for (let d = 0; d < silent.max && frontier.length; d++) {
      const next: Candidate[] = [];
      for (const c of frontier) {
        if ((++expanded & 255) === 0) this.checkTime(this.currentLine!);
        for (const a of actions) {
          this.successorsOf(a, c.state, (instance, s) => {
            this.fingerprinter.fingerprint(s, this.fp);
            if (!seen.add(this.fp.hi, this.fp.lo)) return;
            const x = { state: s, node: this.newNode(c.node, instance) };
            next.push(x);
            all.push(x);
          }, false);
        }
      }
      frontier = next;
    }
    return all;
  }

  /** Walks `actions[i..]` from `state` (the first action's instances filtered by `args`); calls `done` at the end of each walk. */
  private walk(state: unknown, node: number, actions: readonly number[], i: number, args: readonly unknown[] | undefined, done: (state: unknown, node: number) => void): void {
    if (i === actions.length) return done(state, node);
    const a = actions[i];
    if (i === 0 && args !== undefined) {
      // Only the instances with the logged arguments are evaluated.
      this.model!.actionSuccessorsWhere(a, state, (instArgs) => argsMatch(args, instArgs), (local, s) => this.walk(s, this.newNode(node, stepCode(a, local)), actions, i + 1, undefined, done));
      return;
    }
    this.successorsOf(a, state, (step, s) => this.walk(s, this.newNode(node, step), actions, i + 1, undefined, done), false);
  }

  /**
   * Every enabled successor of `state` by action `a`, with its step code (the action and its
   * local instance, see `stepCode`) and, when `withArgs`, the instance's arguments.
   */
  private successorsOf(a: number, state: unknown, visit: (step: number, next: unknown, args: readonly unknown[]) => void, withArgs = true): void {
    const model = this.model!;
    const lists = withArgs ? model.instancesOf(a, state) : NO_LISTS;
    model.actionSuccessors(a, state, 0, (local, next) => visit(stepCode(a, local), next, lists[local]));
  }

  /** The global index of action `a`'s first instance in `state` (instances of earlier actions come first). */
  private instanceBase(a: number, state: unknown): number {
    let base = 0;
    for (let b = 0; b < a; b++) base += this.model!.instancesOf(b, state).length;
    return base;
  }

  private alternatives(line: TraceLine): Alternative[] {
    const model = this.model!;
    const eventOf = this.mapping.eventOf;
    const event = eventOf ? this.call(() => eventOf(line.raw, line.event, model.params, this.context), "eventOf") : line.event;
    if (event === undefined) return (this.anyAction ??= model.actionNames.map((_, a) => ({ actions: [a], args: undefined })));
    // Own entries only: an event named "constructor" or "__proto__" is not Object's.
    const events = this.mapping.events;
    const mapped: EventMapping<unknown, unknown, unknown> | undefined = events && Object.hasOwn(events, event) ? events[event] : undefined;
    if (!mapped) {
      const a = model.actionIndex(event);
      if (a < 0) throw new TraceInputError(line.where, `unknown event "${event}": the spec has no such action and its trace mapping does not name it (actions: ${model.actionNames.join(", ")})`);
      return [{ actions: [a], args: line.eventArgs.length ? line.eventArgs : undefined }];
    }
    let args: ReturnType<NonNullable<typeof mapped.args>> = undefined;
    if (mapped.args) {
      try {
        args = mapped.args(line.eventArgs, model.params, this.context, line.raw);
      } catch (e) {
        throw this.mappingFault(e, `the args of event ${event}`);
      }
    }
    if (args && !Array.isArray(args)) return [{ reject: (args as { reject: string }).reject }];
    let plan = this.plans.get(event);
    if (!plan) {
      plan = {
        actions: mapped.actions.map((alt) => (typeof alt === "string" ? [alt] : alt).map((name) => this.actionNamed(name, `event ${event}`))),
        where: mapped.where ? Object.entries(mapped.where) : [],
      };
      this.plans.set(event, plan);
    }
    const where = plan.where;
    return plan.actions.map((actions) => ({ actions, args: args as readonly unknown[] | undefined, where }));
  }

  /** The names of the alternative's `where` conditions that the step from `before` to `after` fails. */
  private failedConditions(alt: Alternative, before: unknown, after: unknown, line: TraceLine): string[] {
    if (!("actions" in alt) || !alt.where?.length) return [];
    const params = this.model!.params;
    return alt.where.filter(([name, f]) => !this.call(() => f(before, after, params, this.context, line.raw), `the where condition ${name}`)).map(([name]) => name);
  }

  private actionNamed(name: string, where: string): number {
    const a = this.model!.actionIndex(name);
    if (a < 0) throw new SpecError({ kind: "bad-spec", message: `the trace mapping's ${where} names action "${name}", which the spec does not have` });
    return a;
  }

  /** The views the state after `line` must have, computed from the state before it. */
  private expectedViews(line: TraceLine, before: unknown): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [name, logged] of line.vars) {
      const view = this.views.get(name);
      if (!view) throw new TraceInputError(line.where, `the line logs "${name}", which is not a variable of the trace mapping (${[...this.views.keys()].join(", ")})`);
      if (logged.kind === "value") {
        out.set(name, logged.value);
        continue;
      }
      let cur = view(before);
      for (const op of logged.ops) {
        let args = op.args;
        if (op.map !== undefined) {
          const mapArgs = this.mapping.mapArgs;
          if (!mapArgs) throw new TraceInputError(line.where, `an update of ${name} has a "map", but the trace mapping has no mapArgs`);
          args = this.call(() => mapArgs(op.op, op.map, op.args, this.model!.params, this.context), "mapArgs");
        }
        try {
          cur = applyOp(cur, this.defaults.get(name), op, args);
        } catch (e) {
          if (e instanceof TraceMissingError) throw new CandidateMismatch(`${op.op} of ${name} at ${JSON.stringify(op.path)}: the state's ${name} has ${e.message}`);
          if (e instanceof TraceShapeError) throw new TraceInputError(line.where, `${op.op} on ${name}: ${e.message}`);
          throw e;
        }
      }
      out.set(name, cur);
    }
    return out;
  }

  private differs(_line: TraceLine, expected: Map<string, unknown>, after: unknown): { variable: string; expected: unknown; actual: unknown } | undefined {
    for (const [name, want] of expected) {
      const actual = this.views.get(name)!(after);
      if (!sameValue(want, actual)) return { variable: name, expected: want, actual };
    }
    return undefined;
  }

  private mismatch(line: TraceLine, before: unknown, after: unknown): { variable: string; expected: unknown; actual: unknown } | undefined {
    try {
      return this.differs(line, this.expectedViews(line, before), after);
    } catch (e) {
      if (e instanceof CandidateMismatch) return { variable: "(path)", expected: e.message, actual: undefined };
      throw e;
    }
  }

  /** Why `state` cannot take `line`, per action the event could be. */
  private diagnose(line: TraceLine, state: unknown, alternatives: Alternative[]): Reason[] {
    const model = this.model!;
    const reasons: Reason[] = [];
    let expected: Map<string, unknown>;
    try {
      expected = this.expectedViews(line, state);
    } catch (e) {
      if (e instanceof TraceInputError || e instanceof CandidateMismatch) return [{ kind: "mapping", message: e.message }];
      throw e;
    }
    for (const alt of alternatives) {
      if ("reject" in alt) {
        reasons.push({ kind: "mapping", message: alt.reject });
        continue;
      }
      if (alt.actions.length === 0) {
        const d = this.differs(line, expected, state);
        const failed = this.failedConditions(alt, state, state, line);
        reasons.push({ kind: "stutter", message: d ? `as a stuttering step: logged ${d.variable} = ${JSON.stringify(d.expected)}, but the state has ${JSON.stringify(d.actual)}` : failed.length ? `as a stuttering step: condition ${failed.join(", ")} false` : "as a stuttering step: ?" });
        continue;
      }
      const a = alt.actions[0], name = model.actionNames[a];
      const lists = model.instancesOf(a, state);
      const wanted = lists.map((_, i) => i).filter((i) => !alt.args || argsMatch(alt.args, lists[i]));
      if (wanted.length === 0) {
        reasons.push({ kind: "no-instance", action: name, wanted: alt.args ?? [], available: lists.slice(0, 20) });
        continue;
      }
      for (const i of wanted) {
        const args = lists[i];
        const failed = model.failingGuards(a, state, args);
        if (failed.length) {
          reasons.push({ kind: "guard", action: name, args, guards: failed });
          continue;
        }
        let any = false;
        const first = { found: undefined as Reason | undefined };
        this.successorsOf(a, state, (step, s) => {
          if (step !== stepCode(a, i)) return;
          any = true;
          if (alt.actions.length > 1) {
            // A composed step: report the first continuation's mismatch, if it has one.
            this.walk(s, -1, alt.actions, 1, undefined, (end) => {
              const d = this.differs(line, expected, end);
              if (d && !first.found) first.found = { kind: "mismatch", action: alt.actions.map((x) => model.actionNames[x]).join(" then "), args, ...d };
            });
            return;
          }
          const d = this.differs(line, expected, s);
          if (d && !first.found) first.found = { kind: "mismatch", action: name, args, ...d };
          const failed = d ? [] : this.failedConditions(alt, state, s, line);
          if (failed.length && !first.found) first.found = { kind: "condition", action: name, args, conditions: failed };
        });
        if (!any) reasons.push({ kind: "disabled", action: name, args });
        else if (first.found) reasons.push(first.found);
      }
    }
    return reasons;
  }

  private reject(line: TraceLine, candidates: CandidateDiagnosis[], of = candidates.length): void {
    this.verdict = this.result("rejected", {
      path: this.candidates.length ? this.pathOf(this.candidates[0]) : undefined,
      rejection: { line: this.lineCount, where: line.where, event: line.event, candidates, of },
    });
  }

  private newNode(parent: number, step: number): number {
    this.nodeParent.push(parent);
    this.nodeStep.push(step);
    return this.nodeParent.length - 1;
  }

  /** The replay path of a candidate (see `replayOf`). */
  private pathOf(c: Candidate | undefined): number[] {
    return c ? this.replayOf(c).path : [];
  }

  /**
   * The replay path of a candidate, and the state it replays to. Nodes record steps as
   * (action, local instance) codes, so that no step needs the instance counts of the actions
   * before it; here the path is replayed from the initial state, evaluating one instance a
   * step, to turn them into the global instance indices replay paths use. A step that does
   * not replay (the spec is not deterministic) is a spec error.
   */
  private replayOf(c: Candidate): { path: number[]; end: unknown } {
    const codes: number[] = [];
    for (let n = c.node; n >= 0; n = this.nodeParent.data[n]) codes.push(this.nodeStep.data[n]);
    codes.reverse();
    const model = this.model!;
    const path = [codes[0]];
    let state = this.memo.canonical(model.initialStates()[codes[0]]);
    // A long trace of a finite system takes the same step from the same state many times:
    // each (state, step) is replayed through the spec once and then looked up (the spec is
    // pure; the states are canonical, as in the step memory). Given up after many misses in
    // a row (a trace whose states never repeat), which only saves the fingerprints.
    const replayed = new Map<unknown, Map<number, { index: number; next: unknown }>>();
    let misses = 0, stored = 0;
    for (let i = 1; i < codes.length; i++) {
      const code = codes[i];
      if (code & REDUCED_STEP) {
        const real = this.realStep(state, code & ~REDUCED_STEP, path);
        path.push(real.index);
        state = real.next;
        continue;
      }
      const known = misses < REPLAY_MEMO_MISSES ? replayed.get(state)?.get(code) : undefined;
      if (known !== undefined) {
        path.push(known.index);
        state = known.next;
        misses = 0;
        continue;
      }
      const a = code >>> LOCAL_BITS, local = code & LOCAL_MASK;
      const lists = model.instancesOf(a, state);
      const index = this.instanceBase(a, state) + local;
      path.push(index);
      let next: unknown = undefined;
      if (local < lists.length) {
        const wanted = lists[local];
        model.actionSuccessorsWhere(a, state, (args) => args === wanted, (_l, s) => (next = s), lists);
      }
      if (next === undefined) {
        throw new SpecError({ kind: "nondeterministic", path, message: `step ${i} of the behaviour found for this trace (${model.actionNames[a]}) does not replay: the spec is not deterministic` });
      }
      if (misses < REPLAY_MEMO_MISSES && stored < REPLAY_MEMO_STEPS) {
        misses++;
        stored++;
        next = this.memo.canonical(next);
        let byCode = replayed.get(state);
        if (byCode === undefined) replayed.set(state, (byCode = new Map()));
        byCode.set(code, { index, next });
      }
      state = next;
    }
    return { path, end: state };
  }

  /**
   * A step recorded from a representative, taken from the real state `x` it stands for: the
   * representative's step leads to some orbit, and the real step is the successor of `x` by
   * the same action that lands in that orbit (there is one if the symmetry is one).
   */
  private realStep(x: unknown, code: number, path: readonly number[]): { index: number; next: unknown } {
    const model = this.model!, symmetry = this.mapping.symmetry!, params = model.params;
    const orbit = (s: unknown) => {
      this.fingerprinter.fingerprint(this.call(() => symmetry(s, params, this.context), "symmetry"), this.fp);
      return [this.fp.hi, this.fp.lo];
    };
    const a = code >>> LOCAL_BITS, local = code & LOCAL_MASK;
    const rep = this.call(() => symmetry(x, params, this.context), "symmetry");
    const lists = model.instancesOf(a, rep);
    let target: number[] | undefined;
    if (local < lists.length) model.actionSuccessorsWhere(a, rep, (args) => args === lists[local], (_l, t) => (target = orbit(t)), lists);
    let found: { index: number; next: unknown } | undefined;
    if (target) {
      const base = this.instanceBase(a, x);
      model.actionSuccessors(a, x, 0, (k, t) => {
        if (found) return;
        const [hi, lo] = orbit(t);
        if (hi === target![0] && lo === target![1]) found = { index: base + k, next: t };
      });
    }
    if (!found) throw new SpecError({ kind: "bad-spec", path: [...path], message: `the trace mapping's symmetry is not a symmetry of the spec: no ${model.actionNames[a]} step of the real state matches the step its representative took` });
    return found;
  }

  private result(status: TraceVerdict["status"], extra: Partial<TraceVerdict>): TraceVerdict {
    return {
      status,
      params: this.model?.params ?? {},
      lines: this.lineCount,
      matched: this.matched,
      peakCandidates: this.peak,
      finalCandidates: this.candidates.length,
      ...extra,
    };
  }

  /** Runs a mapping function; a throw is a spec error naming it. */
  private call<T>(f: () => T, what: string): T {
    try {
      return f();
    } catch (e) {
      throw this.mappingFault(e, what);
    }
  }

  /** What a throw from mapping function `what` becomes (the hot callers catch inline, without a closure per call). */
  private mappingFault(e: unknown, what: string): Error {
    if (e instanceof SpecError || e instanceof TraceInputError) return e;
    return new SpecError({ kind: "bad-spec", message: `${what} (trace mapping) threw: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** A line that does not fit the spec's trace mapping (an unknown event or variable, an op on the wrong shape): malformed input, exit 2. */
export class TraceInputError extends Error {
  constructor(
    readonly where: string,
    readonly detail: string,
  ) {
    super(printable(`${where}: ${detail}`));
  }
}

type Condition = [string, (before: unknown, after: unknown, params: unknown, context: unknown, line: Readonly<Record<string, unknown>>) => boolean];
type Alternative = { actions: number[]; args: readonly unknown[] | undefined; where?: Condition[] } | { reject: string };

const LOCAL_BITS = 20;
const LOCAL_MASK = (1 << LOCAL_BITS) - 1;
const NO_LISTS: readonly (readonly unknown[])[] = [];
const NO_STEPS: readonly RememberedStep[] = Object.freeze([]);
/** Replaying stops remembering steps after this many misses in a row (see `replayOf`). */
const REPLAY_MEMO_MISSES = 4096;
/** At most this many replayed steps are remembered. */
const REPLAY_MEMO_STEPS = 1 << 16;
/** Lines with more candidates than this are not remembered (see `step`). */
const MEMO_MAX_CANDIDATES = 8;

/** The mark on a step taken from an orbit representative (see `realStep`); actions are below 2^10. */
const REDUCED_STEP = 1 << 30;
/** Candidates from which a line naming no process reduces them by the symmetry (fewer: not worth the re-check a later line may need). */
const REDUCE_FROM = 64;
/** At most this many lines are held for a re-check; past them the symmetry is given up for the trace. */
const MAX_REDUCED_LINES = 1 << 20;

/** A step as recorded in path nodes: the action and the instance's index among that action's instances. */
function stepCode(action: number, local: number): number {
  if (local > LOCAL_MASK) throw new RangeError("an action with more than 2^20 instances in one state");
  if (action >= 1 << 10) throw new RangeError("a spec with more than 1024 actions");
  return (action << LOCAL_BITS) | local;
}

/** This candidate cannot take the line whatever the action (a logged path it does not have). */
class CandidateMismatch extends Error {}

/** The time limit passed in the middle of a line. */
class OutOfTime extends Error {}

/** Validates a whole trace (an iterable of lines) against a spec. */
export function validateTrace<S, D extends ParamDecls>(spec: Spec<S, D>, lines: Iterable<TraceLine>, options: ValidateOptions = {}): TraceVerdict {
  const v = new TraceValidator(spec as unknown as Spec<unknown, ParamDecls>, options);
  for (const line of lines) {
    v.push(line);
    if (v.done) break;
  }
  return v.finish();
}

function argsMatch(wanted: readonly unknown[], actual: readonly unknown[]): boolean {
  if (wanted.length > actual.length) return false;
  for (let i = 0; i < wanted.length; i++) if (wanted[i] !== undefined && !sameValue(wanted[i], actual[i])) return false;
  return true;
}

/** A fingerprint set that stays a short array while small (most lines of a fully logged trace have one candidate). */
class SmallSet {
  private hi: number[] = [];
  private lo: number[] = [];
  private big: FingerprintSet | undefined;

  add(hi: number, lo: number): boolean {
    if (this.big) return this.big.add(hi, lo);
    for (let i = 0; i < this.hi.length; i++) if (this.hi[i] === hi && this.lo[i] === lo) return false;
    this.hi.push(hi);
    this.lo.push(lo);
    if (this.hi.length > 32) {
      this.big = new FingerprintSet(256);
      for (let i = 0; i < this.hi.length; i++) this.big.add(this.hi[i], this.lo[i]);
    }
    return true;
  }
}

