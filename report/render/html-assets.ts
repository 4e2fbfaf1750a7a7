/**
 * The style sheet and the script inlined into every HTML report. The script is plain
 * browser JavaScript (no framework, no network): it reads the page's data from the
 * `<script type="application/json" id="dscheck-data">` block and moves a selection through
 * each finding's steps (j/k or the arrow keys, or a click), marking the selected step with
 * aria-current and emphasising its events in the diagrams.
 */

export const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--border:#d1d9e0;--bad:#cf222e;--ok:#1a7f37;--warn:#bc4c00;
--amber:#9a6700;--msg:#0969da;--edge:#57606a;--sel:#fff8c5;--sel-edge:#d4a72c;--cut:#8250df;--recovery:#0a7f83;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans","Liberation Sans",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:22px;margin:4px 0 6px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
h2{font-size:18px;margin:0 0 8px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
h3{font-size:14px;margin:18px 0 6px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
pre{background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:8px 10px;overflow:auto;white-space:pre-wrap;word-break:break-word;margin:4px 0}
.muted{color:var(--muted);font-weight:normal}
.kicker{color:var(--muted);font-size:12.5px;letter-spacing:.03em}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12.5px;font-weight:600;color:#fff;background:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.badge.violation{background:var(--bad)}.badge.ok{background:var(--ok)}.badge.incomplete{background:var(--amber)}.badge.error{background:#6e40c9}
.report{margin-bottom:36px}main>.report-head{margin-bottom:22px}
.report-head{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:16px 20px}
.headline{font-size:15.5px;margin:2px 0 10px}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0 0}
.fact{background:var(--bg);border-radius:6px;padding:5px 12px;min-width:110px;max-width:100%}
.fact dt{font-size:11.5px;color:var(--muted)}.fact dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.warnings{margin:10px 0 0;padding:8px 12px 8px 28px;background:#fff8c5;border:1px solid #eac54f;border-radius:6px}
.finding{background:var(--card);border:1px solid var(--border);border-left:5px solid var(--muted);border-radius:10px;padding:16px 20px;margin:18px 0}
.finding.violation{border-left-color:var(--bad)}.finding.ok{border-left-color:var(--ok)}.finding.incomplete{border-left-color:var(--amber)}.finding.error{border-left-color:#6e40c9}
.message{margin:0 0 8px;font-size:14.5px;white-space:pre-line}
.location{font-family:var(--mono);font-size:12.5px;color:var(--muted)}
table{border-collapse:collapse;margin:4px 0}
th,td{border:1px solid var(--border);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--bg);font-size:12.5px}
tr.fails td:first-child{border-left:3px solid var(--bad)}
.yes{color:var(--ok);font-weight:700}.no{color:var(--bad);font-weight:700}
.reads{font-family:var(--mono);font-size:12.5px;margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:2px 14px}
.figure{margin:14px 0 6px}
.figure figcaption{font-weight:600;margin-bottom:4px}
.scroll{overflow-x:auto;background:#fff;border:1px solid var(--border);border-radius:8px;padding:6px 4px}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Liberation Sans",Arial,sans-serif}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12.5px;color:var(--muted);margin:6px 2px}
.lg{display:inline-flex;align-items:center;gap:5px}
.lg-ev{fill:#24292f}.lg-hl{fill:var(--bad)}.lg-useless{fill:#fff;stroke:#8c959f;stroke-width:1.5}.lg-crash{stroke:var(--bad);stroke-width:2.5}
.lg-msg{stroke:var(--msg);stroke-width:2}.lg-flight{stroke:var(--muted);stroke-width:2;stroke-dasharray:4 3}.lg-orphan{stroke:var(--warn);stroke-width:2.5}.lg-cut{stroke:var(--cut);stroke-width:2.5;stroke-dasharray:4 2}.lg-recovery{stroke:var(--recovery);stroke-width:2.5;stroke-dasharray:1 2}
.st-caption{min-height:1.5em;margin:2px 2px 0;font-size:13px}
.lane{stroke:#afb8c1;stroke-width:1.5}
.lane-name{text-anchor:end;font-weight:600;font-size:13px;fill:var(--fg)}
.band{fill:transparent}.band.hl{fill:#ffebe9}.band.hl.sel{stroke:var(--bad)}.finding.ok .band.hl{fill:#dafbe1}
.finding.ok .ev.hl circle,.finding.ok .ev.hl rect{fill:var(--ok)}.band.sel{fill:var(--sel);stroke:var(--sel-edge);stroke-width:1}
.col-label{text-anchor:middle;font-size:11.5px;fill:var(--muted)}.col-label.sel{fill:var(--fg);font-weight:700}
.ev circle,.ev rect{fill:#24292f;stroke:#fff;stroke-width:1.5}
.ev.internal circle{fill:#fff;stroke:#24292f;stroke-width:2}
.ev.hl circle,.ev.hl rect{fill:var(--bad)}.ev.internal.hl circle{fill:#fff;stroke:var(--bad);stroke-width:2.5}
.ev.sel circle,.ev.sel rect{stroke:var(--sel-edge);stroke-width:3}
.ev.useless rect{fill:#fff;stroke:#8c959f;stroke-width:1.5}.useless-mark{stroke:#8c959f;stroke-width:1.5}
.crash-mark{stroke:var(--bad);stroke-width:3}
.ev-label{font-size:10.5px;fill:var(--muted);text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.msg line{stroke:var(--msg);stroke-width:1.6;opacity:.8}
.msg.in-flight line{stroke:var(--muted);stroke-dasharray:5 4}
.msg.orphan line{stroke:var(--warn);stroke-width:2.4;opacity:1}
.msg.sel line{stroke-width:3;opacity:1}
.msg-label{display:none;font-size:11.5px;fill:var(--fg);paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
.msg-label.sel,.msg-label.orphan,.labelled .msg-label{display:inline}
.labelled .msg-label{fill:#3d444d;font-size:10.5px}.labelled .msg-label.sel{fill:var(--fg);font-weight:600}
.cut path{fill:none;stroke:var(--cut);stroke-width:2.5;stroke-dasharray:8 4}.cut text{fill:var(--cut);font-size:12px;font-weight:700}
.recovery-line path{fill:none;stroke:var(--recovery);stroke-width:2.5;stroke-dasharray:2 3;stroke-linecap:round}.recovery-line text{fill:var(--recovery);font-size:12px;font-weight:700}
.op rect,rect.op{stroke-width:1.5}
.op.ok rect,rect.op.ok{fill:#ddf4ff;stroke:#0969da}
.op.fail rect,rect.op.fail{fill:#ffebe9;stroke:var(--bad)}
.op.info rect,rect.op.info{fill:#fff8c5;stroke:var(--amber);stroke-dasharray:4 3}
.op.nemesis rect,rect.op.nemesis{fill:#fbefff;stroke:var(--cut)}
.op.open rect{fill-opacity:.55}
.op.hl rect,rect.op.hl{stroke:var(--bad);stroke-width:3}
.op-label{font-family:var(--mono);font-size:11px;fill:var(--fg)}.op-label.outside{fill:var(--muted)}
.rank circle{fill:#24292f}.rank text{fill:#fff;font-size:10px;font-weight:700;text-anchor:middle}
.node circle{fill:#ddf4ff;stroke:#0969da;stroke-width:2}.node text{text-anchor:middle;font-size:12px;font-weight:600;fill:var(--fg)}
.edge path{fill:none;stroke:var(--edge);stroke-width:1.6}
.edge text{font-size:11.5px;text-anchor:middle;fill:var(--fg);paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
.lasso-step circle{stroke:#fff;stroke-width:2}.lasso-step text{font-size:11px;text-anchor:middle;fill:var(--muted)}
.lasso-step.sel circle{stroke:var(--sel-edge);stroke-width:3}.lasso-step.hl circle{stroke:var(--bad);stroke-width:2.5}
.lasso-link{stroke:#afb8c1;stroke-width:1.5}.loop path{fill:none;stroke:var(--edge);stroke-width:1.8;stroke-dasharray:5 3}
.val-bi circle,circle.val-bi,.chip.val-bi{fill:#8250df;background:#8250df}
.val-0 circle,circle.val-0,.chip.val-0{fill:#0969da;background:#0969da}
.val-1 circle,circle.val-1,.chip.val-1{fill:#1a7f37;background:#1a7f37}
.val-2 circle,circle.val-2,.chip.val-2{fill:#bc4c00;background:#bc4c00}
.val-3 circle,circle.val-3,.chip.val-3{fill:#cf222e;background:#cf222e}
.val-none circle,circle.val-none,.chip.val-none{fill:#8c959f;background:#8c959f}
.steps-head{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
.kbd-hint{font-size:12px;color:var(--muted)}
kbd{font-family:var(--mono);font-size:11px;border:1px solid var(--border);border-bottom-width:2px;border-radius:4px;padding:0 4px;background:#fff}
ol.steps{list-style:none;margin:0;padding:0;border:1px solid var(--border);border-radius:8px;overflow:hidden}
li.step{padding:6px 12px 7px 10px;border-top:1px solid var(--border);border-left:4px solid transparent;cursor:pointer;scroll-margin:60px}
li.step:first-child{border-top:0}
li.step.hl{border-left-color:var(--bad);background:#fff5f5}
.finding.ok li.step.hl{border-left-color:var(--ok);background:#f4fdf6}
li.step.selected{background:var(--sel);border-left-color:var(--sel-edge)}li.step.hl.selected{border-left-color:var(--bad)}
.finding.ok li.step.hl.selected{border-left-color:var(--ok)}
li.step:focus{outline:2px solid var(--msg);outline-offset:-2px}
.step-head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.idx{font-variant-numeric:tabular-nums;color:var(--muted);min-width:2em;text-align:right;font-family:var(--mono)}
.step-label{font-weight:600}
.call{font-family:var(--mono);color:var(--muted);font-size:12px}
.flag{font-size:11.5px;font-weight:700;color:#fff;background:var(--bad);border-radius:4px;padding:0 6px}
.loop-flag{background:var(--cut)}.found-flag{background:var(--ok)}
.changes{margin:3px 0 0 2.6em;padding:0;list-style:none;font-family:var(--mono);font-size:12.5px}
.changes li{overflow-wrap:anywhere}
.path{color:#0550ae}
.before{color:#82071e;background:#ffebe9;border-radius:3px;padding:0 3px}
.after{color:#116329;background:#dafbe1;border-radius:3px;padding:0 3px}
.arrow{color:var(--muted);padding:0 4px}
.props{margin:4px 0 0 2.6em;display:flex;flex-wrap:wrap;gap:4px}
.chip{display:inline-block;font-size:11.5px;line-height:1.6;padding:0 7px;border-radius:10px;border:1px solid var(--border);background:#fff}
.chip.holds{color:var(--ok);border-color:#aceebb;background:#dafbe1}.chip.fails{color:var(--bad);border-color:#ffcecb;background:#ffebe9;font-weight:600}
.chip[class*="val-"]{color:#fff;border-color:transparent}
.chip.proc{color:#0550ae;border-color:#b6e3ff;background:#ddf4ff}
details.state{margin:4px 0 0 2.6em}details.state summary{color:var(--muted);font-size:12px;cursor:pointer;width:max-content}
.replay{margin:8px 0}
.summary td{font-size:13px}
@media print{.kbd-hint{display:none}.scroll{overflow:visible}}
`;

export const SCRIPT = `(function () {
  "use strict";
  var block = document.getElementById("dscheck-data");
  var data = block ? JSON.parse(block.textContent || "{}") : {};
  var findings = data.findings || [];
  var byId = {};
  var active = null;
  findings.forEach(function (f) { byId[f.id] = f; });

  function select(id, index, scroll) {
    var f = byId[id];
    var root = document.getElementById(id);
    if (!f || !root || f.steps === 0) return;
    var i = Math.max(0, Math.min(f.steps - 1, index));
    root.querySelectorAll("li.step.selected").forEach(function (el) { el.classList.remove("selected"); el.removeAttribute("aria-current"); });
    var li = root.querySelector('li.step[data-step="' + i + '"]');
    if (li) {
      li.classList.add("selected");
      li.setAttribute("aria-current", "step");
      if (scroll) li.scrollIntoView({ block: "nearest" });
    }
    (f.marked || []).forEach(function (el) { el.classList.remove("sel"); });
    f.marked = Array.prototype.slice.call(root.querySelectorAll('[data-steps~="' + i + '"]'));
    f.marked.forEach(function (el) { el.classList.add("sel"); });
    root.querySelectorAll(".st-caption").forEach(function (cap) {
      cap.textContent = li ? "step " + i + ": " + (li.getAttribute("data-label") || "") : "";
    });
    if (scroll) root.querySelectorAll(".band.sel").forEach(function (band) {
      var box = band.closest(".scroll");
      if (!box) return;
      var x = band.getBBox().x;
      if (x < box.scrollLeft || x > box.scrollLeft + box.clientWidth - 60) box.scrollLeft = Math.max(0, x - box.clientWidth / 2);
    });
    f.selected = i;
    active = id;
  }

  findings.forEach(function (f) { if (f.steps > 0) select(f.id, f.selected, false); });
  active = null;
  for (var k = 0; k < findings.length; k++) if (findings[k].steps > 0) { active = findings[k].id; break; }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var section = t.closest("section.finding");
    if (!section || !byId[section.id]) return;
    var li = t.closest("li.step");
    var mark = t.closest("[data-steps]");
    if (li) select(section.id, Number(li.getAttribute("data-step")), false);
    else if (mark && mark.getAttribute("data-steps")) select(section.id, Number(mark.getAttribute("data-steps").split(" ")[0]), true);
    else if (byId[section.id].steps > 0) active = section.id;
  });

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || !active) return;
    var t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var step = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
    if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      select(active, e.key === "Home" ? 0 : byId[active].steps - 1, true);
      return;
    }
    if (!step) return;
    e.preventDefault();
    select(active, byId[active].selected + step, true);
  });
})();
`;
