/**
 * Reading an untrusted history file as text: bytes that are not valid UTF-8 are an error
 * naming the line (decoding them to U+FFFD would make different byte strings compare
 * equal), and a file that cannot be read is one line with the system's reason.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../checker/history/input-error.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The 0-based offset of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let len: number, min: number;
    if (b >= 0xc2 && b <= 0xdf) (len = 2), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (len = 3), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (len = 4), (min = 0x10000);
    else return i;
    if (i + len > n) return i;
    let cp = b & (0xff >> (len + 1));
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return -1;
}

/** Decodes `bytes` as strict UTF-8; throws InputError(file, "line N", ...) at the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    let line = 1;
    for (let k = 0; k < at; k++) if (bytes[k] === 0x0a) line++;
    throw new InputError(file, `line ${line}`, `not valid UTF-8 (byte 0x${bytes[at]?.toString(16).padStart(2, "0") ?? "??"} at offset ${at})`);
  }
}

/** Reads `file` as strict UTF-8 text. Throws InputError for a missing, unreadable or non-UTF-8 file. */
export function readTextFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, undefined, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return decodeUtf8(bytes, file);
}
