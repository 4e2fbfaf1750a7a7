/**
 * The example project's spec: a lock service with fencing tokens. Clients acquire and
 * release one lock; the service may also expire a lease (the holder crashed or stalled).
 * Each grant hands out the next token, so storage can refuse a write from a client whose
 * lease was taken over. The service logs one NDJSON line per step (traces/*.ndjson): the
 * event, its client, and the variables the step changed, as update operations.
 *
 * Trace validation needs no mapping here: the logged variables are the state's fields and
 * the events are the actions' names. (The token grows without bound: `dscheck explore`
 * this spec with --max-depth.)
 */
import { always, defineSpec, range } from "dscheck";

export interface LockState {
  readonly holder: string | null;
  readonly token: number;
}

const clients = ({ clients }: { clients: number }) => range(clients).map((i) => [`c${i + 1}`] as const);

export default defineSpec({
  name: "FencedLock",
  description: "one lock, leases that may expire, a fencing token per grant",
  params: { clients: { default: 3, min: 1, max: 8, integer: true, description: "number of clients (c1, c2, ...)" } },
  init: (): LockState[] => [{ holder: null, token: 0 }],
  actions: [
    {
      name: "Acquire",
      args: clients,
      guards: { free: (s: LockState) => s.holder === null },
      update: (s: LockState, [c]: readonly [string]) => ({ holder: c, token: s.token + 1 }),
    },
    {
      name: "Release",
      args: clients,
      guards: { holds: (s: LockState, [c]: readonly [string]) => s.holder === c },
      update: () => ({ holder: null }),
    },
    {
      name: "Expire",
      guards: { held: (s: LockState) => s.holder !== null },
      update: () => ({ holder: null }),
    },
  ],
  properties: {
    HeldWithToken: always((s: LockState) => s.holder === null || s.token > 0),
  },
});
