// The previous useless-checkpoint algorithm, kept as a differential oracle for the interval
// graph (checker/cuts/zpaths.ts): for each checkpoint C of p, rollback propagation from C
// with every other process at the end of its log and p pinned. It ends either at the latest
// consistent global checkpoint through C, or blocked by an orphan p would have to undo: then
// C is in no consistent global checkpoint. One pass over the log per checkpoint (quadratic),
// so for tests only. It shares nothing with zpaths.ts; `rollback` is checked on its own
// against brute force (the recovery line in oracle.test.ts).
import type { Computation } from "../../checker/cuts/computation.ts";
import { chainOf, checkpointPositions, rollback } from "../../checker/cuts/rollback.ts";

export function uselessByRollback(comp: Computation): { process: number; id: string; position: number; zCycle: number[] }[] {
  const allowed = checkpointPositions(comp).map((a, p) => [...a, comp.events[p].length]);
  const out: { process: number; id: string; position: number; zCycle: number[] }[] = [];
  for (const cs of comp.checkpoints) {
    for (const c of cs) {
      if (c.position === 0) continue;
      const start = comp.events.map((e, q) => (q === c.process ? c.position : e.length));
      const r = rollback(comp, start, allowed, c.process);
      if (r.blocked) out.push({ process: c.process, id: c.id, position: c.position, zCycle: chainOf(r.steps, r.blocked) });
    }
  }
  return out;
}
