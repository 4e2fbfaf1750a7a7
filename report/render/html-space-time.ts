/**
 * The space-time diagram of a finding as inline SVG: one horizontal lane per process, time
 * to the right, events as dots (checkpoints as squares, crashes as crosses), messages as
 * arrows from send to receive. A message still in flight is a dashed arrow to the end of its
 * receiver's lane; an orphan (received inside a cut, sent outside it) is drawn in the
 * warning colour; the cut, when there is one, is a line across the lanes, and a recovery line
 * (cuts --recover) a second one in its own colour and dash.
 *
 * When the events come from a run (every event names its step), a column is a step, so
 * the diagram lines up with the step list; otherwise (event logs) a column is an event.
 * Every element that belongs to a step carries `data-steps`, which the page's script uses to
 * emphasise the selected step.
 */
import type { SpaceTime, SpaceTimeEvent, SpaceTimeMessage } from "../model.ts";
import { clip, esc } from "./html-text.ts";

type Message = SpaceTimeMessage;

const LANE = 76;
const WIDTH = 1060;
/** Up to this many messages, every arrow has its label; beyond, only the selected step's. */
const LABEL_ALL = 16;
const TOP = 36;
const R = 6;

interface Placed {
  readonly event: SpaceTimeEvent;
  readonly x: number;
  readonly y: number;
}

/** The `<figure>` with the diagram and its legend. */
export function spaceTimeFigure(st: SpaceTime, figureId: string): string {
  const lanes = [...st.processes];
  for (const e of st.events) if (!lanes.includes(e.process)) lanes.push(e.process);
  const laneOf = new Map(lanes.map((p, i) => [p, i]));
  const bySteps = st.events.length > 0 && st.events.every((e) => typeof e.step === "number");
  const columns = bySteps ? [...new Set(st.events.map((e) => e.step!))].sort((a, b) => a - b) : st.events.map((_, i) => i);
  const colOf = new Map(columns.map((c, i) => [c, i]));
  const nameW = Math.min(170, Math.max(56, 20 + 7.4 * Math.max(0, ...lanes.map((p) => p.length))));
  const x0 = nameW + 28;
  // Columns share the width of a page (about 1,060 px), within readable bounds.
  const room = (WIDTH - x0 - 60) / Math.max(1, columns.length - 1);
  const colW = Math.max(bySteps ? 54 : 40, Math.min(bySteps ? 112 : 80, room));
  const xEnd = x0 + Math.max(0, columns.length - 1) * colW + 56;
  const y = (p: string) => TOP + laneOf.get(p)! * LANE;
  const bottom = TOP + Math.max(0, lanes.length - 1) * LANE;

  // Events of one step on one process sit side by side in the step's column.
  const placed = new Map<string, Placed>();
  const groups = new Map<string, SpaceTimeEvent[]>();
  st.events.forEach((e, i) => {
    const key = `${bySteps ? e.step : i}\u0000${e.process}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  });
  st.events.forEach((e, i) => {
    const group = groups.get(`${bySteps ? e.step : i}\u0000${e.process}`)!;
    const k = group.indexOf(e);
    const spread = Math.min(14, (colW - 16) / Math.max(1, group.length - 1));
    const x = x0 + colOf.get(bySteps ? e.step! : i)! * colW + (k - (group.length - 1) / 2) * spread;
    placed.set(e.id, { event: e, x, y: y(e.process) });
  });

  const parts: string[] = [];
  parts.push(`<defs>${marker(`${figureId}-arrow`, "var(--msg)")}${marker(`${figureId}-arrow-flight`, "var(--muted)")}${marker(`${figureId}-arrow-orphan`, "var(--warn)")}</defs>`);
  if (bySteps) {
    const highlighted = new Set(st.events.filter((e) => e.highlight).map((e) => e.step));
    for (const c of columns) {
      const x = x0 + colOf.get(c)! * colW;
      const hl = highlighted.has(c);
      parts.push(`<rect class="band${hl ? " hl" : ""}" data-steps="${c}" x="${x - colW / 2}" y="${TOP - 24}" width="${colW}" height="${bottom - TOP + 44}" rx="4"/>`);
      parts.push(`<text class="col-label" data-steps="${c}" x="${x}" y="${TOP - 28}">${c}</text>`);
    }
  }
  for (const p of lanes) {
    parts.push(`<text class="lane-name" x="${nameW}" y="${y(p) + 4}"><title>${esc(p)}</title>${esc(clip(p, 22))}</text>`);
    parts.push(`<line class="lane" x1="${x0 - 20}" y1="${y(p)}" x2="${xEnd}" y2="${y(p)}"/>`);
  }
  if (st.cut) parts.push(cutLine(st, st.cut, "cut", lanes, placed, y, x0, xEnd, colW));
  // Beside a cut at the same place, shifted a little so that both stay visible.
  if (st.recoveryLine) parts.push(cutLine(st, st.recoveryLine, "recovery", lanes, placed, y, x0, xEnd, colW, st.cut ? 5 : 0));
  // Arrows under the events, every label above both (so no line crosses a label).
  const labels = new Map<string, string>();
  for (const m of st.messages as readonly Message[]) {
    const [arrow, label] = messageArrow(m, placed, laneOf, y, xEnd, figureId);
    parts.push(arrow);
    // A broadcast's copies leave one send with one label.
    const key = `${m.send}\u0000${m.label}`;
    if (!labels.has(key)) labels.set(key, label);
  }
  // Tags go under the dots, except on the top lane, where no arrow passes above them.
  for (const p of placed.values()) parts.push(eventMark(p, tagOf(p, groups, bySteps, colW), lanes.length > 1 && laneOf.get(p.event.process) === 0));
  parts.push(...labels.values());

  const width = xEnd + 24;
  const height = bottom + (bySteps ? 28 : 40);
  const svg = `<svg class="space-time${st.messages.length <= LABEL_ALL ? " labelled" : ""}" role="img" aria-label="space-time diagram: ${lanes.length} processes, ${st.events.length} events, ${st.messages.length} messages" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join("")}</svg>`;
  return `<figure class="figure st-figure" id="${figureId}"><figcaption>Space-time diagram <span class="muted">(${lanes.length} processes, ${st.events.length} events, ${st.messages.length} messages${st.cut ? ", with the cut" : ""}${st.recoveryLine ? `${st.cut ? " and" : ", with"} the recovery line` : ""})</span></figcaption><div class="scroll">${svg}</div>${legend(st)}<p class="st-caption muted" aria-live="polite"></p></figure>`;
}

function marker(id: string, colour: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
}

/** Under the events of a step's column: the action's name, once per process (only when columns are wide). */
function tagOf(p: Placed, groups: Map<string, SpaceTimeEvent[]>, bySteps: boolean, colW: number): string | undefined {
  if (!bySteps) return clip(p.event.label, Math.floor(colW / 6.6));
  const group = groups.get(`${p.event.step}\u0000${p.event.process}`)!;
  if (colW < 80 || group.length > 1 || !p.event.label) return undefined;
  return clip(p.event.label.split("(")[0].trim(), Math.floor(colW / 6.6));
}

/** The arrow and its label (drawn apart, the label on top). */
function messageArrow(m: Message, placed: Map<string, Placed>, laneOf: Map<string, number>, y: (p: string) => number, xEnd: number, figureId: string): [string, string] {
  const from = placed.get(m.send);
  if (!from) return ["", ""];
  const to = m.receive !== undefined ? placed.get(m.receive) : undefined;
  const status = m.status ?? (to ? "delivered" : "in-flight");
  const steps = [from.event.step, to?.event.step].filter((s): s is number => typeof s === "number");
  let x2: number, y2: number;
  if (to) {
    // Stop short of the receiving dot so the arrowhead stays visible.
    const dx = to.x - from.x, dy = to.y - from.y, len = Math.hypot(dx, dy) || 1;
    x2 = to.x - (dx / len) * (R + 2);
    y2 = to.y - (dy / len) * (R + 2);
  } else {
    x2 = xEnd;
    y2 = m.to !== undefined && laneOf.has(m.to) ? y(m.to) : from.y - LANE * 0.4;
  }
  const cls = status === "orphan" ? "msg orphan" : to ? "msg" : "msg in-flight";
  const arrow = status === "orphan" ? `${figureId}-arrow-orphan` : to ? `${figureId}-arrow` : `${figureId}-arrow-flight`;
  const title = `${m.label}${status === "delivered" ? "" : ` (${status}${!to && m.to ? ` to ${m.to}` : ""})`}`;
  // The label starts at the send and runs along the arrow: labels of crossing arrows then sit
  // near different lanes instead of meeting where the arrows cross.
  const len = Math.hypot(x2 - from.x, y2 - from.y) || 1;
  const backwards = x2 < from.x;
  const ux = (x2 - from.x) / len, uy = (y2 - from.y) / len;
  const mx = from.x + ux * (R + 6), my = from.y + uy * (R + 6);
  let angle = (Math.atan2(y2 - from.y, x2 - from.x) * 180) / Math.PI;
  if (angle > 90) angle -= 180;
  if (angle < -90) angle += 180;
  const room = Math.max(6, Math.floor((len - 2 * R - 12) / 6.2));
  const dataSteps = `data-steps="${steps.join(" ")}"`;
  return [
    `<g class="${cls}" ${dataSteps} data-send="${esc(m.send)}"${m.receive !== undefined ? ` data-receive="${esc(m.receive)}"` : ""}><title>${esc(title)}</title>` +
      `<line x1="${r1(from.x)}" y1="${from.y}" x2="${r1(x2)}" y2="${r1(y2)}" marker-end="url(#${arrow})"/></g>`,
    `<text class="msg-label${status === "orphan" ? " orphan" : ""}" ${dataSteps} text-anchor="${backwards ? "end" : "start"}" x="${r1(mx)}" y="${r1(my - 4)}" transform="rotate(${r1(angle)} ${r1(mx)} ${r1(my)})">${esc(clip(m.label, Math.min(40, room)))}</text>`,
  ];
}

function eventMark(p: Placed, tag: string | undefined, tagAbove: boolean): string {
  const e = p.event;
  const cls = ["ev", e.kind, e.highlight ? "hl" : "", e.useless ? "useless" : ""].filter(Boolean).join(" ");
  const steps = typeof e.step === "number" ? ` data-steps="${e.step}"` : "";
  let shape: string;
  if (e.kind === "checkpoint") {
    shape = `<rect x="${p.x - R}" y="${p.y - R}" width="${2 * R}" height="${2 * R}"/>` +
      (e.useless ? `<path class="useless-mark" d="M${p.x - R} ${p.y - R} L${p.x + R} ${p.y + R} M${p.x + R} ${p.y - R} L${p.x - R} ${p.y + R}"/>` : "");
  } else if (e.kind === "crash") {
    shape = `<path class="crash-mark" d="M${p.x - R} ${p.y - R} L${p.x + R} ${p.y + R} M${p.x + R} ${p.y - R} L${p.x - R} ${p.y + R}"/>`;
  } else {
    shape = `<circle cx="${r1(p.x)}" cy="${p.y}" r="${e.highlight ? R + 2 : R}"/>`;
  }
  const text = tag ? `<text class="ev-label" x="${r1(p.x)}" y="${tagAbove ? p.y - 12 : p.y + 21}">${esc(tag)}</text>` : "";
  const title = `${e.process}: ${e.kind}${e.label ? ` — ${e.label}` : ""}${typeof e.step === "number" ? ` (step ${e.step})` : ""}${e.useless ? " (useless checkpoint)" : ""}`;
  return `<g class="${cls}"${steps} data-event="${esc(e.id)}"><title>${esc(title)}</title>${shape}${text}</g>`;
}

/** A cut (or the recovery line): on each lane, between the last event inside it and the first outside. */
function cutLine(st: SpaceTime, line: Readonly<Record<string, number>>, kind: "cut" | "recovery", lanes: readonly string[], placed: Map<string, Placed>, y: (p: string) => number, x0: number, xEnd: number, colW: number, shift = 0): string {
  const points: [number, number][] = [];
  for (const p of lanes) {
    const xs = st.events.filter((e) => e.process === p).map((e) => placed.get(e.id)!.x);
    const k = Math.max(0, Math.min(xs.length, line[p] ?? 0));
    const x = shift + (xs.length === 0 ? x0 - 12 : k === 0 ? Math.max(x0 - 16, xs[0] - colW / 2) : k === xs.length ? Math.min(xEnd - 8, xs[k - 1] + colW / 2) : (xs[k - 1] + xs[k]) / 2);
    points.push([x, y(p) - LANE / 2 + 12], [x, y(p) + LANE / 2 - 12]);
  }
  const d = points.map(([x, yy], i) => `${i ? "L" : "M"}${x} ${yy}`).join(" ");
  if (kind === "cut") {
    const [lx, ly] = points[0] ?? [x0, TOP];
    return `<g class="cut"><title>the cut</title><path d="${d}"/><text x="${lx + 4}" y="${ly - 2}">cut</text></g>`;
  }
  // Its name under the last lane, so that it never sits on the cut's above the first.
  const [lx, ly] = points[points.length - 1] ?? [x0, TOP];
  return `<g class="recovery-line"><title>the recovery line</title><path d="${d}"/><text x="${lx + 4}" y="${ly + 12}">recovery line</text></g>`;
}

function legend(st: SpaceTime): string {
  const items = [`<span class="lg"><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="lg-ev"/></svg>event</span>`];
  const kinds = new Set(st.events.map((e) => e.kind));
  if (kinds.has("checkpoint")) items.push(`<span class="lg"><svg width="14" height="14"><rect x="2" y="2" width="10" height="10" class="lg-ev"/></svg>checkpoint</span>`);
  if (st.events.some((e) => e.useless)) items.push(`<span class="lg"><svg width="14" height="14"><rect x="2" y="2" width="10" height="10" class="lg-useless"/><path d="M2 2 L12 12 M12 2 L2 12" class="lg-useless"/></svg>useless checkpoint</span>`);
  if (kinds.has("crash")) items.push(`<span class="lg"><svg width="14" height="14"><path d="M2 2 L12 12 M12 2 L2 12" class="lg-crash"/></svg>crash</span>`);
  if (st.events.some((e) => e.highlight)) items.push(`<span class="lg"><svg width="14" height="14"><circle cx="7" cy="7" r="5" class="lg-hl"/></svg>the violating step</span>`);
  const statuses = new Set((st.messages as readonly Message[]).map((m) => m.status ?? (m.receive === undefined ? "in-flight" : "delivered")));
  if (statuses.has("delivered")) items.push(`<span class="lg"><svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" class="lg-msg"/></svg>message</span>`);
  if (statuses.has("in-flight")) items.push(`<span class="lg"><svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" class="lg-flight"/></svg>in flight</span>`);
  if (statuses.has("orphan")) items.push(`<span class="lg"><svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" class="lg-orphan"/></svg>orphan</span>`);
  if (st.cut) items.push(`<span class="lg"><svg width="14" height="14"><line x1="7" y1="0" x2="7" y2="14" class="lg-cut"/></svg>cut</span>`);
  if (st.recoveryLine) items.push(`<span class="lg"><svg width="14" height="14"><line x1="7" y1="0" x2="7" y2="14" class="lg-recovery"/></svg>recovery line</span>`);
  return `<div class="legend">${items.join("")}</div>`;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
