/** The one stylesheet of every report page: inline, print-friendly, no web fonts. */
export const STYLE = `
:root{--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--pass:#1a7f37;--fail:#d1242f;--unknown:#9a6700;--bg:#fff}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:960px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 4px}
.muted{color:var(--muted)}
.verdict{display:flex;gap:16px;align-items:center;border:2px solid var(--line);border-radius:8px;padding:16px;margin:16px 0}
.verdict .badge{font-size:28px;font-weight:700;padding:4px 16px;border-radius:6px;color:#fff}
.verdict.pass{border-color:var(--pass)}.verdict.pass .badge{background:var(--pass)}
.verdict.fail{border-color:var(--fail)}.verdict.fail .badge{background:var(--fail)}
.verdict.inconclusive{border-color:var(--unknown)}.verdict.inconclusive .badge{background:var(--unknown)}
.verdict .headline{font-size:16px}
.missing{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px;margin:12px 0}
.missing ul{margin:4px 0;padding-left:20px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:700;text-transform:uppercase;font-size:12px}
.status.pass{color:var(--pass)}.status.fail{color:var(--fail)}.status.inconclusive{color:var(--unknown)}.status.not-run{color:var(--muted)}
.band-target{background:#dafbe1}.band-ok{background:#f6f8fa}.band-warning{background:#fff8c5}.band-critical{background:#ffebe9}
figure{margin:16px 0;page-break-inside:avoid;break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:12px}
figure.missing-chart{border:1px dashed var(--line);padding:12px;color:var(--muted)}
.finding{border-left:4px solid var(--line);padding:4px 12px;margin:12px 0;page-break-inside:avoid;break-inside:avoid}
.finding.critical{border-color:var(--fail)}.finding.warning{border-color:var(--unknown)}.finding.info{border-color:var(--muted)}
.fix{background:#f6f8fa;padding:6px 10px;border-radius:6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-all}
img.dashboard{max-width:100%;border:1px solid var(--line)}
nav.toc a{margin-right:12px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media print{body{max-width:none;padding:0}nav.toc{display:none}h2{page-break-after:avoid;break-after:avoid}}
`;
