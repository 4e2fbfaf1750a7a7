/**
 * Porcupine (Go) on the bench's own files, for a same-run comparison. The bench writes a
 * small driver of its own (below: its own parsers and models, none of Porcupine's test code)
 * into the OS temporary folder, builds it against a Porcupine source tree offline (a
 * `replace` to the local folder, GOPROXY=off: Porcupine needs nothing beyond the standard
 * library) and runs it once per corpus, as the bench runs the CLI once per corpus.
 *
 * Porcupine's source: PORCUPINE_SRC (a checkout), else the cache <tmpdir>/dscheck-bench/porcupine,
 * filled from PORCUPINE_GIT (a git directory: `git archive`) or by a shallow `git clone`.
 * Nothing of it is committed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PORCUPINE_URL = "https://github.com/anishathalye/porcupine";
const cacheRoot = join(tmpdir(), "dscheck-bench");

/** Porcupine's source folder (its test_data included), or why there is none. */
export function porcupineSource(): { dir: string } | { missing: string } {
  if (process.env.PORCUPINE_SRC) {
    const dir = process.env.PORCUPINE_SRC;
    return existsSync(join(dir, "porcupine.go")) ? { dir } : { missing: `PORCUPINE_SRC=${dir} holds no porcupine.go` };
  }
  const dir = join(cacheRoot, "porcupine");
  if (existsSync(join(dir, "porcupine.go"))) return { dir };
  mkdirSync(dir, { recursive: true });
  const git = process.env.PORCUPINE_GIT;
  const r = git
    ? spawnSync("sh", ["-c", 'git --git-dir="$1" archive HEAD | tar -x -C "$2"', "sh", git, dir], { encoding: "utf8" })
    : spawnSync("git", ["clone", "--quiet", "--depth", "1", PORCUPINE_URL, dir], { encoding: "utf8", timeout: 120_000, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  if (existsSync(join(dir, "porcupine.go"))) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { missing: `no Porcupine source (set PORCUPINE_SRC or PORCUPINE_GIT; ${git ? "git archive" : "git clone " + PORCUPINE_URL} failed: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]})` };
}

/** Builds the driver against the Porcupine in `src`; the binary's path, or why not. */
export function buildDriver(src: string): { binary: string } | { missing: string } {
  const version = spawnSync("go", ["version"], { encoding: "utf8" });
  if (version.status !== 0) return { missing: "Go is not installed (Debian: apt-get install golang-go)" };
  const dir = join(cacheRoot, "porcupine-driver");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "go.mod"), `module dscheckbench\n\ngo 1.16\n\nrequire github.com/anishathalye/porcupine v0.0.0\n\nreplace github.com/anishathalye/porcupine => ${src}\n`);
  writeFileSync(join(dir, "main.go"), DRIVER);
  const binary = join(dir, "driver");
  const env = { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOTOOLCHAIN: "local", GOCACHE: join(cacheRoot, "go-build") };
  const r = spawnSync("go", ["build", "-o", binary, "."], { cwd: dir, encoding: "utf8", env });
  if (r.status !== 0) return { missing: `the Porcupine driver did not build offline (${version.stdout.trim()}): ${r.stderr.trim().split("\n").slice(0, 3).join(" / ")}` };
  return { binary };
}

/** One driver run: per-file verdicts ("ok", "violation", "unknown") and its own timings. */
export interface DriverRun {
  readonly verdicts: Map<string, string>;
  readonly parseMs: number;
  readonly checkMs: number;
}

export function parseDriverOutput(stdout: string): DriverRun {
  const verdicts = new Map<string, string>();
  let parseMs = NaN;
  let checkMs = NaN;
  for (const line of stdout.split("\n")) {
    const [a, b, c] = line.split("\t");
    if (a === "#total") [parseMs, checkMs] = [Number(b), Number(c)];
    else if (b) verdicts.set(a, b);
  }
  return { verdicts, parseMs, checkMs };
}

/** The commit of Porcupine's source, when it is a git checkout (a `git archive` tree is not). */
export function sourceCommit(src: string): string {
  const r = spawnSync("git", ["-C", src, "rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  return r.status === 0 && existsSync(join(src, ".git")) ? r.stdout.trim() : "source tree";
}

export function porcupineLicenseLine(src: string): string {
  const file = ["LICENSE.md", "LICENSE"].map((f) => join(src, f)).find(existsSync);
  return file ? readFileSync(file, "utf8").split("\n").find((l) => /copyright/i.test(l))?.trim() ?? "" : "";
}

/**
 * The driver: `driver <etcd|kv|knossos> <file...>` prints "<file>\t<verdict>" per file and
 * "#total\t<parse ms>\t<check ms>". Parsers and models are written for this bench: etcd logs
 * (tab-separated Jepsen 0.0.x lines; a nil read means the key is absent, a :fail :cas is a
 * definite failed compare, :info ops may take effect until the end), Porcupine kv lines
 * and Knossos cas-register histories (EDN op maps; a nil read matches any value, :fail
 * ops did not happen, :info ops are pending, nemesis ops are not client ops; initial 0).
 */
const DRIVER = String.raw`package main

import (
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

// Register state and operations (etcd and Knossos): set is false for nil.
type reg struct {
	v   int64
	set bool
}
type regOp struct {
	f    string // read, write, cas
	a, b int64
}
type regRes struct {
	val           reg
	casOK, noInfo bool // noInfo: the outcome is unknown
}

func registerModel(init reg, nilReadAny bool) porcupine.Model {
	return porcupine.Model{
		Init: func() interface{} { return init },
		Step: func(s, in, out interface{}) (bool, interface{}) {
			st, op, res := s.(reg), in.(regOp), out.(regRes)
			switch op.f {
			case "read":
				return res.noInfo || res.val == st || (nilReadAny && !res.val.set), st
			case "write":
				return true, reg{op.a, true}
			}
			match := st.set && st.v == op.a
			next := st
			if match {
				next = reg{op.b, true}
			}
			return res.noInfo || match == res.casOK, next
		},
		Hash: func(s interface{}) uint64 {
			st := s.(reg)
			if !st.set {
				return 1
			}
			return uint64(st.v) * 2
		},
	}
}

// Porcupine's kv histories: per-key string registers, partitioned by key.
type kvOp struct{ f, key, value string }
type kvRes struct {
	value  string
	noInfo bool
}

var kvModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		index := map[string]int{}
		var parts [][]porcupine.Operation
		for _, o := range h {
			k := o.Input.(kvOp).key
			i, ok := index[k]
			if !ok {
				i = len(parts)
				index[k] = i
				parts = append(parts, nil)
			}
			parts[i] = append(parts[i], o)
		}
		return parts
	},
	Init: func() interface{} { return "" },
	Step: func(s, in, out interface{}) (bool, interface{}) {
		st, op, res := s.(string), in.(kvOp), out.(kvRes)
		switch op.f {
		case "put":
			return true, op.value
		case "append":
			return true, st + op.value
		}
		return res.noInfo || res.value == st, st
	},
	Hash: func(s interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(s.(string)))
		return h.Sum64()
	},
}

// A history under construction: calls wait for their process's completion.
type builder struct {
	ops     []porcupine.Operation
	open    map[string]int
	forever []int // operations whose process invoked again before they completed
	clock   int64
}

func (b *builder) call(proc string, in interface{}) {
	b.clock++
	if i, ok := b.open[proc]; ok {
		b.forever = append(b.forever, i)
	}
	b.open[proc] = len(b.ops)
	b.ops = append(b.ops, porcupine.Operation{Input: in, Call: b.clock})
}

// done completes proc's open operation; keep false drops it (it did not happen).
func (b *builder) done(proc string, out interface{}, keep bool) {
	i, ok := b.open[proc]
	if !ok {
		return
	}
	delete(b.open, proc)
	b.clock++
	b.ops[i].Output, b.ops[i].Return = out, b.clock
	if !keep {
		b.ops[i].Input = nil
	}
}

// finish leaves pending operations open until after the last event, outcome unknown.
func (b *builder) finish(unknown interface{}) []porcupine.Operation {
	var out []porcupine.Operation
	for _, i := range b.open {
		b.forever = append(b.forever, i)
	}
	for _, i := range b.forever {
		b.ops[i].Output, b.ops[i].Return = unknown, b.clock+1
	}
	for _, o := range b.ops {
		if o.Input != nil {
			out = append(out, o)
		}
	}
	return out
}

func num(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic("not an integer: " + s)
	}
	return n
}

func readEtcd(text string) []porcupine.Operation {
	b := &builder{open: map[string]int{}}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || !strings.HasPrefix(f[0], "INFO") {
			continue
		}
		proc := f[0][strings.LastIndex(f[0], " ")+1:]
		kind, fn, val := f[1], strings.TrimPrefix(f[2], ":"), f[3]
		switch {
		case kind == ":invoke" && fn == "cas":
			ab := strings.Fields(strings.Trim(val, "[]"))
			b.call(proc, regOp{fn, num(ab[0]), num(ab[1])})
		case kind == ":invoke" && fn == "write":
			b.call(proc, regOp{fn, num(val), 0})
		case kind == ":invoke":
			b.call(proc, regOp{fn, 0, 0})
		case kind == ":ok" && fn == "read" && val != "nil":
			b.done(proc, regRes{val: reg{num(val), true}}, true)
		case kind == ":ok" || (kind == ":fail" && fn == "cas"):
			b.done(proc, regRes{casOK: kind == ":ok"}, true)
		case kind == ":fail":
			b.done(proc, regRes{noInfo: true}, true)
		}
	}
	return b.finish(regRes{noInfo: true})
}

// A minimal EDN reader: maps (keyword keys), vectors, lists, sets, strings, keywords,
// integers, nil; comments and commas are whitespace.
type keyword string
type edn struct {
	s string
	i int
}

func (r *edn) space() {
	for r.i < len(r.s) {
		switch c := r.s[r.i]; {
		case c == ';':
			for r.i < len(r.s) && r.s[r.i] != '\n' {
				r.i++
			}
		case c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *edn) form() interface{} {
	r.space()
	c := r.s[r.i]
	if c == '#' && r.s[r.i+1] == '{' {
		r.i++
		return r.seq('}')
	}
	switch c {
	case '[':
		return r.seq(']')
	case '(':
		return r.seq(')')
	case '{':
		items, m := r.seq('}'), map[keyword]interface{}{}
		for j := 0; j+1 < len(items); j += 2 {
			if k, ok := items[j].(keyword); ok {
				m[k] = items[j+1]
			}
		}
		return m
	case '"':
		j := r.i + 1
		for r.s[j] != '"' {
			if r.s[j] == '\\' {
				j++
			}
			j++
		}
		v := r.s[r.i+1 : j]
		r.i = j + 1
		return v
	}
	j := r.i
	for j < len(r.s) && !strings.ContainsRune(" ,\n\t\r()[]{}\";", rune(r.s[j])) {
		j++
	}
	tok := r.s[r.i:j]
	r.i = j
	if tok[0] == ':' {
		return keyword(tok[1:])
	}
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil {
		return n
	}
	if tok == "nil" {
		return nil
	}
	return tok
}

func (r *edn) seq(end byte) []interface{} {
	r.i++
	var items []interface{}
	for r.space(); r.s[r.i] != end; r.space() {
		items = append(items, r.form())
	}
	r.i++
	return items
}

func (r *edn) all() []interface{} {
	var forms []interface{}
	for r.space(); r.i < len(r.s); r.space() {
		forms = append(forms, r.form())
	}
	return forms
}

func readKv(text string) []porcupine.Operation {
	b := &builder{open: map[string]int{}}
	for _, x := range (&edn{s: text}).all() {
		m := x.(map[keyword]interface{})
		proc, f := fmt.Sprint(m["process"]), string(m["f"].(keyword))
		v, _ := m["value"].(string)
		if m["type"] == keyword("invoke") {
			b.call(proc, kvOp{f, m["key"].(string), v})
		} else {
			b.done(proc, kvRes{value: v}, true)
		}
	}
	return b.finish(kvRes{noInfo: true})
}

func readKnossos(text string) []porcupine.Operation {
	b := &builder{open: map[string]int{}}
	for _, x := range (&edn{s: text}).all()[0].([]interface{}) {
		m := x.(map[keyword]interface{})
		p, client := m["process"].(int64)
		if !client {
			continue
		}
		proc, f := fmt.Sprint(p), string(m["f"].(keyword))
		switch m["type"] {
		case keyword("invoke"):
			op := regOp{f: f}
			if ab, ok := m["value"].([]interface{}); ok {
				op.a, op.b = ab[0].(int64), ab[1].(int64)
			} else if n, ok := m["value"].(int64); ok {
				op.a = n
			}
			b.call(proc, op)
		case keyword("ok"):
			res := regRes{casOK: true}
			if n, ok := m["value"].(int64); ok && f == "read" {
				res.val = reg{n, true}
			}
			b.done(proc, res, true)
		case keyword("fail"):
			b.done(proc, nil, false)
		}
	}
	return b.finish(regRes{noInfo: true})
}

func main() {
	kind, files := os.Args[1], os.Args[2:]
	var parse, check time.Duration
	for _, file := range files {
		t0 := time.Now()
		data, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		var ops []porcupine.Operation
		model := registerModel(reg{}, false)
		switch kind {
		case "etcd":
			ops = readEtcd(string(data))
		case "kv":
			ops, model = readKv(string(data)), kvModel
		default:
			ops, model = readKnossos(string(data)), registerModel(reg{0, true}, true)
		}
		t1 := time.Now()
		res := porcupine.CheckOperationsTimeout(model, ops, 0)
		check += time.Since(t1)
		parse += t1.Sub(t0)
		verdict := map[porcupine.CheckResult]string{porcupine.Ok: "ok", porcupine.Illegal: "violation"}[res]
		if verdict == "" {
			verdict = "unknown"
		}
		fmt.Printf("%s\t%s\n", file, verdict)
	}
	fmt.Printf("#total\t%.1f\t%.1f\n", parse.Seconds()*1000, check.Seconds()*1000)
}
`;
