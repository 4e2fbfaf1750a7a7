/**
 * Writing reports to stdout and stderr synchronously, so that a failed write is seen where
 * it happens: a reader that went away (EPIPE, `dscheck ... | head`) is not our error; any
 * other failure (a full disk, `> /dev/full`) is bad output, exit 2, said on stderr.
 */
import { writeSync } from "node:fs";

export class OutputError extends Error {}

export function writeOut(text: string): void {
  writeAll(1, text);
}

export function writeErr(text: string): void {
  try {
    writeAll(2, text);
  } catch {
    // Nowhere left to say it.
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let off = 0, spins = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
      spins = 0;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" && ++spins < 100_000) continue;
      if (code === "EPIPE") throw new OutputError("EPIPE");
      throw new OutputError(`cannot write to ${fd === 1 ? "stdout" : "stderr"}: ${code ?? (e as Error).message}`);
    }
  }
}
