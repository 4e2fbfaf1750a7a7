// The content checks of the per-checker HTML pages that the one HTML renderer replaced
// (history timeline, isolation cycle, cuts diagram), on pages rendered from real results:
// a lane per process, a bar per operation, the prefix numbered, the operation that could not
// be placed marked; the cycle's nodes and edges; every event and message, the cut; and the
// page self-contained, with text from the input escaped.
import { describe, expect, it } from "vitest";
import { reportsFromResult } from "../../report/from-result.ts";
import { renderHtml } from "../../report/render/html.ts";
import { fixture } from "./fixtures.ts";

const selfContained = (html: string) => expect(html).not.toMatch(/<script[^>]+src=|<link|<iframe|<img[^>]+src="(?!data:)|https?:\/\/(?!www\.w3\.org)/);

describe("history timeline", () => {
  const [report] = reportsFromResult(fixture("history-check-stale").json);
  const h = report.findings[0].history!;
  const html = renderHtml({ ...report, subject: "stale <read>.edn" });

  it("a lane per process, a bar per operation (nemesis events too), the prefix numbered, the blocker marked", () => {
    for (const op of h.operations) expect(html).toContain(`data-op="${op.id}"`);
    expect(html.match(/<line class="lane"/g)).toHaveLength(h.processes.length);
    expect(html.match(/<g class="rank">/g)).toHaveLength(h.linearization!.length);
    const blocker = h.operations.find((o) => o.highlight)!;
    expect(html).toMatch(new RegExp(`<g class="op [^"]*\\bhl\\b[^"]*" data-op="${blocker.id}"`));
    for (const op of h.operations.filter((o) => o.status === "nemesis")) expect(html).toMatch(new RegExp(`<g class="op nemesis[^"]*" data-op="${op.id}"`));
    for (const op of h.operations.filter((o) => o.returnAt === undefined)) expect(html).toMatch(new RegExp(`<g class="op [^"]*\\bopen\\b[^"]*" data-op="${op.id}"`));
  });

  it("is self-contained and escapes the file name", () => {
    selfContained(html);
    expect(html).toContain("stale &lt;read&gt;.edn");
    expect(html).not.toContain("<read>");
  });
});

describe("isolation cycle", () => {
  it("the anomaly's cycle: one node per transaction, one edge per dependency, labelled by kind", () => {
    const [report] = reportsFromResult(fixture("history-isolation-write-skew").json);
    const html = renderHtml(report);
    const g = report.findings.find((f) => f.graph)!.graph!;
    expect(html).toContain(`aria-label="graph: ${g.nodes.length} nodes, ${g.edges.length} edges"`);
    expect(html.match(/<g class="node">/g)).toHaveLength(g.nodes.length);
    expect(html.match(/<g class="edge">/g)).toHaveLength(g.edges.length);
    for (const e of g.edges) expect(html).toContain(`${e.from} → ${e.to}: ${e.label}`);
    selfContained(html);
  });
});

describe("cuts diagram", () => {
  it.each(["cuts-orphan", "cuts-domino", "cuts-in-flight"])("%s: every event and message, the cut, useless checkpoints crossed", (name) => {
    const [report] = reportsFromResult(fixture(name).json);
    const html = renderHtml(report);
    const st = report.findings[0].spaceTime!;
    expect(html).toContain(`aria-label="space-time diagram: ${st.processes.length} processes, ${st.events.length} events, ${st.messages.length} messages"`);
    for (const e of st.events) expect(html).toContain(`data-event="${e.id}"`);
    for (const m of st.messages) expect(html).toContain(`data-send="${m.send}"`);
    if (st.cut) expect(html).toContain('<g class="cut">');
    expect(html.match(/class="useless-mark"/g)?.length ?? 0).toBe(st.events.filter((e) => e.useless).length);
    selfContained(html);
  });
});
