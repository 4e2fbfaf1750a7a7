/**
 * The space-time diagram of one computation as a self-contained HTML page (inline SVG and
 * CSS, no script, no network): a lane per process, events by causal depth (each event one
 * step right of everything that happens before it), messages as arrows, checkpoints as
 * squares (useless ones crossed out), the requested cut and the recovery line as lines
 * across the lanes, orphans (red) and in-flight messages (orange) highlighted.
 */
import { topologicalOrder, type Computation } from "./computation.ts";
import type { CutsAnalysis } from "./analyze.ts";

const STEP = 56, LANE = 70, LEFT = 90, TOP = 40;

export function cutsHtml(title: string, comp: Computation, a: CutsAnalysis, options: { cut?: readonly number[]; recovery?: readonly number[] } = {}): string {
  const depth: number[][] = comp.events.map((e) => new Array<number>(e.length).fill(0));
  let maxDepth = 0;
  for (const [p, i] of topologicalOrder(comp)) {
    let d = i > 0 ? depth[p][i - 1] + 1 : 1;
    const e = comp.events[p][i];
    if (e.receive >= 0) {
      const m = comp.messages[e.receive];
      d = Math.max(d, depth[m.from][m.sendIndex] + 1);
    }
    depth[p][i] = d;
    maxDepth = Math.max(maxDepth, d);
  }
  const x = (p: number, i: number) => LEFT + depth[p][i] * STEP;
  const y = (p: number) => TOP + p * LANE;
  const width = LEFT + (maxDepth + 2) * STEP;
  const height = TOP + comp.processes.length * LANE;
  const orphanIds = new Set((a.orphans ?? []).map((o) => o.msg));
  const cut = options.cut;
  const useless = new Set(a.uselessCheckpoints);
  const parts: string[] = [];
  comp.processes.forEach((name, p) => {
    parts.push(`<line class="lane" x1="${LEFT - 20}" y1="${y(p)}" x2="${width - 10}" y2="${y(p)}"/>`);
    parts.push(`<text class="pname" x="10" y="${y(p) + 4}">${esc(name)}</text>`);
    parts.push(`<rect class="ckpt" x="${LEFT - 26}" y="${y(p) - 6}" width="12" height="12"><title>${esc(name)}: initial checkpoint</title></rect>`);
  });
  comp.messages.forEach((m) => {
    const x1 = x(m.from, m.sendIndex), y1 = y(m.from);
    const received = m.recvIndex >= 0;
    const x2 = received ? x(m.to, m.recvIndex) : width - 14, y2 = received ? y(m.to) : (y1 + y(m.to)) / 2;
    const inFlight = cut && m.sendIndex < cut[m.from] && !(received && m.recvIndex < cut[m.to]);
    const cls = orphanIds.has(m.id) ? "msg orphan" : inFlight ? "msg inflight" : received ? "msg" : "msg lost";
    parts.push(`<line class="${cls}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"><title>${esc(m.id)}: ${esc(comp.processes[m.from])} -> ${esc(comp.processes[m.to])}${received ? "" : " (never received)"}</title></line>`);
  });
  comp.events.forEach((evs, p) => evs.forEach((e, i) => {
    const tip = `${comp.processes[p]} event ${i + 1}, line ${e.line}: ${e.kind}${e.checkpoint ? ` ${e.checkpoint}` : ""}${e.round !== undefined ? ` (round ${e.round})` : ""}${e.label ? ` - ${e.label}` : ""}${e.clock !== undefined ? ` ${JSON.stringify(e.clock)}` : ""}`;
    if (e.kind === "checkpoint") {
      const bad = useless.has(e.checkpoint!);
      parts.push(`<g><rect class="ckpt${bad ? " useless" : ""}" x="${x(p, i) - 7}" y="${y(p) - 7}" width="14" height="14"/>${bad ? `<path class="cross" d="M${x(p, i) - 7} ${y(p) - 7}l14 14m0 -14l-14 14"/>` : ""}<text class="cid" x="${x(p, i) - 8}" y="${y(p) - 12}">${esc(e.checkpoint!)}</text><title>${esc(tip)}${bad ? " - USELESS (on a Z-cycle)" : ""}</title></g>`);
    } else {
      parts.push(`<circle class="ev ${e.kind}" cx="${x(p, i)}" cy="${y(p)}" r="5"><title>${esc(tip)}</title></circle>`);
    }
  }));
  const lineAt = (c: readonly number[], cls: string, label: string) => {
    const pts = comp.processes.map((_, p) => {
      const n = comp.events[p].length, k = c[p];
      const cx = n === 0 ? LEFT : k === 0 ? x(p, 0) - STEP / 2 : k === n ? x(p, n - 1) + STEP / 2 : (x(p, k - 1) + x(p, k)) / 2;
      return [cx, y(p)] as const;
    });
    const path = pts.map(([px, py], i) => `${i === 0 ? "M" : "L"}${px} ${py - (i === 0 ? 24 : 0)}`).join(" ") + ` L${pts[pts.length - 1][0]} ${pts[pts.length - 1][1] + 24}`;
    return `<path class="${cls}" d="${path}"><title>${esc(label)}</title></path><text class="${cls}-label" x="${pts[0][0] + 4}" y="${TOP - 26}">${esc(label)}</text>`;
  };
  if (cut) parts.push(lineAt(cut, "cutline", `cut (${a.consistent ? "consistent" : "INCONSISTENT"})`));
  if (options.recovery) parts.push(lineAt(options.recovery, "recline", "recovery line"));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker></defs>
${parts.join("\n")}
</svg>`;
  const findings = a.findings.length ? `<ul>${a.findings.map((f) => `<li class="bad">${esc(f)}</li>`).join("")}</ul>` : `<p class="good">Everything checked holds.</p>`;
  const orphanList = (a.orphans ?? []).map((o) => `<li>${esc(o.msg)}: ${esc(o.from)} event ${o.sendIndex} (line ${o.sendLine}) to ${esc(o.to)} event ${o.receiveIndex} (line ${o.receiveLine})</li>`).join("");
  const inflight = (a.cut?.inFlight ?? []).map((c) => `<li>${esc(c.from)} &rarr; ${esc(c.to)}: ${esc(c.messages.join(", "))}</li>`).join("");
  const rec = a.recovery ? `<h2>Recovery of ${esc(a.recovery.failed.join(", "))}</h2><table><tr><th>process</th><th>restarts at</th><th>events rolled back</th></tr>${Object.entries(a.recovery.line).map(([p, at]) => `<tr><td>${esc(p)}</td><td>${esc(at)}</td><td>${a.recovery!.rolledBackEvents[p]}</td></tr>`).join("")}</table>${a.recovery.rollbacks.map((r) => `<p>${esc(r.process)} rolls back from ${esc(r.from)} to ${esc(r.to)} because of ${esc(r.chain.map((m) => `${m.msg} (${m.from}&rarr;${m.to})`).join(", then "))}</p>`).join("")}${a.recovery.dominoEffect ? `<p class="bad">Domino effect: ${esc(a.recovery.dominoProcesses.join(", "))} pushed back to the initial checkpoint.</p>` : ""}` : "";
  const uselessList = a.useless.map((u) => `<li>${esc(u.id)} (${esc(u.process)}): Z-cycle ${esc(u.zCycle.map((m) => m.msg).join(" "))}</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dscheck cuts: ${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
.lane{stroke:#bbb;stroke-width:1}.pname{font-weight:bold;font-size:14px}
.ev{fill:#333}.ev.send{fill:#1f77b4}.ev.receive{fill:#2ca02c}
.ckpt{fill:#fff;stroke:#333;stroke-width:2}.ckpt.useless{fill:#fdd;stroke:#d62728}.cross{stroke:#d62728;stroke-width:2}
.cid{font-size:10px}
.msg{stroke:#555;stroke-width:1.3}.msg.orphan{stroke:#d62728;stroke-width:3}.msg.inflight{stroke:#ff7f0e;stroke-width:2.5;stroke-dasharray:6 3}.msg.lost{stroke:#999;stroke-dasharray:2 3}
.cutline{fill:none;stroke:#9467bd;stroke-width:2.5}.cutline-label{fill:#9467bd;font-size:12px}
.recline{fill:none;stroke:#17becf;stroke-width:2.5;stroke-dasharray:8 4}.recline-label{fill:#17becf;font-size:12px}
.bad{color:#d62728}.good{color:#2ca02c}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem}
.legend span{margin-right:1.2rem}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${comp.processes.length} processes, ${a.events} events, ${a.messages} messages; clocks: ${a.clockKind}${a.clockErrorCount ? ` (<span class="bad">${a.clockErrorCount} wrong</span>)` : ""}.</p>
${findings}
<p class="legend"><span style="color:#d62728">red: orphan messages / useless checkpoints</span><span style="color:#ff7f0e">orange dashed: in flight across the cut</span><span style="color:#9467bd">purple: the cut</span><span style="color:#17becf">cyan dashed: the recovery line</span></p>
<div style="overflow:auto">${svg}</div>
${orphanList ? `<h2>Orphan messages</h2><ul>${orphanList}</ul>` : ""}
${inflight ? `<h2>Channel states (in flight across the cut)</h2><ul>${inflight}</ul>` : ""}
${rec}
${uselessList ? `<h2>Useless checkpoints</h2><ul>${uselessList}</ul>` : ""}
${a.clockErrors.length ? `<h2>Clock errors</h2><ul>${a.clockErrors.map((e) => `<li>${esc(e.message)}</li>`).join("")}</ul>` : ""}
</body></html>
`;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
