// Random dscheck specs with a guaranteed shape, and an oracle that knows their answers.
//
// A spec is generated from an explicit plan, and the plan is what the oracle reads: the
// oracle never runs dscheck, nor the spec's functions. Shape:
//
// - A *main graph* of 8..~3,000 nodes laid out in layers 0..D. Every node of layer i+1 has a
//   spanning-tree parent in layer i, and extra edges go forward by exactly one layer, back to
//   any layer <= i, or to the node itself (self-loops, duplicates). No edge skips a layer, so
//   a node's BFS distance is its layer: depth and the depth of a violation are chosen, not
//   hoped for. A few *hidden* nodes (and, for deadlock specs, a sink) are entered only
//   through "breach" actions.
// - The state is a record of 2-5 small-integer fields: 1-4 `pc` fields that together encode
//   the main node (a random injective code, values 0..k-1 with k <= ~16), an optional
//   `shadow` field (0..2, a function of the node: redundant, which makes a view that drops it
//   injective, and the constraint's handle), and 0-2 *local* fields (0..1 or 0..2) with their
//   own small strongly-connected graphs, stepped by actions that read only that field (and
//   maybe one guard field), so BFS memoization has real hits.
// - Actions: main edges are split over 1-4 actions: fixed `args` slots (some slots
//   disabled), `argsFrom` candidates (state-dependent, some disabled by the guard), a
//   no-argument action, and a slots action guarded by a local field. Each action is written
//   in the `next` form (whole successor: `{ ...s, ...w }`, `Object.assign`, or a fresh
//   record in another key order) or the `update` form (only the written fields, `{}` for a
//   self-loop, null when disabled), and reads the state in one of several styles (by name,
//   destructuring, `Object.keys`, `Object.entries`, a rest pattern).
// - "Breach" actions decide on a copy of the state (`const t = { ...s }`, `Object.assign`,
//   `JSON.parse(JSON.stringify(s))`): under memoization a spread reads every field, so these
//   must still give exact results. In the big size class (1,400-3,000 states) they are only
//   enabled at nodes whose BFS distance is beyond the first 1,100 distinct states, so a memo
//   whose soundness rests on sampling the first 1,024 states gets them wrong.
// - Optional `constraint` (TLC: `shadow <= cap` with a param `cap`, which puts a random set of
//   spanning-tree leaves outside, plus sometimes `local <= c`), optional `view`, 1-3
//   `always` properties (some failing at a chosen depth, some only through a breach, some only
//   on states outside the constraint), 0-2 `sometimes` properties (with or without a reachable
//   example), `deadlockIsError` in ~12% (then deadlocks are either impossible or planted).
//
// The oracle (`runOracle`) is a plain BFS over tuples, interpreting the plan's tables with
// TLC's counting: generated = initial states + one per enabled successor instance (duplicates
// and self-loops included); a successor outside the constraint is generated and checked
// against the `always` properties but is neither distinct nor expanded.
import fc from "fast-check";
import { always, defineSpec, sometimes, type ActionDef, type CheckResult, type ParamDecls, type Property, type Spec } from "../../checker/index.ts";

export type RecordState = Readonly<Record<string, number>>;
type Tuple = readonly number[];

// ---------------------------------------------------------------------------------------
// A small seeded PRNG (mulberry32): the whole spec follows from the recipe's seed.

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed ^ 0x5bd1e995) >>> 0;
  }
  float(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** lo..hi inclusive. */
  int(lo: number, hi: number): number {
    return hi <= lo ? lo : lo + Math.floor(this.float() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.float();
    } while (p > limit);
    return k - 1;
  }
}

// ---------------------------------------------------------------------------------------
// The plan: everything the oracle needs, as data.

export type ReadStyle = "direct" | "destructure" | "keys" | "entries" | "rest" | "copy" | "assign" | "json" | "partial";
export type NextStyle = "spread" | "assign" | "fresh" | "diff";
export type UpdateStyle = "diff" | "full" | "copyFull";

/** Enabled iff `tuple[field] % mod === rem`. */
export interface Guard {
  readonly field: number;
  readonly mod: number;
  readonly rem: number;
}

interface ActionCommon {
  readonly name: string;
  readonly form: "next" | "update";
  readonly read: ReadStyle;
  readonly nextStyle: NextStyle;
  readonly updateStyle: UpdateStyle;
}

export type ActionPlan = ActionCommon &
  (
    | { readonly kind: "slots"; readonly slots: number; readonly table: readonly Int32Array[]; readonly guard?: Guard }
    | { readonly kind: "single"; readonly target: Int32Array }
    | { readonly kind: "from"; readonly candidates: readonly (readonly number[])[]; readonly allowed: readonly ReadonlySet<number>[] }
    | { readonly kind: "local"; readonly field: number; readonly slots: number; readonly table: readonly Int32Array[]; readonly guard?: Guard }
    | { readonly kind: "breach"; readonly writes: ReadonlyMap<number, BreachWrite> }
  );

/** A breach at a node either moves to another main node or writes a local field. */
export type BreachWrite = { readonly node: number } | { readonly field: number; readonly value: number };

/** `nodes.has(main node) && (local === undefined || tuple[local.field] === local.value)`; `bounds` = never. */
export interface PropPlan {
  readonly name: string;
  readonly kind: "always" | "sometimes";
  readonly nodes: ReadonlySet<number>;
  readonly local?: { readonly field: number; readonly value: number };
  /** An always property that checks field ranges (holds everywhere). */
  readonly bounds?: boolean;
  readonly explain: boolean;
  readonly read: ReadStyle;
  /** Why the generator put it there (for reports). */
  readonly intent: string;
}

export interface ConstraintAtom {
  readonly field: number;
  readonly max: number;
}

export interface ViewPlan {
  readonly keep: readonly number[];
  readonly as: "record" | "array" | "number";
}

export interface Recipe {
  readonly seed: number;
  readonly big: boolean;
}

export interface Plan {
  readonly recipe: Recipe;
  readonly fields: readonly string[];
  /** Values of field i are 0..range[i]-1. */
  readonly range: readonly number[];
  readonly pc: readonly number[];
  readonly shadow: number; // -1: none
  readonly locals: readonly number[];
  readonly k: number;
  readonly nodes: number;
  /** node -> its pc values (in `pc` order) */
  readonly codes: readonly (readonly number[])[];
  readonly shadowOf: readonly number[];
  /** sum(pc value i * k^i) -> node, or -1 */
  readonly idByCode: Int32Array;
  /** node -> layer; -1 for hidden nodes */
  readonly layer: readonly number[];
  readonly hidden: readonly number[];
  readonly sink: number; // -1: none
  readonly inits: readonly Tuple[];
  readonly actions: readonly ActionPlan[];
  readonly properties: readonly PropPlan[];
  /** All atoms must hold (`cap` is the first atom's max, a spec parameter). */
  readonly constraint?: readonly ConstraintAtom[];
  readonly view?: ViewPlan;
  readonly deadlockIsError: boolean;
  readonly memoize: boolean;
  readonly info: {
    readonly big: boolean;
    readonly targetSize: number;
    readonly layers: number;
    /** Breach actions enabled only at states past this many distinct states in BFS order (big class). */
    readonly breachAfter?: number;
    readonly plantedDeadlock: boolean;
  };
}

// ---------------------------------------------------------------------------------------
// Generation.

export interface RandomSpecOptions {
  /**
   * "mixed" (default): actions use `next` or `update`. "next": every action uses `next` (an
   * update is wrapped as `{ ...s, ...update }`), for running against a core without `update`.
   */
  readonly forms?: "mixed" | "next";
  /** Percentage of specs in the 1,400-3,000 state class (default 12). */
  readonly bigPercent?: number;
  readonly constraints?: boolean;
  readonly views?: boolean;
  readonly breaches?: boolean;
  readonly sometimes?: boolean;
  /**
   * Non-breach actions may read the state through a rest pattern (`const { a, ...rest } = s`),
   * a copy that reads every field (default true; false maps that style to plain reads, for a
   * core whose memo rejects copies).
   */
  readonly copyReads?: boolean;
}

const NAME_POOL = ["pc", "x", "y", "z", "mode", "lvl", "ctr", "bit", "phase", "n", "q", "turn", "acc", "hd"];

export function generatePlan(recipe: Recipe, options: RandomSpecOptions = {}): Plan {
  const rng = new Rng(recipe.seed);
  const big = recipe.big;
  const wantConstraint = (options.constraints ?? true) && rng.chance(0.35);
  const wantView = (options.views ?? true) && rng.chance(0.3);
  const deadlockIsError = rng.chance(0.12);
  const plantedDeadlock = deadlockIsError && rng.chance(0.6);

  // Sizes: reachable states ~ main nodes x local values.
  const targetSize = big ? rng.int(1400, 3000) : Math.round(Math.exp(Math.log(20) + rng.float() * (Math.log(400) - Math.log(20))));
  const hasShadow = wantConstraint || wantView || rng.chance(0.3);
  const fieldsWanted = rng.int(2, 5);
  let localCount = rng.int(0, Math.max(0, Math.min(2, fieldsWanted - 1 - (hasShadow ? 1 : 0))));
  if (plantedDeadlock && rng.chance(0.7)) localCount = 0;
  let localRanges = Array.from({ length: localCount }, () => rng.int(2, 3));
  const product = () => localRanges.reduce((a, b) => a * b, 1);
  while (localRanges.length > 0 && targetSize / product() < 12) localRanges = localRanges.slice(1);
  localCount = localRanges.length;
  const mainCount = Math.max(8, Math.round(targetSize / product()));
  const hiddenCount = rng.int(1, 4);
  const sinkCount = plantedDeadlock ? 1 : 0;
  const nodes = mainCount + hiddenCount + sinkCount;
  let m = Math.max(1, fieldsWanted - (hasShadow ? 1 : 0) - localCount);
  if (m + (hasShadow ? 1 : 0) + localCount < 2) m = 2;
  const kFor = (mm: number) => {
    let k = Math.max(2, Math.ceil(Math.pow(nodes, 1 / mm) - 1e-9));
    while (k ** mm < nodes) k++;
    return k;
  };
  while (kFor(m) > 16 && m + (hasShadow ? 1 : 0) + localCount < 5) m++;
  const k = kFor(m);
  const fieldCount = m + (hasShadow ? 1 : 0) + localCount;

  // Field names and roles, in a random record order.
  const names = rng.shuffle(NAME_POOL.slice()).slice(0, fieldCount);
  const roles: ("pc" | "shadow" | "local")[] = rng.shuffle([...Array(m).fill("pc"), ...(hasShadow ? ["shadow"] : []), ...Array(localCount).fill("local")]);
  const pc: number[] = [];
  const locals: number[] = [];
  let shadow = -1;
  const range: number[] = [];
  roles.forEach((role, i) => {
    if (role === "pc") {
      pc.push(i);
      range.push(k);
    } else if (role === "shadow") {
      shadow = i;
      range.push(3);
    } else {
      range.push(localRanges[locals.length]);
      locals.push(i);
    }
  });

  // Layers 0..D of the main graph.
  const nInit = rng.chance(0.8) ? 1 : 2;
  const maxLayers = mainCount - nInit;
  let D: number;
  if (big) D = rng.int(10, Math.min(30, Math.floor(mainCount / 3)));
  else if (rng.chance(0.45)) D = Math.round(mainCount * (0.15 + 0.35 * rng.float()));
  else D = rng.int(2, 8);
  D = Math.max(2, Math.min(D, 60, maxLayers));
  const layerSizes = [nInit, ...Array(D).fill(1)];
  for (let rest = mainCount - nInit - D; rest > 0; rest--) layerSizes[rng.int(1, D)]++;
  const layer: number[] = [];
  const byLayer: number[][] = [];
  for (let l = 0; l <= D; l++) {
    byLayer.push([]);
    for (let i = 0; i < layerSizes[l]; i++) {
      byLayer[l].push(layer.length);
      layer.push(l);
    }
  }
  const hidden: number[] = [];
  for (let i = 0; i < hiddenCount; i++) {
    hidden.push(layer.length);
    layer.push(-1);
  }
  const sink = plantedDeadlock ? layer.length : -1;
  if (plantedDeadlock) layer.push(rng.int(1, D));

  // Edges of the main graph.
  interface Edge {
    readonly to: number;
    readonly tree: boolean;
  }
  const out: Edge[][] = Array.from({ length: nodes }, () => []);
  const treeChildren = new Array<number>(nodes).fill(0);
  for (let l = 1; l <= D; l++) {
    for (const v of byLayer[l]) {
      const parent = rng.pick(byLayer[l - 1]);
      out[parent].push({ to: v, tree: true });
      treeChildren[parent]++;
    }
  }
  if (sink >= 0) out[rng.pick(byLayer[layer[sink] - 1])].push({ to: sink, tree: true });
  const branching = 1.6 + 2.2 * rng.float();
  const extraMean = Math.max(0.15, branching - 1 - 1.1 * localCount);
  const atOrBelow: number[][] = []; // nodes of layer <= l
  for (let l = 0, acc: number[] = []; l <= D; l++) {
    acc = acc.concat(byLayer[l]);
    atOrBelow.push(acc);
  }
  for (let u = 0; u < mainCount; u++) {
    const l = layer[u];
    for (let e = rng.poisson(extraMean); e > 0; e--) {
      const r = rng.float();
      if (r < 0.35 && l < D) out[u].push({ to: rng.pick(byLayer[l + 1]), tree: false });
      else if (r < 0.8) out[u].push({ to: rng.pick(atOrBelow[l]), tree: false });
      else if (r < 0.95 || out[u].length === 0) out[u].push({ to: u, tree: false });
      else out[u].push({ to: rng.pick(out[u]).to, tree: false });
    }
  }
  for (const h of hidden) {
    for (let e = rng.int(1, 2); e > 0; e--) {
      out[h].push({ to: rng.chance(0.4) ? rng.pick(hidden) : rng.pick(atOrBelow[Math.min(2, D)]), tree: false });
    }
  }

  // Main actions: the edges split over them.
  interface MainClass {
    readonly kind: "slots" | "single" | "from";
    readonly guard?: Guard;
    readonly edges: number[][];
  }
  const classes: MainClass[] = [{ kind: "slots", edges: out.map(() => []) }];
  if (rng.chance(0.7)) classes.push({ kind: "from", edges: out.map(() => []) });
  if (rng.chance(0.5)) classes.push({ kind: "single", edges: out.map(() => []) });
  if (locals.length > 0 && rng.chance(0.4)) {
    const f = rng.pick(locals);
    classes.push({ kind: "slots", guard: { field: f, mod: range[f], rem: rng.int(0, range[f] - 1) }, edges: out.map(() => []) });
  }
  rng.shuffle(classes);
  const unguarded = classes.filter((c) => !c.guard);
  for (let u = 0; u < nodes; u++) {
    for (const e of rng.shuffle(out[u].slice())) {
      let c = rng.pick(e.tree ? unguarded : classes);
      if (c.kind === "single" && c.edges[u].length > 0) c = classes.find((x) => x.kind === "slots" && !x.guard)!;
      c.edges[u].push(e.to);
    }
  }
  if (deadlockIsError) {
    // Deadlocks only where planted: every other node keeps an always-enabled move.
    const slots0 = classes.find((x) => x.kind === "slots" && !x.guard)!;
    for (let u = 0; u < nodes; u++) if (u !== sink && unguarded.every((c) => c.edges[u].length === 0)) slots0.edges[u].push(u);
  }

  const actions: ActionPlan[] = [];
  const forms = options.forms ?? "mixed";
  // Breaches and local steps are mostly updates (memoized, and for locals: memo hits).
  const style = (breach: boolean, local = false): ActionCommon & { name: string } => ({
    name: "",
    // The draw happens in both modes, so forms: "next" gives the same spec in the other form.
    form: rng.chance(breach ? 0.85 : local ? 0.8 : 0.55) && forms !== "next" ? "update" : "next",
    read: breach
      ? rng.pick<ReadStyle>(m >= 2 ? ["copy", "copy", "assign", "json", "partial"] : ["copy", "copy", "assign", "json"])
      : ((r: ReadStyle): ReadStyle => (r === "rest" && options.copyReads === false ? "direct" : r))(rng.pick<ReadStyle>(["direct", "direct", "destructure", "keys", "entries", "rest"])),
    nextStyle: rng.pick<NextStyle>(["spread", "spread", "assign", "fresh", "diff"]),
    updateStyle: rng.pick<UpdateStyle>(["diff", "diff", "full", "copyFull"]),
  });
  const mainNames = rng.shuffle(["Step", "Move", "Hop", "Go", "Advance", "Jump"]);
  classes.forEach((c, i) => {
    const common = { ...style(false), name: mainNames[i] };
    if (c.kind === "slots") {
      const slots = Math.max(1, ...c.edges.map((es) => es.length + (rng.chance(0.2) ? 1 : 0)));
      const table = c.edges.map((es) => {
        const row = new Int32Array(slots).fill(-1);
        const free = rng.shuffle(Array.from({ length: slots }, (_, j) => j));
        es.forEach((to, j) => (row[free[j]] = to));
        return row;
      });
      actions.push({ ...common, kind: "slots", slots, table, guard: c.guard });
    } else if (c.kind === "single") {
      actions.push({ ...common, kind: "single", target: Int32Array.from(c.edges, (es) => (es.length ? es[0] : -1)) });
    } else {
      const candidates: number[][] = [];
      const allowed: Set<number>[] = [];
      for (let u = 0; u < nodes; u++) {
        const ok = new Set(c.edges[u]);
        const cands = c.edges[u].slice();
        for (let d = rng.chance(0.4) ? rng.int(1, 2) : 0; d > 0; d--) {
          const decoy = rng.int(0, nodes - 1);
          if (!ok.has(decoy)) cands.push(decoy);
        }
        candidates.push(rng.shuffle(cands));
        allowed.push(ok);
      }
      actions.push({ ...common, kind: "from", candidates, allowed });
    }
  });
  // Local actions: each local field steps through its own strongly connected little graph.
  const localNames = rng.shuffle(["Tick", "Flip", "Bump", "Toggle"]);
  locals.forEach((f, i) => {
    const r = range[f];
    const rows: number[][] = [];
    for (let v = 0; v < r; v++) {
      const row = [(v + 1) % r];
      if (rng.chance(0.35)) row.push(v);
      if (rng.chance(0.3)) row.push(rng.int(0, r - 1));
      rows.push(row);
    }
    const slots = Math.max(...rows.map((x) => x.length));
    const table = rows.map((row) => {
      const t = new Int32Array(slots).fill(-1);
      const free = rng.shuffle(Array.from({ length: slots }, (_, j) => j));
      row.forEach((to, j) => (t[free[j]] = to));
      return t;
    });
    let guard: Guard | undefined;
    if (rng.chance(0.35)) {
      const g = rng.pick([...pc, ...locals.filter((x) => x !== f)]);
      const mod = range[g] <= 3 ? range[g] : rng.int(2, 3);
      guard = { field: g, mod, rem: rng.int(0, mod - 1) };
    }
    actions.splice(rng.int(0, actions.length), 0, { ...style(false, true), name: localNames[i], kind: "local", field: f, slots, table, guard });
  });

  // Node codes and the shadow field.
  const space = k ** m;
  const codeList = rng.shuffle(Array.from({ length: space }, (_, i) => i)).slice(0, nodes);
  const idByCode = new Int32Array(space).fill(-1);
  const codes = codeList.map((code, node) => {
    idByCode[code] = node;
    return pc.map((_, i) => Math.floor(code / k ** i) % k);
  });
  const outside = new Set<number>(); // nodes outside the constraint (shadow 2)
  if (wantConstraint) {
    const leaves = layer.map((l, u) => u).filter((u) => layer[u] > 0 && u < mainCount && treeChildren[u] === 0);
    for (const u of leaves) if (rng.chance(0.3)) outside.add(u);
    if (outside.size === 0 && leaves.length > 0) outside.add(rng.pick(leaves));
  }
  const shadowOf = codes.map((_, u) => (outside.has(u) ? 2 : wantConstraint ? rng.int(0, 1) : rng.int(0, 2)));

  // Initial states.
  const initTuple = (node: number, localValues: Map<number, number> = new Map()): number[] => {
    const t = new Array<number>(fieldCount).fill(0);
    pc.forEach((f, i) => (t[f] = codes[node][i]));
    if (shadow >= 0) t[shadow] = shadowOf[node];
    for (const f of locals) t[f] = localValues.get(f) ?? 0;
    return t;
  };
  const inits: number[][] = byLayer[0].map((u) => initTuple(u));
  if (locals.length > 0 && rng.chance(0.3)) inits.push(initTuple(byLayer[0][0], new Map([[locals[0], 1]])));
  rng.shuffle(inits);

  let constraint: ConstraintAtom[] | undefined;
  if (wantConstraint) {
    constraint = [{ field: shadow, max: 1 }];
    if (locals.length > 0 && rng.chance(0.3)) {
      const f = rng.pick(locals);
      const atom = { field: f, max: range[f] - 2 };
      if (inits.every((t) => t[f] <= atom.max)) constraint.push(atom);
    }
  }

  const base: Plan = {
    recipe, fields: names, range, pc, shadow, locals, k, nodes, codes, shadowOf, idByCode, layer, hidden, sink, inits,
    actions, properties: [], constraint, deadlockIsError, memoize: rng.chance(0.5),
    info: { big, targetSize, layers: D + 1, plantedDeadlock },
  };

  // Breaches, placed on the graph as it is without them.
  let plan = base;
  let breachAfter: number | undefined;
  const breachTargets = new Set<number>();
  if ((options.breaches ?? true) && (big || rng.chance(0.45))) {
    const phase1 = runOracle(base);
    const minDist = phase1.minDistByNode;
    let pool: number[];
    if (big) {
      const cum: number[] = [];
      phase1.depthCounts.forEach((c, d) => cum.push((cum[d - 1] ?? 0) + c));
      const L = cum.findIndex((c) => c >= 1100) + 1; // states at distance >= L come after >= 1,100 others
      pool = L > 0 ? minDist.map((d, u) => u).filter((u) => layer[u] >= 0 && minDist[u] >= L) : [];
      if (pool.length > 0) breachAfter = cum[L - 1];
      else pool = [minDist.reduce((best, d, u) => (d > (minDist[best] ?? -1) ? u : best), 0)];
    } else {
      pool = minDist.map((d, u) => u).filter((u) => layer[u] >= 0 && minDist[u] >= 0);
    }
    const breachNames = rng.shuffle(["Audit", "Peek", "Probe"]);
    const nb = rng.int(1, 2);
    const extra: ActionPlan[] = [];
    for (let b = 0; b < nb; b++) {
      const writes = new Map<number, BreachWrite>();
      for (let s = rng.int(1, 3); s > 0; s--) {
        const src = rng.pick(pool);
        const r = rng.float();
        let w: BreachWrite;
        if ((b === 0 && writes.size === 0) || r < 0.5) w = { node: rng.pick(hidden) };
        else if (r < 0.8 && locals.length > 0) {
          const f = rng.pick(locals);
          w = { field: f, value: rng.int(0, range[f] - 1) };
        } else w = { node: rng.pick(atOrBelow[Math.max(0, layer[src])]) };
        if ("node" in w) breachTargets.add(w.node);
        writes.set(src, w);
      }
      extra.push({ ...style(true), name: breachNames[b], kind: "breach", writes });
    }
    const all = actions.slice();
    for (const a of extra) all.splice(rng.int(0, all.length), 0, a);
    plan = { ...base, actions: all };
  }

  // Properties, placed on the final graph.
  const graph = runOracle(plan);
  const minDist = graph.minDistByNode;
  const reachableMain = minDist.map((d, u) => u).filter((u) => minDist[u] >= 0 && layer[u] >= 0);
  const maxMin = Math.max(0, ...reachableMain.map((u) => minDist[u]));
  const unreachable = minDist.map((d, u) => u).filter((u) => minDist[u] < 0 && !graph.generatedNodes.has(u));
  const throughBreach = hidden.filter((u) => minDist[u] >= 0);
  const outsideReached = [...outside].filter((u) => graph.generatedNodes.has(u));
  const properties: PropPlan[] = [];
  const propNames = rng.shuffle(["Safe", "Inv", "TypeOK", "NoCrash", "Bounded", "Consistent"]);
  const readStyle = () => rng.pick<ReadStyle>(["direct", "keys", "copy", "destructure"]);
  const failing = !plantedDeadlock && rng.chance(0.6);
  const alwaysCount = rng.int(1, 3);
  for (let i = 0; i < alwaysCount; i++) {
    const name = propNames[i];
    const explain = rng.chance(0.4);
    if (failing && (i === 0 || rng.chance(0.25))) {
      const r = rng.float();
      if (r < 0.12 && throughBreach.length > 0) {
        properties.push({ name, kind: "always", nodes: new Set([rng.pick(throughBreach)]), explain, read: readStyle(), intent: "fails only through a breach" });
        continue;
      }
      if (r < 0.22 && outsideReached.length > 0) {
        properties.push({ name, kind: "always", nodes: new Set([rng.pick(outsideReached)]), explain, read: readStyle(), intent: "fails only outside the constraint" });
        continue;
      }
      const depth = rng.chance(0.05) ? 0 : rng.int(1, Math.min(maxMin, 14));
      const at = reachableMain.filter((u) => minDist[u] === depth);
      const deeper = reachableMain.filter((u) => minDist[u] > depth);
      const bad = new Set<number>();
      for (let j = rng.int(1, 2); j > 0 && at.length > 0; j--) bad.add(rng.pick(at));
      for (let j = rng.int(0, 3); j > 0 && deeper.length > 0; j--) bad.add(rng.pick(deeper));
      const local = locals.length > 0 && rng.chance(0.25) ? (() => { const f = rng.pick(locals); return { field: f, value: rng.int(0, range[f] - 1) }; })() : undefined;
      properties.push({ name, kind: "always", nodes: bad, local, explain, read: readStyle(), intent: `fails from depth ${depth}${local ? " with a local" : ""}` });
    } else if (unreachable.length > 0 && rng.chance(0.6)) {
      properties.push({ name, kind: "always", nodes: new Set([rng.pick(unreachable)]), explain, read: readStyle(), intent: "holds (bad node unreachable)" });
    } else {
      properties.push({ name, kind: "always", nodes: new Set(), bounds: true, explain, read: readStyle(), intent: "holds (field ranges)" });
    }
  }
  if ((options.sometimes ?? true) && rng.chance(0.45)) {
    const sNames = rng.shuffle(["Reached", "Done", "CanFinish"]);
    for (let i = rng.int(1, 2) - 1; i >= 0; i--) {
      const r = rng.float();
      let nodesSet: Set<number>;
      let intent: string;
      if (r < 0.7 && reachableMain.length > 0) {
        nodesSet = new Set([rng.pick(reachableMain)]);
        if (rng.chance(0.5)) nodesSet.add(rng.pick(reachableMain));
        intent = "has an example";
      } else if (r < 0.85 && outsideReached.length > 0) {
        nodesSet = new Set([rng.pick(outsideReached)]);
        intent = "only outside the constraint: no example";
      } else {
        nodesSet = new Set(unreachable.length > 0 ? [rng.pick(unreachable)] : []);
        intent = "no example (unreachable)";
      }
      properties.push({ name: sNames[i], kind: "sometimes", nodes: nodesSet, explain: rng.chance(0.3), read: readStyle(), intent });
    }
  }

  let view: ViewPlan | undefined;
  if (wantView) {
    const all = Array.from({ length: fieldCount }, (_, i) => i);
    let drop: number;
    if (rng.chance(0.65)) drop = shadow; // injective: shadow is a function of the pc fields
    else drop = rng.pick(locals.length > 0 && rng.chance(0.5) ? locals : pc);
    view = { keep: all.filter((i) => i !== drop), as: rng.pick(["record", "array", "number"] as const) };
  }

  return { ...plan, properties, view, info: { ...plan.info, breachAfter } };
}

// ---------------------------------------------------------------------------------------
// The oracle: plain BFS over tuples, reading the plan's tables.

export function mainNode(plan: Plan, t: Tuple): number {
  let c = 0;
  for (let i = 0; i < plan.pc.length; i++) c += t[plan.pc[i]] * plan.k ** i;
  const u = plan.idByCode[c];
  if (u === undefined || u < 0) throw new Error(`random-spec oracle: ${t.join(",")} is not a node`);
  return u;
}

function moveTo(plan: Plan, t: Tuple, node: number): number[] {
  const out = t.slice();
  plan.pc.forEach((f, i) => (out[f] = plan.codes[node][i]));
  if (plan.shadow >= 0) out[plan.shadow] = plan.shadowOf[node];
  return out;
}

function guardHolds(g: Guard | undefined, t: Tuple): boolean {
  return g === undefined || t[g.field] % g.mod === g.rem;
}

/**
 * Successors of `t`, one per enabled action instance, in dscheck's instance order, each with
 * its instance index (disabled instances take up an index too: that is what a replay path
 * names); `breach` = some breach action is enabled.
 */
export function successorTuples(plan: Plan, t: Tuple): { successors: number[][]; instances: number[]; breach: boolean } {
  const u = mainNode(plan, t);
  const successors: number[][] = [];
  const instances: number[] = [];
  let instance = 0;
  let breach = false;
  const add = (s: number[]) => {
    successors.push(s);
    instances.push(instance);
  };
  for (const a of plan.actions) {
    switch (a.kind) {
      case "slots":
        for (let j = 0; j < a.slots; j++, instance++) if (guardHolds(a.guard, t) && a.table[u][j] >= 0) add(moveTo(plan, t, a.table[u][j]));
        break;
      case "single":
        if (a.target[u] >= 0) add(moveTo(plan, t, a.target[u]));
        instance++;
        break;
      case "from":
        for (const c of a.candidates[u]) {
          if (a.allowed[u].has(c)) add(moveTo(plan, t, c));
          instance++;
        }
        break;
      case "local":
        for (let j = 0; j < a.slots; j++, instance++) {
          const to = a.table[t[a.field]][j];
          if (guardHolds(a.guard, t) && to >= 0) {
            const s = t.slice();
            s[a.field] = to;
            add(s);
          }
        }
        break;
      case "breach": {
        const w = a.writes.get(u);
        if (w !== undefined) {
          breach = true;
          if ("node" in w) add(moveTo(plan, t, w.node));
          else {
            const s = t.slice();
            s[w.field] = w.value;
            add(s);
          }
        }
        instance++;
        break;
      }
    }
  }
  return { successors, instances, breach };
}

export function inConstraint(plan: Plan, t: Tuple): boolean {
  return !plan.constraint || plan.constraint.every((a) => t[a.field] <= a.max);
}

/** Whether the property's predicate `hit` holds; an always property holds iff it is false, a sometimes property is satisfied iff it is true. */
export function propertyHit(plan: Plan, p: PropPlan, t: Tuple): boolean {
  if (p.bounds) return !t.every((v, i) => Number.isInteger(v) && v >= 0 && v < plan.range[i]);
  if (!p.nodes.has(mainNode(plan, t))) return false;
  if (p.local && t[p.local.field] !== p.local.value) return false;
  return p.kind === "sometimes" ? inConstraint(plan, t) : true;
}

export function viewKey(plan: Plan, t: Tuple): string {
  return plan.view ? plan.view.keep.map((i) => t[i]).join(",") : t.join(",");
}

export interface Oracle {
  readonly initialStates: number;
  /** Distinct states: reachable, inside the constraint (within maxDepth). */
  readonly distinct: number;
  /** TLC's generated count. */
  readonly generated: number;
  /** Generated successors outside the constraint. */
  readonly outOfConstraint: number;
  /** States expanded (inside the constraint, above the depth bound). */
  readonly expanded: number;
  /** Largest BFS distance of a distinct state. */
  readonly maxDepth: number;
  /** distinct states per BFS distance */
  readonly depthCounts: readonly number[];
  /** Some initial state has an enabled successor. */
  readonly initHasSuccessor: boolean;
  /** Mean enabled successors per expanded state. */
  readonly branching: number;
  /** The least depth of a generated state failing an always property, and the properties failing there. */
  readonly always?: { readonly depth: number; readonly properties: readonly string[] };
  /** Always properties that fail on some generated state. */
  readonly violable: ReadonlySet<string>;
  /** The least depth of an expanded state with no enabled successor (counted whether or not deadlock is an error). */
  readonly deadlock?: number;
  /**
   * The depths a BFS may report its counterexample at (always or, when deadlockIsError,
   * deadlock). An always-violation at depth d is found while expanding depth d-1, a
   * deadlock at depth d while expanding depth d, so with a deadlock at d and the nearest bad
   * state at d+1 either comes first. Undefined when there is no counterexample.
   */
  readonly violationDepths?: readonly number[];
  /** Per sometimes property: the least depth of an example, or undefined. */
  readonly sometimes: Readonly<Record<string, number | undefined>>;
  /** With a view: distinct views among distinct states, and whether the view is injective on every generated state. */
  readonly view?: { readonly distinct: number; readonly injective: boolean };
  /** BFS position (0-based, expansion order) of the first expanded state where a breach action is enabled. */
  readonly firstBreachAt?: number;
  /** Per node: least BFS distance of a distinct state at that node, or -1. */
  readonly minDistByNode: readonly number[];
  /** Nodes of generated states. */
  readonly generatedNodes: ReadonlySet<number>;
  /** Keys (tuple.join(",")) of every generated state, with its least depth. */
  readonly generatedDepth: ReadonlyMap<string, number>;
}

export function runOracle(plan: Plan, options: { maxDepth?: number } = {}): Oracle {
  const maxDepthBound = options.maxDepth ?? Infinity;
  const dist = new Map<string, number>();
  const queue: Tuple[] = [];
  const generatedDepth = new Map<string, number>();
  const generatedNodes = new Set<number>();
  const minDistByNode = new Array<number>(plan.nodes).fill(-1);
  const always = plan.properties.filter((p) => p.kind === "always");
  const someProps = plan.properties.filter((p) => p.kind === "sometimes");
  const sometimesDepth: Record<string, number | undefined> = Object.fromEntries(someProps.map((p) => [p.name, undefined]));
  const violable = new Set<string>();
  let alwaysAt: { depth: number; properties: string[] } | undefined;
  let generated = 0;
  let outOfConstraint = 0;
  let deadlock: number | undefined;
  let firstBreachAt: number | undefined;
  let initHasSuccessor = false;
  let expanded = 0;
  let successorsSeen = 0;

  const found = (t: Tuple, depth: number) => {
    generated++;
    const key = t.join(",");
    if (!generatedDepth.has(key)) generatedDepth.set(key, depth);
    generatedNodes.add(mainNode(plan, t));
    for (const p of always) {
      if (!propertyHit(plan, p, t)) continue;
      violable.add(p.name);
      if (!alwaysAt || depth < alwaysAt.depth) alwaysAt = { depth, properties: [p.name] };
      else if (depth === alwaysAt.depth && !alwaysAt.properties.includes(p.name)) alwaysAt.properties.push(p.name);
    }
    if (!inConstraint(plan, t)) {
      outOfConstraint++;
      return;
    }
    if (dist.has(key)) return;
    dist.set(key, depth);
    queue.push(t);
    const u = mainNode(plan, t);
    if (minDistByNode[u] < 0) minDistByNode[u] = depth;
    for (const p of someProps) if (sometimesDepth[p.name] === undefined && propertyHit(plan, p, t)) sometimesDepth[p.name] = depth;
  };

  for (const t of plan.inits) found(t, 0);
  const initKeys = new Set(plan.inits.map((t) => t.join(",")));
  for (let h = 0; h < queue.length; h++) {
    const t = queue[h];
    const d = dist.get(t.join(","))!;
    if (d >= maxDepthBound) continue;
    expanded++;
    const { successors, breach } = successorTuples(plan, t);
    if (breach && firstBreachAt === undefined) firstBreachAt = h;
    if (successors.length > 0 && initKeys.has(t.join(","))) initHasSuccessor = true;
    if (successors.length === 0 && deadlock === undefined) deadlock = d;
    successorsSeen += successors.length;
    for (const s of successors) found(s, d + 1);
  }

  const depthCounts: number[] = [];
  for (const d of dist.values()) depthCounts[d] = (depthCounts[d] ?? 0) + 1;
  for (let i = 0; i < depthCounts.length; i++) depthCounts[i] ??= 0;

  let view: Oracle["view"];
  if (plan.view) {
    const owner = new Map<string, string>();
    let injective = true;
    for (const key of generatedDepth.keys()) {
      const v = viewKey(plan, key.split(",").map(Number));
      const o = owner.get(v);
      if (o === undefined) owner.set(v, key);
      else if (o !== key) injective = false;
    }
    view = { distinct: new Set([...dist.keys()].map((key) => viewKey(plan, key.split(",").map(Number)))).size, injective };
  }

  const A = alwaysAt?.depth;
  const Dd = plan.deadlockIsError ? deadlock : undefined;
  let violationDepths: number[] | undefined;
  if (A !== undefined && Dd === undefined) violationDepths = [A];
  else if (A === undefined && Dd !== undefined) violationDepths = [Dd];
  else if (A !== undefined && Dd !== undefined) violationDepths = A <= Dd ? [A] : A === Dd + 1 ? [Dd, A] : [Dd];

  return {
    initialStates: plan.inits.length,
    distinct: dist.size,
    generated,
    outOfConstraint,
    expanded,
    maxDepth: Math.max(0, depthCounts.length - 1),
    depthCounts,
    initHasSuccessor,
    branching: expanded ? successorsSeen / expanded : 0,
    always: alwaysAt,
    violable,
    deadlock,
    violationDepths,
    sometimes: sometimesDepth,
    view,
    firstBreachAt,
    minDistByNode,
    generatedNodes,
    generatedDepth,
  };
}

// ---------------------------------------------------------------------------------------
// The spec: the plan written as an ordinary dscheck spec, in several styles.

type AnyAction = ActionDef<RecordState, Record<string, unknown>, readonly number[]>;

export function buildSpec(plan: Plan): Spec<RecordState, ParamDecls> {
  const { fields, pc, k, idByCode } = plan;
  const m = pc.length;
  const pcNames = pc.map((i) => fields[i]);
  const weight = pc.map((_, i) => k ** i);
  const pcPos = new Map(pcNames.map((n, i) => [n, i]));
  const isMain = fields.map((_, i) => pc.includes(i) || i === plan.shadow);
  const shadowName = plan.shadow >= 0 ? fields[plan.shadow] : undefined;

  const fromCode = (c: number): number => {
    const u = idByCode[c];
    if (u === undefined || u < 0) throw new Error(`not a node code: ${c}`);
    return u;
  };
  const idDirect = (s: RecordState): number => {
    let c = 0;
    for (let i = 0; i < m; i++) c += s[pcNames[i]] * weight[i];
    return fromCode(c);
  };
  const [p0, p1, p2, p3, p4] = pcNames;
  const reader = (style: ReadStyle): ((s: RecordState) => number) => {
    switch (style) {
      case "direct":
        return idDirect;
      case "destructure":
        if (m === 1) return (s) => { const { [p0]: a } = s; return fromCode(a); };
        if (m === 2) return (s) => { const { [p0]: a, [p1]: b } = s; return fromCode(a + b * k); };
        if (m === 3) return (s) => { const { [p0]: a, [p1]: b, [p2]: c } = s; return fromCode(a + b * k + c * k * k); };
        if (m === 4) return (s) => { const { [p0]: a, [p1]: b, [p2]: c, [p3]: d } = s; return fromCode(a + b * k + c * k * k + d * k * k * k); };
        return (s) => { const { [p0]: a, [p1]: b, [p2]: c, [p3]: d, [p4]: e } = s; return fromCode(a + b * k + c * k * k + d * k * k * k + e * k * k * k * k); };
      case "keys":
        return (s) => {
          let c = 0;
          for (const key of Object.keys(s)) {
            const i = pcPos.get(key);
            if (i !== undefined) c += s[key] * weight[i];
          }
          return fromCode(c);
        };
      case "entries":
        return (s) => {
          let c = 0;
          for (const [key, v] of Object.entries(s)) {
            const i = pcPos.get(key);
            if (i !== undefined) c += v * weight[i];
          }
          return fromCode(c);
        };
      case "rest":
        return (s) => {
          const { [p0]: a, ...rest } = s;
          let c = a;
          for (let i = 1; i < m; i++) c += rest[pcNames[i]] * weight[i];
          return fromCode(c);
        };
      case "copy":
        return (s) => {
          const t = { ...s };
          return idDirect(t);
        };
      case "assign":
        return (s) => idDirect(Object.assign({}, s));
      case "json":
        return (s) => idDirect(JSON.parse(JSON.stringify(s)) as RecordState);
      case "partial":
        // One pc field read from the state, the others from a copy of it.
        return (s) => {
          const first = s[p0];
          const t = { ...s };
          let c = first;
          for (let i = 1; i < m; i++) c += t[pcNames[i]] * weight[i];
          return fromCode(c);
        };
    }
  };

  // The main part (pc fields and shadow) of each node, as a frozen record.
  const mainPart: Readonly<Record<string, number>>[] = plan.codes.map((code, u) => {
    const o: Record<string, number> = {};
    pc.forEach((f, i) => (o[fields[f]] = code[i]));
    if (shadowName !== undefined) o[shadowName] = plan.shadowOf[u];
    return Object.freeze(o);
  });
  const diffPart = (u: number, v: number): Record<string, number> => {
    const o: Record<string, number> = {};
    for (const [key, val] of Object.entries(mainPart[v])) if (mainPart[u][key] !== val) o[key] = val;
    return o;
  };

  /** Builds the action's result for a main move u -> v from state s. */
  const mover = (a: ActionPlan): ((s: RecordState, u: number, v: number) => Record<string, number>) => {
    if (a.form === "update") {
      switch (a.updateStyle) {
        case "diff":
          return (_s, u, v) => diffPart(u, v);
        case "full":
          return (_s, _u, v) => mainPart[v];
        case "copyFull":
          return (_s, _u, v) => ({ ...mainPart[v] });
      }
    }
    switch (a.nextStyle) {
      case "spread":
        return (s, _u, v) => ({ ...s, ...mainPart[v] });
      case "assign":
        return (s, _u, v) => Object.assign({}, s, mainPart[v]);
      case "diff":
        return (s, u, v) => ({ ...s, ...diffPart(u, v) });
      case "fresh": {
        // A new record in another key order, locals read by name.
        const order = fields.map((_, i) => i).reverse();
        return (s, _u, v) => {
          const o: Record<string, number> = {};
          for (const i of order) o[fields[i]] = isMain[i] ? mainPart[v][fields[i]] : s[fields[i]];
          return o;
        };
      }
    }
  };
  const localWriter = (a: ActionPlan, field: number): ((s: RecordState, value: number) => Record<string, number>) => {
    const name = fields[field];
    if (a.form === "update") return (_s, value) => ({ [name]: value });
    if (a.nextStyle === "fresh") {
      return (s, value) => {
        const o: Record<string, number> = {};
        for (const f of [...fields].reverse()) o[f] = f === name ? value : s[f];
        return o;
      };
    }
    if (a.nextStyle === "assign") return (s, value) => Object.assign({}, s, { [name]: value });
    return (s, value) => ({ ...s, [name]: value });
  };
  const guardFn = (g: Guard | undefined): ((s: RecordState) => boolean) => {
    if (!g) return () => true;
    const name = fields[g.field];
    return (s) => s[name] % g.mod === g.rem;
  };

  const actions: AnyAction[] = plan.actions.map((a): AnyAction => {
    const read = reader(a.read);
    type Fn = (s: RecordState, args: readonly number[], p: Record<string, unknown>) => Record<string, number> | null;
    let fn: Fn;
    let args: AnyAction["args"];
    let argsFrom: AnyAction["argsFrom"];
    switch (a.kind) {
      case "slots": {
        const move = mover(a);
        const guard = guardFn(a.guard);
        const table = a.table;
        args = () => Array.from({ length: a.slots }, (_, j) => [j]);
        fn = (s, [j]) => {
          if (!guard(s)) return null;
          const u = read(s);
          const v = table[u][j];
          return v < 0 ? null : move(s, u, v);
        };
        break;
      }
      case "single": {
        const move = mover(a);
        const target = a.target;
        fn = (s) => {
          const u = read(s);
          const v = target[u];
          return v < 0 ? null : move(s, u, v);
        };
        break;
      }
      case "from": {
        const move = mover(a);
        const candidateArgs = a.candidates.map((cs) => Object.freeze(cs.map((c) => Object.freeze([c]))));
        const allowed = a.allowed;
        argsFrom = (s) => candidateArgs[read(s)];
        fn = (s, [v]) => {
          const u = read(s);
          return allowed[u].has(v) ? move(s, u, v) : null;
        };
        break;
      }
      case "local": {
        const write = localWriter(a, a.field);
        const guard = guardFn(a.guard);
        const name = fields[a.field];
        const table = a.table;
        args = () => Array.from({ length: a.slots }, (_, j) => [j]);
        fn = (s, [j]) => {
          if (!guard(s)) return null;
          const to = table[s[name]][j];
          return to < 0 ? null : write(s, to);
        };
        break;
      }
      case "breach": {
        const move = mover(a);
        const writers = new Map<number, (s: RecordState) => Record<string, number>>();
        for (const [u, w] of a.writes) {
          if ("node" in w) writers.set(u, (s) => move(s, u, w.node));
          else {
            const write = localWriter(a, w.field);
            writers.set(u, (s) => write(s, w.value));
          }
        }
        fn = (s) => {
          const u = read(s);
          const w = writers.get(u);
          return w === undefined ? null : w(s);
        };
        break;
      }
    }
    const base = { name: a.name, ...(args ? { args } : {}), ...(argsFrom ? { argsFrom } : {}) };
    if (a.form === "update") {
      return { ...base, update: (s, instance, p) => fn(s, instance, p) };
    }
    return { ...base, next: (s, instance, p) => fn(s, instance, p) as RecordState | null };
  });

  const constraintFn = plan.constraint
    ? (() => {
        const atoms = plan.constraint.map((a) => ({ name: fields[a.field], max: a.max }));
        const [first, ...rest] = atoms;
        return (s: RecordState, p: Record<string, unknown>) => s[first.name] <= (p.cap as number) && rest.every((a) => s[a.name] <= a.max);
      })()
    : undefined;

  const properties: Record<string, Property<RecordState, Record<string, unknown>>> = {};
  for (const p of plan.properties) {
    const read = reader(p.read);
    const localName = p.local ? fields[p.local.field] : undefined;
    const hit = p.bounds
      ? (s: RecordState) => !fields.every((f, i) => Number.isInteger(s[f]) && s[f] >= 0 && s[f] < plan.range[i])
      : (s: RecordState) => p.nodes.has(read(s)) && (localName === undefined || s[localName] === p.local!.value);
    const answer = (ok: boolean): CheckResult => (p.explain ? { holds: ok, explanation: ok ? undefined : `${p.name} at a chosen node` } : ok);
    if (p.kind === "always") properties[p.name] = always((s: RecordState) => answer(!hit(s)));
    else properties[p.name] = sometimes((s: RecordState, params: Record<string, unknown>) => answer(hit(s) && (constraintFn ? constraintFn(s, params) : true)));
  }

  const view = plan.view
    ? (() => {
        const keep = plan.view.keep.map((i) => fields[i]);
        if (plan.view.as === "array") return (s: RecordState) => keep.map((f) => s[f]);
        if (plan.view.as === "number") {
          const base = Math.max(...plan.range) + 1;
          return (s: RecordState) => keep.reduce((acc, f) => acc * base + s[f], 0);
        }
        return (s: RecordState) => {
          const o: Record<string, number> = {};
          for (const f of keep) o[f] = s[f];
          return o;
        };
      })()
    : undefined;

  const inits = plan.inits.map((t) => Object.freeze(Object.fromEntries(fields.map((f, i) => [f, t[i]]))) as RecordState);
  return defineSpec<RecordState, ParamDecls>({
    name: `Random(${plan.recipe.seed}${plan.recipe.big ? ",big" : ""})`,
    params: constraintFn ? { cap: { default: plan.constraint![0].max, min: 0, integer: true } } : {},
    init: () => inits,
    actions,
    properties,
    ...(constraintFn ? { constraint: constraintFn } : {}),
    ...(view ? { view } : {}),
    memoize: plan.memoize,
    deadlockIsError: plan.deadlockIsError,
  });
}

// ---------------------------------------------------------------------------------------
// What the tests draw.

export interface GeneratedSpec {
  readonly recipe: Recipe;
  readonly plan: Plan;
  readonly spec: Spec<RecordState, ParamDecls>;
  readonly oracle: Oracle;
  /** The state (a record from a trace) as a tuple in the plan's field order. */
  tuple(state: unknown): number[];
  /** The spec's own property check on `state`, normalised to a boolean. */
  holds(property: string, state: unknown): boolean;
  /** Counts and verdicts compare exactly: no view, or a view injective on every generated state. */
  readonly exact: boolean;
  /** One line for failure messages. */
  describe(): string;
}

export function generateSpec(recipe: Recipe, options: RandomSpecOptions = {}): GeneratedSpec {
  const plan = generatePlan(recipe, options);
  const spec = buildSpec(plan);
  const oracle = runOracle(plan);
  const params = plan.constraint ? { cap: plan.constraint[0].max } : {};
  const tuple = (state: unknown): number[] => {
    const rec = state as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    if (keys.join() !== [...plan.fields].sort().join()) throw new Error(`not a state of this spec: ${JSON.stringify(state)}`);
    return plan.fields.map((f) => rec[f] as number);
  };
  const g: GeneratedSpec = {
    recipe,
    plan,
    spec,
    oracle,
    tuple,
    holds(property, state) {
      const r = spec.properties[property].check(state as RecordState, params as never);
      return typeof r === "boolean" ? r : r.holds;
    },
    exact: !plan.view || oracle.view!.injective,
    describe() {
      const kinds = plan.actions.map((a) => `${a.name}:${a.kind}/${a.form}/${a.read}`).join(" ");
      return (
        `generateSpec(${JSON.stringify(recipe)}${Object.keys(options).length ? `, ${JSON.stringify(options)}` : ""}): ` +
        `${oracle.distinct} distinct, ${oracle.generated} generated, depth ${oracle.maxDepth}, fields ${plan.fields.join(",")}, ` +
        `actions ${kinds}; props ${plan.properties.map((p) => `${p.name}(${p.kind}: ${p.intent})`).join(", ")}` +
        `${plan.constraint ? `; constraint ${JSON.stringify(plan.constraint)}` : ""}${plan.view ? `; view ${JSON.stringify(plan.view)} injective=${oracle.view!.injective}` : ""}` +
        `; deadlockIsError=${plan.deadlockIsError} memoize=${plan.memoize}`
      );
    },
  };
  return g;
}

/**
 * Random specs with a guaranteed shape (see the header). Values are not shrunk: a failure
 * prints its recipe, and `generateSpec(recipe)` rebuilds the same spec.
 */
export function randomSpecArb(options: RandomSpecOptions = {}): fc.Arbitrary<GeneratedSpec> {
  const bigPercent = options.bigPercent ?? 12;
  // Unbiased: fast-check's bias towards small integers would repeat seeds and skew the class mix.
  const arb = fc
    .noBias(fc.record({ seed: fc.integer({ min: 0, max: 0x7fffffff }), big: fc.integer({ min: 0, max: 99 }).map((x) => x < bigPercent) }))
    .map((recipe) => {
      const g = generateSpec(recipe, options);
      return Object.assign(g, { [fc.toStringMethod]: () => g.describe() });
    });
  return fc.noShrink(arb);
}

/**
 * Why `path` / `trace` (as in a dscheck Discovery) is not a real run of this spec, or
 * undefined when it is: the first step is initial state `path[0]`, every later step is the
 * enabled successor with instance index `path[i]` of the step before, and only states inside
 * the constraint have successors. Checked against the plan, not by replaying through dscheck.
 */
export function traceProblem(g: GeneratedSpec, path: readonly number[], trace: readonly { readonly state: unknown }[]): string | undefined {
  if (trace.length !== path.length) return `trace has ${trace.length} steps, path ${path.length}`;
  if (trace.length === 0) return "empty trace";
  let prev: number[];
  try {
    prev = g.tuple(trace[0].state);
  } catch (e) {
    return String(e);
  }
  const init = g.plan.inits[path[0]];
  if (!init || init.join() !== prev.join()) return `step 0 is not initial state ${path[0]}`;
  for (let i = 1; i < trace.length; i++) {
    if (!inConstraint(g.plan, prev)) return `step ${i - 1} is outside the constraint but has a successor`;
    let cur: number[];
    try {
      cur = g.tuple(trace[i].state);
    } catch (e) {
      return `step ${i}: ${String(e)}`;
    }
    const { successors, instances } = successorTuples(g.plan, prev);
    const at = instances.indexOf(path[i]);
    if (at < 0) return `step ${i}: instance ${path[i]} is disabled`;
    if (successors[at].join() !== cur.join()) return `step ${i}: instance ${path[i]} leads to ${successors[at].join()}, the trace has ${cur.join()}`;
    prev = cur;
  }
  return undefined;
}

/** Whether `state` (a record) has no enabled successor. */
export function isDeadlocked(g: GeneratedSpec, state: unknown): boolean {
  return successorTuples(g.plan, g.tuple(state)).successors.length === 0;
}
