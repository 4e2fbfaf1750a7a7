/**
 * Process activity as a log records it, for the stable properties of stable.ts.
 *
 * - `state`: "active" or "passive" from that event on, until an event says otherwise; a
 *   process is active before its first such event (nothing is assumed passive unlogged).
 *   Rules (the diffusing-computation model): a passive process sends nothing, and only a
 *   receive may make it active again.
 * - `blocked`: after that event the process waits for a message from one of the named
 *   processes; its next event, if any, must be a receive from one of them (or a checkpoint,
 *   which is no step of the computation and leaves the wait as it was). That receive ends
 *   the wait unless it is itself `blocked` (waiting again).
 *
 * The rules are what make termination and deadlock stable; a log that breaks one is
 * rejected with the line, because a verdict drawn from it would not carry to the end.
 */
import type { ActivityState, Computation } from "./computation.ts";

/** The activity of process p after its first k events. */
export function stateAt(comp: Computation, p: number, k: number): ActivityState {
  for (let i = k - 1; i >= 0; i--) {
    const s = comp.events[p][i].state;
    if (s !== undefined) return s;
  }
  return "active";
}

/** The processes p waits for after its first k events, or undefined when it is not blocked. */
export function blockedAt(comp: Computation, p: number, k: number): readonly number[] | undefined {
  for (let i = k - 1; i >= 0; i--) {
    const e = comp.events[p][i];
    if (e.blocked !== undefined || e.kind !== "checkpoint") return e.blocked;
  }
  return undefined;
}

/** The first event (by line) that breaks a rule, or null. Run once the receives are matched. */
export function activityError(comp: Computation): { line: number; detail: string } | null {
  let first: { line: number; detail: string } | null = null;
  const report = (line: number, detail: string) => {
    if (!first || line < first.line) first = { line, detail };
  };
  comp.events.forEach((evs, p) => {
    let state: ActivityState = "active";
    let waits: readonly number[] | undefined;
    let waitLine = 0;
    for (const e of evs) {
      const sender = e.receive >= 0 ? comp.messages[e.receive].from : -1;
      if (e.blocked !== undefined && e.blocked.length === 0) report(e.line, "\"blocked\" needs at least one process to wait for");
      const keepsWait = e.kind === "checkpoint" && e.blocked === undefined;
      if (!keepsWait && waits !== undefined && !waits.includes(sender)) {
        const names = waits.map((q) => comp.processes[q]).join(", ");
        report(e.line, `${comp.processes[p]} is blocked on ${names} since line ${waitLine}, so its next event must be a receive from ${waits.length > 1 ? "one of them" : "it"}, not ${e.kind === "receive" ? `a receive from ${comp.processes[sender]}` : `a ${e.kind} event`}`);
      }
      if (state === "passive") {
        if (e.kind === "send") report(e.line, `${comp.processes[p]} is passive (since an earlier event) and sends: a passive process sends nothing until a receive makes it active`);
        else if (e.state === "active" && e.kind !== "receive") report(e.line, `${comp.processes[p]} becomes active at a ${e.kind} event: only a receive may make a passive process active`);
      }
      if (e.state !== undefined) state = e.state;
      if (keepsWait) continue;
      waits = e.blocked;
      waitLine = e.line;
    }
  });
  return first;
}
