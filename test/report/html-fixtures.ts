/**
 * Renderer fixtures from real runs: each is a command run through the CLI with --json, its
 * result turned into Reports by the adapters (report/from-result.ts), as `dscheck report`
 * does. The raw JSON is kept beside the Report, so tests can check a rendering against the
 * command's own figures rather than against the model they render.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportsFromResult } from "../../report/from-result.ts";
import type { Report } from "../../report/model.ts";
import { dscheck } from "../cli/run-cli.ts";

export interface RendererFixture {
  readonly name: string;
  readonly command: readonly string[];
  /** The command's --json output, parsed. */
  readonly json: Record<string, unknown>;
  readonly report: Report;
}

const dir = mkdtempSync(join(tmpdir(), "dscheck-report-fixtures-"));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// A stale read (not linearizable), an indeterminate write that never returned, and a nemesis.
const staleRead = `[{:process 0, :type :invoke, :f :write, :value 1}
 {:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 2, :type :invoke, :f :write, :value 2}
 {:process 1, :type :invoke, :f :read, :value nil}
 {:process 1, :type :ok, :f :read, :value 0}
 {:process :nemesis, :type :info, :f :stop, :value nil}
 {:process 2, :type :info, :f :write, :value 2}]
`;

// Write skew: each transaction reads the key the other appends to (G2-item).
const writeSkew = JSON.stringify({
  format: "dscheck-txn-history/1",
  workload: "list-append",
  transactions: [
    { status: "ok", process: 0, ops: [{ f: "r", key: "x", value: [] }, { f: "append", key: "y", value: 1 }] },
    { status: "ok", process: 1, ops: [{ f: "r", key: "y", value: [] }, { f: "append", key: "x", value: 2 }] },
  ],
});

const COMMANDS: Record<string, () => { args: string[]; code: number }> = {
  "raft-double-vote": () => ({ args: ["explore", "specs/raft-election.ts", "--param", "bug=doubleVote", "--json", "--no-typecheck"], code: 1 }),
  "two-phase-commit-without-votes": () => ({ args: ["explore", "specs/two-phase-commit.ts", "--param", "bug=commitWithoutVotes", "--json", "--no-typecheck"], code: 1 }),
  "stale-read": () => ({ args: ["history", "check", write("stale-read.edn", staleRead), "--model", "register", "--json"], code: 1 }),
  "write-skew": () => ({ args: ["history", "isolation", write("write-skew.json", writeSkew), "--json"], code: 1 }),
  "cut-with-orphan": () => ({ args: ["cuts", "test/fixtures/cuts/seed-domino.ndjson", "--cut", "P2=end,P3=C31", "--json"], code: 1 }),
  "cut-and-recovery": () => ({ args: ["cuts", "test/fixtures/cuts/domino.ndjson", "--recover", "P3", "--cut", "P1=C11,P2=C22", "--json"], code: 1 }),
  "bivalence-lasso": () => ({ args: ["bivalence", "specs/paxos-dueling.ts", "--json", "--no-typecheck"], code: 0 }),
};

export const FIXTURE_NAMES = Object.keys(COMMANDS);

/** Runs the fixture's command (expecting its exit code) and adapts its result. */
export function rendererFixture(name: string): RendererFixture {
  const { args, code } = COMMANDS[name]();
  const r = dscheck(args);
  if (r.code !== code) throw new Error(`${args.join(" ")}: exit ${r.code}, expected ${code}\n${r.stderr}`);
  const json = JSON.parse(r.stdout) as Record<string, unknown>;
  const reports = reportsFromResult(json);
  if (reports.length !== 1) throw new Error(`${name}: ${reports.length} reports, expected 1`);
  return { name, command: args, json, report: reports[0] };
}
