// Graph machinery: iterative SCCs on deep graphs, reduced real-time edges, CSR merging.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EDGE, EdgeList } from "../../checker/serializability/edges.ts";
import { buildCsr, edgeKinds } from "../../checker/serializability/graph.ts";
import { addRealtimeEdges } from "../../checker/serializability/order-edges.ts";
import { nontrivialSccs } from "../../checker/serializability/scc.ts";
import type { Txn } from "../../checker/serializability/txn.ts";

describe("graph", () => {
  it("finds one 200,000-node component without recursion", () => {
    const n = 200_000;
    const edges = new EdgeList();
    for (let i = 0; i < n; i++) edges.add(i, (i + 1) % n, EDGE.ww);
    edges.add(5, 5, EDGE.ww); // self-loops are dropped
    const sccs = nontrivialSccs({ graph: buildCsr(n + 1, edges), mask: EDGE.ww });
    expect(sccs.map((c) => c.length)).toEqual([n]);
  });

  it("merges duplicate edges and ORs their kinds", () => {
    const edges = new EdgeList(1);
    edges.add(0, 1, EDGE.ww);
    edges.add(0, 2, EDGE.rw);
    edges.add(0, 1, EDGE.realtime);
    const g = buildCsr(3, edges);
    expect(g.targets.length).toBe(2);
    expect(edgeKinds(g, 0, 1)).toBe(EDGE.ww | EDGE.realtime);
    expect(edgeKinds(g, 1, 0)).toBe(0);
  });

  it("ignores edges outside the mask", () => {
    const edges = new EdgeList();
    edges.add(0, 1, EDGE.ww);
    edges.add(1, 0, EDGE.rw);
    const g = buildCsr(2, edges);
    expect(nontrivialSccs({ graph: g, mask: EDGE.ww })).toEqual([]);
    expect(nontrivialSccs({ graph: g, mask: EDGE.ww | EDGE.rw })).toHaveLength(1);
  });
});

describe("real-time edges", () => {
  const interval = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 }), fc.boolean());
  for (const [name, scale] of [["integer times (counting sort)", 1], ["fractional times (comparison sort)", 0.37]] as const) {
    it(`their transitive closure is exactly "completed before invoked": ${name}`, () => {
      fc.assert(
        fc.property(fc.array(interval, { minLength: 1, maxLength: 14 }), (spans) => {
          const txns: Txn[] = spans.map(([start, length, info], id) => ({
            id,
            process: id,
            status: info ? "info" : "ok",
            mops: [],
            invokeAt: start * scale,
            completeAt: info ? -1 : (start + length) * scale,
            location: "",
          }));
          const edges = new EdgeList();
          addRealtimeEdges(txns, edges);
          const g = buildCsr(txns.length, edges);
          for (const a of txns) {
            const reach = new Set<number>();
            const stack = [a.id];
            while (stack.length) {
              const v = stack.pop()!;
              for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) {
                if (!reach.has(g.targets[e])) reach.add(g.targets[e]), stack.push(g.targets[e]);
              }
            }
            for (const b of txns) {
              const before = a.status === "ok" && a.completeAt < b.invokeAt;
              expect(reach.has(b.id)).toBe(before);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
