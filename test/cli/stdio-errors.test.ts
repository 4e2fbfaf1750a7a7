/**
 * bin/dscheck.cjs attaches its handler for errors of process.stdout and process.stderr when a
 * stream is first used (making them loads node's net and stream modules, which commands
 * writing through cli/output.ts never need): output written through the streams (commander's
 * help) must still end as before: a reader that went away is exit 0 (the command's own code),
 * a full disk exit 2, never an unhandled 'error' event. The history check, which writes with
 * writeSync, keeps its verdict's code when its reader goes away.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./run-cli.ts";

const bin = join(repoRoot, "bin", "dscheck.cjs");
const work = mkdtempSync(join(tmpdir(), "dscheck-stdio-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI with stdout a pipe whose reader is gone before anything is written. */
function withClosedReader(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stderr }));
  });
}

/** Runs the CLI with stdout on /dev/full. */
function toFullDisk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(`"${process.execPath}" "${bin}" ${args.join(" ")} > /dev/full`, { shell: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stderr }));
  });
}

describe("errors writing stdout", () => {
  it("help through process.stdout, its reader gone: exit 0, nothing unhandled", async () => {
    for (const args of [["--help"], ["history", "check", "--help"]]) {
      const r = await withClosedReader(args);
      expect(r.stderr).not.toMatch(/Unhandled|EPIPE|internal error/);
      expect(r.code).toBe(0);
    }
  });

  it.skipIf(!existsSync("/dev/full"))("help through process.stdout to a full disk: exit 2", async () => {
    for (const args of [["--help"], ["history", "check", "--help"]]) {
      const r = await toFullDisk(args);
      expect(r.stderr).not.toMatch(/Unhandled|internal error/);
      expect(r.code).toBe(2);
    }
  });

  it("history check, its reader gone: the verdict's exit code", async () => {
    const bad = join(work, "bad.edn");
    writeFileSync(bad, "[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 2}]\n");
    for (const extra of [[], ["--json"]]) {
      const r = await withClosedReader(["history", "check", "--model", "register", "--init", "0", ...extra, bad]);
      expect(r.stderr).not.toMatch(/Unhandled|internal error/);
      expect(r.code).toBe(1);
    }
  });
});
