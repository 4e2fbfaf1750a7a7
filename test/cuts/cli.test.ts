// `dscheck cuts` end to end: the seed's example, a domino effect, clocks, rounds, text logs,
// the HTML report, and hostile input (exit 2, one line naming file and line, nothing written).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dscheck } from "../cli/run-cli.ts";
import { InputError } from "../../checker/history/input-error.ts";
import { readEventLog } from "../../traces/cuts/read.ts";

const fx = (name: string) => join("test/fixtures/cuts", name);
const dir = mkdtempSync(join(tmpdir(), "dscheck-cuts-"));
const json = (args: string[]) => {
  const r = dscheck(["cuts", ...args, "--json"]);
  return { code: r.code, report: JSON.parse(r.stdout), stderr: r.stderr };
};

describe("dscheck cuts", () => {
  it("the seed's example: P3 fails and rolls back before sending m3, forcing P2 back before receiving it", () => {
    const { code, report } = json([fx("seed-domino.ndjson"), "--recover", "P3"]);
    expect(code).toBe(0);
    expect(report.recoveryLine).toEqual({ P1: "end", P2: "C22", P3: "C31" });
    expect(report.rolledBackEvents).toEqual({ P1: 0, P2: 2, P3: 2 });
    expect(report.dominoEffect).toBe(false);
    expect(report.recovery.rollbacks).toHaveLength(1);
    expect(report.recovery.rollbacks[0]).toMatchObject({ process: "P2", from: "end", to: "C22" });
    expect(report.recovery.rollbacks[0].chain.map((m: { msg: string }) => m.msg)).toEqual(["m3"]);
    expect(report.uselessCheckpoints).toEqual([]);
  });

  it("a cut through P3's checkpoint but past P2's receive of m3 is inconsistent: m3 is the orphan", () => {
    const { code, report } = json([fx("seed-domino.ndjson"), "--cut", "P2=end,P3=C31"]);
    expect(code).toBe(1);
    expect(report.consistent).toBe(false);
    expect(report.orphans.map((o: { msg: string }) => o.msg)).toEqual(["m3"]);
    const ok = json([fx("seed-domino.ndjson"), "--cut", "P1=3,P2=C22,P3=C31"]);
    expect(ok.code).toBe(0);
    expect(ok.report.consistent).toBe(true);
    expect(ok.report.cut.inFlight).toEqual([]);
    // m2 sent by P2 (inside) and received by P1 after its 2nd event: in flight.
    const fl = json([fx("seed-domino.ndjson"), "--cut", "P1=C11,P2=C22,P3=C31"]);
    expect(fl.report.cut.inFlight).toEqual([{ from: "P2", to: "P1", messages: ["m2"] }]);
  });

  it("the domino effect: recovering P3 pushes P2 and then P1 back to their initial checkpoints (exit 1)", () => {
    const { code, report } = json([fx("domino.ndjson"), "--recover", "P3"]);
    expect(code).toBe(1);
    expect(report.dominoEffect).toBe(true);
    expect(report.recoveryLine).toEqual({ P1: "initial", P2: "initial", P3: "C31" });
    expect(report.rolledBackEvents).toEqual({ P1: 4, P2: 6, P3: 2 });
    const p2 = report.recovery.rollbacks.find((r: { process: string }) => r.process === "P2");
    expect(p2.chain.map((m: { msg: string }) => m.msg)).toEqual(["m3", "m2", "m1"]);
    expect(report.uselessCheckpoints).toEqual(["C21"]);
    expect(report.useless[0].zCycle.map((m: { msg: string }) => m.msg)).toEqual(["m2", "m1"]);
  });

  it("clocks: correct ones verify (exit 0), a wrong vector or Lamport clock names both events (exit 1)", () => {
    expect(json([fx("clocks-ok.ndjson")]).report).toMatchObject({ status: "ok", clockKind: "vector", clockErrors: [] });
    const v = json([fx("clocks-bad.ndjson")]);
    expect(v.code).toBe(1);
    expect(v.report.clockErrors[0]).toMatchObject({ event: { process: "b", index: 2, line: 3 }, other: { process: "a", index: 1, line: 1 }, expected: { a: 1, b: 2 } });
    const l = json([fx("lamport-bad.ndjson")]);
    expect(l.code).toBe(1);
    expect(l.report.clockErrors[0]).toMatchObject({ kind: "lamport", event: { line: 2 }, other: { line: 1 } });
  });

  it("coordinated rounds: each complete round must be a consistent global checkpoint", () => {
    const ok = json([fx("rounds.ndjson")]);
    expect(ok.code).toBe(0);
    expect(ok.report.rounds.map((r: { round: number; complete: boolean; consistent?: boolean }) => [r.round, r.complete, r.consistent])).toEqual([[1, true, true], [2, true, true], [3, false, undefined]]);
    const bad = json([fx("rounds-bad.ndjson")]);
    expect(bad.code).toBe(1);
    expect(bad.report.rounds[2]).toMatchObject({ round: 3, consistent: false });
    expect(bad.report.rounds[2].orphans[0].msg).toBe("late");
  });

  it("a GoVector / ShiViz text log: messages from the clocks, a checkpoint group, the lattice", () => {
    const re = String.raw`(?<host>\S*) (?<clock>{.*})\n(?<event>checkpoint (?<checkpoint>\S+)|.*)`;
    const r = json([fx("govector.log"), "--regex", re, "--count-cuts"]);
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ format: "shiviz", messages: 2, clockErrorCount: 0, lattice: { count: 10, complete: true } });
    expect(r.report.uselessCheckpoints).toEqual(["b1"]);
    const plain = dscheck(["cuts", fx("govector.log"), "--list-cuts"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("consistent cuts: 10");
    const budget = dscheck(["cuts", fx("govector.log"), "--count-cuts", "--max-cuts", "3"]);
    expect(budget.code).toBe(3);
  });

  it("--html writes one self-contained page with the diagram (the report renderer, report/render/html.ts)", () => {
    const out = join(dir, "d.html");
    const r = dscheck(["cuts", fx("domino.ndjson"), "--recover", "P3", "--cut", "P1=C11,P2=C22", "--html", out]);
    expect(r.code).toBe(1);
    const html = readFileSync(out, "utf8");
    expect(html).toContain('<svg class="space-time');
    expect(html).toContain('<g class="cut">');
    expect(html).toContain('class="useless-mark"');
    // Without --cut, the recovery line is the line drawn.
    const rec = join(dir, "rec.html");
    expect(dscheck(["cuts", fx("domino.ndjson"), "--recover", "P3", "--html", rec]).code).toBe(1);
    expect(readFileSync(rec, "utf8")).toContain('<g class="cut">');
    // Self-contained: no external resource, no script loaded from anywhere.
    expect(html).not.toMatch(/<script[^>]+src=|<link|https?:\/\/(?!www\.w3\.org)/);
  });

  it("usage errors in --cut and --recover are exit 2 with one line", () => {
    for (const args of [["--cut", "P9=1"], ["--cut", "P1=99"], ["--cut", "P1=C21"], ["--cut", "nonsense"], ["--recover", "P7"], ["--max-cuts", "0"]]) {
      const r = dscheck(["cuts", fx("domino.ndjson"), ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});

describe("dscheck cuts on hostile logs", () => {
  const ev = (o: object) => JSON.stringify(o);
  const send = ev({ process: "a", kind: "send", msg: "m", to: "b" });
  const cases: [string, string, number | undefined][] = [
    ["bad-json.ndjson", `${send}\n{"process": "b", "kind": "receive",\n`, 2],
    ["receive-without-send.ndjson", `${send}\n${ev({ process: "b", kind: "receive", msg: "zz", from: "a" })}\n`, 2],
    ["duplicate-receive.ndjson", `${send}\n${ev({ process: "b", kind: "receive", msg: "m", from: "a" })}\n${ev({ process: "b", kind: "receive", msg: "m", from: "a" })}\n`, 3],
    ["duplicate-send.ndjson", `${send}\n${send}\n${ev({ process: "b", kind: "internal" })}\n`, 2],
    ["unknown-process.ndjson", `${ev({ process: "a", kind: "send", msg: "m", to: "ghost" })}\n`, 1],
    ["undeclared.ndjson", `${ev({ processes: ["a", "b"] })}\n${send}\n${ev({ process: "c", kind: "internal" })}\n`, 3],
    ["wrong-sender.ndjson", `${send}\n${ev({ process: "b", kind: "receive", msg: "m", from: "b" })}\n`, 2],
    ["clock-shape.ndjson", `${send}\n${ev({ process: "b", kind: "internal", clock: [1, 2] })}\n`, 2],
    ["clock-unknown-key.ndjson", `${send}\n${ev({ process: "b", kind: "internal", clock: { zz: 1 } })}\n`, 2],
    ["clock-mixed.ndjson", `${ev({ process: "a", kind: "internal", clock: 1 })}\n${ev({ process: "a", kind: "internal", clock: { a: 2 } })}\n`, 2],
    ["huge-number.ndjson", `${send}\n${ev({ process: "b", kind: "internal" }).replace("}", `, "clock": {"b": 123456789012345678901234567890}}`)}\n`, 2],
    ["huge-exponent.ndjson", `${send}\n{"process": "b", "kind": "internal", "clock": 1e400}\n`, 2],
    ["deep.ndjson", `${send}\n${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, 2],
    ["deep-field.ndjson", `${send}\n{"process": "b", "kind": "internal", "label": ${"[".repeat(50_000)}${"]".repeat(50_000)}}\n`, 2],
    ["missing-to.ndjson", `${ev({ process: "a", kind: "send", msg: "m" })}\n`, 1],
    ["bad-kind.ndjson", `${ev({ process: "a", kind: "teleport" })}\n`, 1],
    ["extra-field.ndjson", `${ev({ process: "a", kind: "internal", proces: "x" })}\n`, 1],
    ["late-header.ndjson", `${send}\n${ev({ processes: ["a"] })}\n`, 2],
    ["causal-cycle.ndjson", [ev({ process: "a", kind: "receive", msg: "y", from: "b" }), ev({ process: "a", kind: "send", msg: "x", to: "b" }), ev({ process: "b", kind: "receive", msg: "x", from: "a" }), ev({ process: "b", kind: "send", msg: "y", to: "a" })].join("\n"), 1],
    ["dup-checkpoint.ndjson", `${ev({ process: "a", kind: "checkpoint", id: "c" })}\n${ev({ process: "b", kind: "checkpoint", id: "c" })}\n`, 2],
    ["reserved-id.ndjson", `${ev({ process: "a", kind: "checkpoint", id: "initial" })}\n`, 1],
    ["not-object.ndjson", `${send}\n42\n`, 2],
    ["empty.ndjson", "\n\n", undefined],
  ];
  // Every case through the reader in this process (fast); a few through the real CLI too.
  for (const [name, content, line] of cases) {
    it(`${name}: an InputError naming the file${line ? ` and line ${line}` : ""}`, async () => {
      const p = join(dir, name);
      writeFileSync(p, content);
      const err = await readEventLog(p, { format: "ndjson" }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toContain(line ? `${name}:line ${line}:` : name);
      expect((err as Error).message).not.toContain("\n");
    });
  }
  for (const [name, content, line] of cases.filter((_, i) => i % 4 === 0 || i === cases.length - 1)) {
    it(`CLI, ${name}: exit 2, one line naming the file${line ? ` and line ${line}` : ""}, nothing written`, () => {
      const p = join(dir, `cli-${name}`);
      writeFileSync(p, content);
      const out = join(dir, `${name}.html`);
      const r = dscheck(["cuts", p, "--html", out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(line ? `cli-${name}:line ${line}:` : name);
      expect(r.stdout).toBe("");
      expect(existsSync(out)).toBe(false);
    });
  }

  it("text logs: unmatched text, a bad clock, an own entry that skips, a missing file", () => {
    const t = (name: string, content: string) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };
    const cases: [string, string][] = [
      [t("junk.log", 'a {"a":1}\nstart\nthis line matches nothing\n'), "junk.log:line 3"],
      [t("badclock.log", 'a {"a":1\nstart\n'), "junk"],
      [t("skip.log", 'a {"a":1}\nx\na {"a":3}\ny\n'), "skip.log:line 3"],
      [t("ghost.log", 'a {"a":1, "zz": 1}\nx\n'), "ghost.log:line 1"],
    ];
    for (const [p, where] of cases) {
      const r = dscheck(["cuts", p, "--format", "shiviz"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      if (where !== "junk") expect(r.stderr).toContain(where);
    }
    const missing = dscheck(["cuts", join(dir, "nope.ndjson")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.ndjson");
    const badRegex = dscheck(["cuts", fx("govector.log"), "--regex", "(?<host>"]);
    expect(badRegex.code).toBe(2);
  });
});
