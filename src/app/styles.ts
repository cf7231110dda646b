// One small stylesheet, served at /static/app.css. Mobile first; contrast ≥ 4.5:1.
export const STYLESHEET = `
:root { --fg:#1b1f24; --muted:#4a5460; --bg:#fbfbf8; --card:#fff; --line:#cfd4da; --accent:#1d5c4d; --accent-fg:#fff; --err:#a4161a; --ok:#1d5c4d; --warn-bg:#fff4d6; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height:1.5; }
* { box-sizing:border-box; }
body { margin:0; color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline:3px solid #f2a900; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:var(--card); padding:.5rem 1rem; z-index:10; }
.skip:focus { left:.5rem; }
header.site { background:var(--accent); color:var(--accent-fg); }
header.site .inner { max-width:70rem; margin:0 auto; padding:.6rem 1rem; display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; align-items:center; justify-content:space-between; }
header.site a { color:var(--accent-fg); text-decoration:none; }
header.site a:hover { text-decoration:underline; }
header.site .brand { font-weight:700; font-size:1.15rem; }
nav ul { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:.25rem 1rem; }
nav form { display:inline; }
nav button.link { background:none; border:0; color:var(--accent-fg); font:inherit; cursor:pointer; padding:0; text-decoration:none; }
main { max-width:70rem; margin:0 auto; padding:1rem; }
footer.site { max-width:70rem; margin:2rem auto; padding:1rem; color:var(--muted); font-size:.9rem; border-top:1px solid var(--line); }
h1 { font-size:1.6rem; margin:.5rem 0 1rem; }
h2 { font-size:1.25rem; margin:1.5rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:1rem; margin:0 0 1rem; }
form.stack { max-width:36rem; }
.field { margin:0 0 1rem; }
.field label, fieldset legend { display:block; font-weight:600; margin-bottom:.25rem; }
.field .hint { color:var(--muted); font-size:.9rem; margin:.1rem 0 .3rem; }
input[type=text], input[type=email], input[type=password], input[type=search], input[type=date], input[type=number], input[type=tel], select, textarea { width:100%; max-width:36rem; padding:.55rem .6rem; font:inherit; border:1px solid #8a939c; border-radius:4px; background:#fff; color:var(--fg); }
textarea { min-height:6rem; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color:var(--err); border-width:2px; }
.field .error { color:var(--err); font-weight:600; margin:.25rem 0 0; }
.checkbox { display:flex; gap:.5rem; align-items:flex-start; }
.checkbox input { margin-top:.35rem; width:1.1rem; height:1.1rem; }
button, .button { display:inline-block; background:var(--accent); color:var(--accent-fg); border:0; border-radius:4px; padding:.6rem 1.1rem; font:inherit; font-weight:600; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#e4e8ec; color:var(--fg); }
button.danger { background:var(--err); }
.notice { padding:.75rem 1rem; border-radius:4px; margin:0 0 1rem; border-left:5px solid var(--ok); background:#e7f3ef; }
.alert { padding:.75rem 1rem; border-radius:4px; margin:0 0 1rem; border-left:5px solid var(--err); background:#fbeaea; }
.warn { padding:.75rem 1rem; border-radius:4px; margin:0 0 1rem; border-left:5px solid #b07d00; background:var(--warn-bg); }
table { border-collapse:collapse; width:100%; background:var(--card); }
th, td { text-align:left; padding:.45rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; }
.table-wrap { overflow-x:auto; }
.filters { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:flex-end; margin-bottom:1rem; }
.filters .field { margin:0; }
.filters input, .filters select { width:auto; }
.pager { display:flex; gap:1rem; align-items:center; margin:1rem 0; }
.muted { color:var(--muted); }
.badge { display:inline-block; padding:0 .45rem; border-radius:3px; font-size:.85rem; background:#e4e8ec; }
.badge.active { background:#d6efe6; } .badge.applied { background:#fff1c2; } .badge.lapsed, .badge.refused { background:#f0e0e0; } .badge.suspended, .badge.excluded { background:#f5c8c8; }
dl.facts { display:grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap:.3rem 1rem; }
dl.facts dt { font-weight:600; } dl.facts dd { margin:0; }
pre.doc { white-space:pre-wrap; font-family:inherit; }
p.doc, div.doc { white-space:pre-wrap; }
.doc.diff { background:var(--card); border:1px solid var(--line); border-radius:4px; padding:.75rem; overflow-wrap:anywhere; }
ins { background:#d6efe6; text-decoration:underline; } del { background:#f5c8c8; text-decoration:line-through; }
.badge.cancelled { background:#f5c8c8; } .badge.in_progress { background:#d6efe6; } .badge.scheduled { background:#dde8f5; }
.actions { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
th.num, td.num { text-align:right; white-space:nowrap; }
svg.chart { display:block; max-width:100%; height:auto; }
pre.config { overflow-x:auto; background:#fff; border:1px solid var(--line); border-radius:4px; padding:.6rem; font-size:.85rem; }
p.receipt-code { font-size:1.5rem; font-family:monospace; }
.pre-wrap { white-space:pre-wrap; }
code.secret { display:block; padding:.6rem; background:#fff; border:1px dashed var(--accent); word-break:break-all; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } th.optional, td.optional { display:none; } }
`;
