// `explore --replay PATH --json` carries what a search's counterexample carries: every
// property's status at every step, the blame of an `all({...})` property at the violating
// step, and the space-time diagram; `--md` / `--html` on a replay show them.
// Oracles: the spec's properties and conjuncts evaluated directly on each replayed state, the
// state itself for the values blame read, and the search's own diagram of the same path.
import { Ajv } from "ajv";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BoundSpec, replayStates, resolveParams, type ParamDecls, type Spec } from "../../checker/index.ts";
import raft, { type RaftElectionState } from "../../specs/raft-election.ts";
import { dscheck, repoRoot } from "../cli/run-cli.ts";
import { toJson } from "../../cli/report/format-value.ts";

const ajv = new Ajv({ strict: false, allowUnionTypes: true });
ajv.addKeyword("tsType");
const validateReplay = ajv.compile(JSON.parse(readFileSync(join(repoRoot, "traces/schemas/explore-replay-report.schema.json"), "utf8")));

const holds = (r: unknown) => r === true || (typeof r === "object" && r !== null && (r as { holds: boolean }).holds === true);

/** The value at a path such as `a.b[2]` (the paths blame reports). */
function at(state: unknown, path: string): unknown {
  let v: unknown = state;
  for (const part of path.match(/[^.[\]]+/g) ?? []) v = (v as Record<string, unknown>)[part];
  return v;
}

interface ReplayJson {
  status: string;
  violation?: { property: string; step: number; blame?: { name: string; holds: boolean; reads: Record<string, unknown> }[] };
  trace: { state: unknown; properties?: Record<string, boolean> }[];
  spaceTime?: { processes: string[]; events: { step?: number; highlight?: boolean }[]; messages: unknown[] };
}

describe("explore --replay --json on raft-election bug=doubleVote", () => {
  const args = ["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--no-typecheck"];
  const search = JSON.parse(dscheck([...args, "--json"]).stdout) as { replayPath: string; violation: { spaceTime: unknown } };
  const run = dscheck([...args, "--replay", search.replayPath, "--json"]);
  const r = JSON.parse(run.stdout) as ReplayJson;
  const params = resolveParams(raft.params, { bug: "doubleVote" }) as Parameters<typeof raft.init>[0];
  // The path's states rebuilt here (the JSON has them as JSON, not as the spec's values).
  const states = replayStates(new BoundSpec(raft as unknown as Spec<unknown, ParamDecls>, { bug: "doubleVote" }), search.replayPath.split("/").map(Number)) as RaftElectionState[];

  it("fits its schema and is the violation", () => {
    expect(run.code).toBe(1);
    expect(validateReplay(r), JSON.stringify(validateReplay.errors)).toBe(true);
    expect(r.violation?.property).toBe("ElectionSafety");
  });

  it("every step has every property's status, as evaluating the property on its state says", () => {
    expect(r.trace.length).toBeGreaterThan(2);
    expect(r.trace).toHaveLength(states.length);
    r.trace.forEach((step, i) => {
      expect(Object.keys(step.properties ?? {}).sort()).toEqual(Object.keys(raft.properties).sort());
      for (const [name, p] of Object.entries(raft.properties)) expect(step.properties![name], `${name} at ${i}`).toBe(holds(p.check(states[i], params)));
    });
    // The violated property fails first at the reported step.
    const first = r.trace.findIndex((s) => s.properties!.ElectionSafety === false);
    expect(first).toBe(r.violation!.step);
  });

  it("blames the failing conjunct with the values it read in the violating state", () => {
    const last = states[r.violation!.step];
    const conjuncts = (raft.properties.ElectionSafety.check as unknown as { conjuncts: Record<string, (s: unknown, p: unknown) => unknown> }).conjuncts;
    const blame = r.violation!.blame!;
    expect(blame.map((c) => c.name)).toEqual(Object.keys(conjuncts));
    for (const c of blame) {
      expect(c.holds, c.name).toBe(holds(conjuncts[c.name](last, params)));
      for (const [path, value] of Object.entries(c.reads)) expect(value, path).toEqual(toJson(at(last, path)));
    }
    expect(blame.filter((c) => !c.holds).map((c) => c.name)).toEqual(["oneLeaderPerTerm"]);
  });

  it("has the same space-time diagram as the search's counterexample of that path, its last step highlighted", () => {
    expect(r.spaceTime).toEqual(search.violation.spaceTime);
    const highlighted = r.spaceTime!.events.filter((e) => e.highlight);
    expect(highlighted.length).toBeGreaterThan(0);
    for (const e of highlighted) expect(e.step).toBe(r.violation!.step);
  });

  it("--md and --html on the replay show the diagram, the statuses and the blame", () => {
    const dir = mkdtempSync(join(tmpdir(), "dscheck-replay-report-"));
    const md = join(dir, "r.md"), html = join(dir, "r.html");
    expect(dscheck([...args, "--replay", search.replayPath, "--md", md, "--html", html]).code).toBe(1);
    const mdText = readFileSync(md, "utf8");
    expect(mdText).toContain("sequenceDiagram");
    expect(mdText).toContain("oneLeaderPerTerm");
    expect(mdText).toMatch(/ElectionSafety[^\n]*\n[^\n]*\n(?:[^\n]*\n)*[^\n]*✗/);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("st-figure");
    expect(page).toContain('class="chip fails"');
    expect(page).toContain("Which part failed");
  }, 60_000);
});
