/**
 * The HTML report's style sheet, inlined into the page (allowed by its hash in the
 * page's Content-Security-Policy). System fonts only: the page loads nothing.
 * Colours: clear text is amber, STLS blue, implicit TLS green; severities run from
 * grey (info) to deep red (critical). Light and dark schemes follow the reader's system.
 */
export const PAGE_STYLE = `
:root {
  --bg: #f6f7f9; --card: #ffffff; --ink: #1d2330; --dim: #667085; --line: #d9dee7; --accent: #2f5fd0;
  --plain: #e08a00; --stls: #2f7fd0; --tls: #1f9d6b; --tls-zone: #e7f6ee;
  --client: #2f5fd0; --server: #7a3fb8; --ok: #1f8a4c; --err: #c42b2b; --cont: #8a6d00;
  --sev-info: #7b8494; --sev-low: #4f7fbf; --sev-medium: #d48806; --sev-high: #d4380d; --sev-critical: #a8071a;
  --st-AUTHORIZATION: #f2c94c; --st-TRANSACTION: #56b881; --st-UPDATE: #7a5cd6;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151c; --card: #1b202a; --ink: #e6e9ef; --dim: #98a2b3; --line: #2e3543; --accent: #7aa2ff;
    --tls-zone: #163226; --client: #7aa2ff; --server: #c49bff; --ok: #5fd08f; --err: #ff7b72; --cont: #e3c25d;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
#app { max-width: 1320px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 2px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 15px; margin: 0 0 6px; font-family: var(--mono); }
code, pre, q { font-family: var(--mono); font-size: 13px; }
q { quotes: none; background: color-mix(in srgb, var(--line) 45%, transparent); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.dim { color: var(--dim); }
.ok { color: var(--ok); } .bad { color: var(--err); } .warn { color: var(--sev-medium); }
.sub { margin: 0 0 8px; color: var(--dim); }
.top { margin-bottom: 14px; }
.chips { margin: 0; display: flex; gap: 6px; flex-wrap: wrap; }
.chip, .badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; color: #fff; background: var(--dim); white-space: nowrap; }
.chip.ok { background: var(--ok); }
.sev-info.chip, .sev-info.badge { background: var(--sev-info); }
.sev-low.chip, .sev-low.badge { background: var(--sev-low); }
.sev-medium.chip, .sev-medium.badge { background: var(--sev-medium); }
.sev-high.chip, .sev-high.badge { background: var(--sev-high); }
.sev-critical.chip, .sev-critical.badge { background: var(--sev-critical); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin-bottom: 16px; }
.overview { display: grid; grid-template-columns: minmax(300px, 1fr) 2fr; gap: 16px; align-items: start; }
@media (max-width: 900px) { .overview { grid-template-columns: 1fr; } }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0 0 10px; }
.facts dt { color: var(--dim); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
ul.plain { list-style: none; margin: 0; padding: 0; }
button { font: inherit; color: inherit; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
button:focus-visible, summary:focus-visible, [tabindex]:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.finding { border-left: 4px solid var(--sev-info); padding: 6px 12px; background: color-mix(in srgb, var(--line) 18%, transparent); border-radius: 0 8px 8px 0; }
.finding.sev-low { border-color: var(--sev-low); } .finding.sev-medium { border-color: var(--sev-medium); }
.finding.sev-high { border-color: var(--sev-high); } .finding.sev-critical { border-color: var(--sev-critical); }
.finding-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.finding-head .rule { font-family: var(--mono); font-weight: 600; }
.finding-head .goto { margin-left: auto; }
.finding p { margin: 3px 0; overflow-wrap: anywhere; }
.finding .fix { color: var(--dim); font-size: 14px; }
svg text { fill: var(--ink); font-family: system-ui, sans-serif; }
.timeline { width: 100%; height: auto; display: block; }
.timeline .tick { stroke: var(--line); stroke-dasharray: 2 3; }
.timeline .axis { font-size: 11px; fill: var(--dim); }
.timeline .bar-label { font-size: 11px; fill: var(--dim); }
.bar { cursor: pointer; } .bar:hover { opacity: .75; }
.t-plain.bar { fill: var(--plain); } .t-stls.bar { fill: var(--stls); } .t-implicit-tls.bar { fill: var(--tls); }
.mark { stroke: var(--card); stroke-width: 1; }
.mark.sev-info { fill: var(--sev-info); } .mark.sev-low { fill: var(--sev-low); } .mark.sev-medium { fill: var(--sev-medium); }
.mark.sev-high { fill: var(--sev-high); } .mark.sev-critical { fill: var(--sev-critical); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; color: var(--dim); margin: 6px 0 0; }
.key::before { content: ""; display: inline-block; width: 18px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: middle; background: var(--dim); }
.key.t-plain::before { background: var(--plain); } .key.t-stls::before { background: var(--stls); } .key.t-implicit-tls::before { background: var(--tls); }
.key.mark-key::before { width: 9px; height: 9px; transform: rotate(45deg); background: var(--sev-high); border-radius: 1px; }
.pill { border-radius: 999px; padding: 0 8px; font-size: 12px; font-weight: 600; border: 1px solid; white-space: nowrap; }
.pill.t-plain { color: var(--plain); } .pill.t-stls { color: var(--stls); } .pill.t-implicit-tls { color: var(--tls); }
.filters { display: flex; gap: 14px; flex-wrap: wrap; align-items: center; margin-bottom: 10px; font-size: 14px; }
.filters input, .filters select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--ink); }
.filters input { width: 150px; }
.filters .count { margin-left: auto; }
.sessions { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.row { display: grid; grid-template-columns: 3.2em 1.6fr 1.3fr 7.5em 1fr 1.5fr 5.5em 4.8em 6.2em 6em 5em; gap: 8px; align-items: center; padding: 6px 10px; font-size: 14px; }
.row > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.row.head { background: color-mix(in srgb, var(--line) 40%, transparent); font-weight: 600; font-size: 13px; }
.row.head button.sort { background: none; border: 0; padding: 0; cursor: pointer; font-weight: 600; }
.row.head button[data-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
.row.head button[data-sort="descending"]::after { content: " ▼"; font-size: 10px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.c-client, .c-server { font-family: var(--mono); font-size: 13px; }
details.session { border-top: 1px solid var(--line); }
/* Hundreds of sessions and findings (the script marks such a page .large): the browser lays out and paints only those on screen. */
.large details.session { content-visibility: auto; contain-intrinsic-size: auto 34px; }
.large .finding { content-visibility: auto; contain-intrinsic-size: auto 90px; }
@media print { .large details.session, .large .finding { content-visibility: visible; } }
details.session > summary { cursor: pointer; list-style: none; }
details.session > summary::-webkit-details-marker { display: none; }
details.session > summary .c-id::before { content: "▸ "; color: var(--dim); }
details.session[open] > summary .c-id::before { content: "▾ "; }
details.session > summary:hover { background: color-mix(in srgb, var(--accent) 7%, transparent); }
details.session[open] > summary { background: color-mix(in srgb, var(--accent) 10%, transparent); }
.session-body { padding: 12px 16px 16px; border-top: 1px dashed var(--line); }
.intro { margin: 4px 0 14px; }
.states { margin: 0; padding-left: 0; list-style: none; display: grid; gap: 6px; }
.state { padding: 6px 10px 6px 12px; border-left: 5px solid; border-radius: 0 6px 6px 0; background: color-mix(in srgb, var(--line) 18%, transparent); }
.state.st-AUTHORIZATION { border-color: var(--st-AUTHORIZATION); } .state.st-TRANSACTION { border-color: var(--st-TRANSACTION); } .state.st-UPDATE { border-color: var(--st-UPDATE); }
.state.unreached { opacity: .7; }
.state .here { display: block; margin-top: 2px; }
.ladder-wrap { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; align-items: start; }
@media (max-width: 1100px) { .ladder-wrap { grid-template-columns: 1fr; } }
.ladder { overflow-x: auto; }
.ladder-svg { display: block; max-width: 100%; height: auto; }
.lifeline { stroke: var(--dim); stroke-width: 1.5; stroke-dasharray: 5 4; }
.actor { fill: var(--card); stroke-width: 1.5; } .actor.client { stroke: var(--client); } .actor.server { stroke: var(--server); }
.actor-label { font-size: 12.5px; font-weight: 600; font-family: var(--mono) !important; }
.col-head { font-size: 11px; fill: var(--dim) !important; }
.tls-zone { fill: var(--tls-zone); }
.tls-label { font-size: 13px; font-weight: 600; fill: var(--tls) !important; }
.tls-sub { font-size: 12px; fill: var(--dim) !important; }
.band { opacity: .85; } .band.st-AUTHORIZATION { fill: var(--st-AUTHORIZATION); } .band.st-TRANSACTION { fill: var(--st-TRANSACTION); } .band.st-UPDATE { fill: var(--st-UPDATE); } .band.st-HIDDEN { fill: var(--line); }
.band-label { font-size: 9.5px; font-weight: 700; letter-spacing: .06em; fill: #1d2330 !important; }
.msg { cursor: pointer; outline: none; }
.msg .hit { fill: transparent; rx: 4px; }
.msg:hover .hit { fill: color-mix(in srgb, var(--accent) 6%, transparent); }
.msg.selected .hit, .msg:focus .hit { fill: color-mix(in srgb, var(--accent) 14%, transparent); stroke: var(--accent); stroke-width: 1; }
.msg .frame { font-size: 12px; font-weight: 600; font-family: var(--mono) !important; }
.msg .time { font-size: 11px; fill: var(--dim) !important; font-family: var(--mono) !important; }
.msg .arrow { stroke-width: 1.8; }
.msg .label { font-size: 13px; font-family: var(--mono) !important; }
.msg.cmd .arrow { stroke: var(--client); } .msg.cmd .head { fill: var(--client); } .msg.cmd .label { fill: var(--client) !important; }
.msg.ok .arrow { stroke: var(--ok); } .msg.ok .head { fill: var(--ok); }
.msg.err .arrow { stroke: var(--err); } .msg.err .head { fill: var(--err); } .msg.err .label { fill: var(--err) !important; }
.msg.cont .arrow { stroke: var(--cont); } .msg.cont .head { fill: var(--cont); }
.msg .mark-label { font-size: 11.5px; fill: var(--sev-medium) !important; }
.msg.noted .mark-label { fill: var(--err) !important; }
.data { fill: color-mix(in srgb, var(--server) 8%, var(--card)); stroke: color-mix(in srgb, var(--server) 45%, transparent); }
.data.incomplete { stroke: var(--err); stroke-dasharray: 4 3; }
.data-label { font-size: 12px; font-weight: 600; }
.data-sub { font-size: 12px; fill: var(--dim) !important; }
.gap-line { stroke: var(--err); stroke-dasharray: 3 3; }
.gap-label { font-size: 12px; fill: var(--err) !important; }
.end-label { font-size: 12.5px; fill: var(--dim) !important; }
.end-label.committed { fill: var(--ok) !important; font-weight: 600; } .end-label.lost { fill: var(--sev-medium) !important; font-weight: 600; }
.row-tls[tabindex] { cursor: pointer; outline: none; }
.pin { cursor: pointer; outline: none; }
.pin circle { stroke: var(--card); stroke-width: 1.5; }
.pin.sev-info circle { fill: var(--sev-info); } .pin.sev-low circle { fill: var(--sev-low); } .pin.sev-medium circle { fill: var(--sev-medium); }
.pin.sev-high circle { fill: var(--sev-high); } .pin.sev-critical circle { fill: var(--sev-critical); }
.pin-label { font-size: 11px; font-family: var(--mono) !important; }
.pin:focus .pin-label, .pin.selected .pin-label { text-decoration: underline; }
button.more { margin: 8px 0 0 150px; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--line); background: var(--card); cursor: pointer; }
.explain { position: sticky; top: 12px; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; font-size: 14px; max-height: calc(100vh - 24px); overflow: auto; box-shadow: 0 4px 14px rgb(0 0 0 / 6%); }
.explain p { margin: 4px 0; overflow-wrap: anywhere; }
.explain .quote { font-family: var(--mono); font-size: 13.5px; font-weight: 600; }
.explain .quote.client { color: var(--client); } .explain .quote.server { color: var(--server); }
.lesson-block { border-top: 1px solid var(--line); margin-top: 10px; padding-top: 8px; }
.lesson-block h4 .rfc { font-family: system-ui, sans-serif; font-weight: 400; color: var(--dim); font-size: 13px; }
.lesson-block h4 .badge { margin-left: 8px; font-family: system-ui, sans-serif; }
.lesson { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.lesson dt { color: var(--dim); font-size: 13px; }
.lesson dd { margin: 0; overflow-wrap: anywhere; }
.ex-head { color: var(--dim); font-size: 13px; margin: 8px 0 2px !important; }
pre.example { margin: 0; padding: 8px 10px; background: color-mix(in srgb, var(--line) 30%, transparent); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.ex-c { color: var(--client); } .ex-s { color: var(--server); }
.floating-wrap { position: fixed; right: 20px; bottom: 20px; max-width: min(460px, calc(100vw - 40px)); z-index: 10; }
.floating-wrap .explain { position: static; max-height: 60vh; }
.floating-wrap .close { float: right; margin: 0 0 4px 8px; border: 1px solid var(--line); background: var(--card); border-radius: 6px; cursor: pointer; padding: 0 8px; }
.floating-wrap .lesson-block:first-of-type { border-top: 0; margin-top: 0; padding-top: 0; }
.refs span { display: block; }
footer { color: var(--dim); font-size: 13px; margin-top: 24px; }
noscript p { background: #fff3cd; padding: 10px; border-radius: 8px; }
`;
