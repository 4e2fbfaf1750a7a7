/* Generated from traces/schemas/event-log.schema.json by `npm run gen:types`. Do not edit. */

/**
 * One line of an NDJSON event log read by `dscheck cuts`: an optional header first, then one event per line. Each process's events are in the order of their lines; lines of different processes may interleave in any order.
 */
export type DscheckEventLogLine = EventLogHeader | LogEvent;
export type Name = string;
export type LogEvent = {
  process: Name;
  kind: "internal" | "send" | "receive" | "checkpoint";
  /**
   * Message id (send and receive); unique per message.
   */
  msg?: string;
  /**
   * Receiver (send).
   */
  to?: string;
  /**
   * Sender (receive).
   */
  from?: string;
  /**
   * Checkpoint id (checkpoint); unique across the log.
   */
  id?: string;
  /**
   * Coordinated checkpointing round (checkpoint).
   */
  round?: number;
  /**
   * A vector clock as ShiViz and GoVector log it (process to count; zeros may be left out), or a Lamport clock.
   */
  clock?:
    | Count
    | {
        [k: string]: Count;
      };
  /**
   * Receive only: the message is on stable storage (message logging), so a process restarted from an earlier checkpoint can replay this receive.
   */
  logged?: boolean;
  /**
   * The process's activity after this event, until an event says otherwise (before its first such event a process is active). A passive process sends nothing and becomes active again only at a receive; `--stable termination` relies on it.
   */
  state?: "active" | "passive";
  /**
   * After this event the process is blocked waiting for a message from one of these processes: its next event must be a receive from one of them (a checkpoint in between keeps the wait), which unblocks it unless that event is itself blocked. `--stable deadlock` relies on it.
   *
   * @minItems 1
   * @maxItems 10000
   */
  blocked?: [Name, ...Name[]];
  /**
   * Free text shown in reports.
   */
  label?: string;
  /**
   * A wall-clock timestamp as logged (shown, never trusted for ordering).
   */
  time?: string | number;
};
export type Count = number;

/**
 * Optional first line: declares the processes (then an event of any other process is an error, and a process may log nothing).
 */
export interface EventLogHeader {
  format?: "dscheck-event-log/1";
  /**
   * @maxItems 10000
   */
  processes: Name[];
}
