/* Generated from traces/schemas/txn-history.schema.json by `npm run gen:types`. Do not edit. */

/**
 * A key or a written value.
 */
export type Scalar = string | number;

/**
 * A transactional history for `dscheck history isolation`: transactions of micro-operations on keys, with the outcome each client saw. ok = committed, fail = did not commit, info = may or may not have committed.
 */
export interface DscheckTxnHistory {
  /**
   * Format name and version.
   */
  format: "dscheck-txn-history/1";
  /**
   * list-append: appends unique values and reads whole lists; rw-register: writes unique values and reads single values (null = never written).
   */
  workload: "list-append" | "rw-register";
  transactions: Transaction[];
  /**
   * rw-register only: every committed write in version order (e.g. from a database's write-ahead log).
   */
  writeLog?: LoggedWrite[];
}
export interface Transaction {
  /**
   * Client (session) that ran the transaction.
   */
  process?: string | number;
  status: "ok" | "fail" | "info";
  /**
   * When the client began the transaction (any unit, same for all).
   */
  invokeTime?: number;
  /**
   * When the client saw the outcome; absent for info.
   */
  completeTime?: number;
  ops: MicroOp[];
}
export interface MicroOp {
  f: "append" | "w" | "r";
  key: Scalar;
  /**
   * The value appended or written; for a read, what it returned (a list for list-append, a scalar or null for rw-register).
   */
  value: Scalar | null | Scalar[];
}
export interface LoggedWrite {
  key: Scalar;
  value: Scalar;
}
