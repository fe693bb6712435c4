/** analysis-report.html of one test run. Everything is `{{ }}`-escaped except our own SVG charts. */
export const TEST_TEMPLATE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="mlperf">
<title>{{title}}</title>
<style>{{{style}}}</style>
</head><body>
<header>
<h1>{{testName}}</h1>
<div class="muted">Run <code>{{runId}}</code> · status {{runStatus}}{{#if statusReason}} ({{statusReason}}){{/if}}</div>
</header>
<section class="verdict {{verdict}}" id="verdict" data-verdict="{{verdict}}">
<span class="badge">{{verdictLabel}}</span><span class="headline">{{headline}}</span>
</section>
{{#if missing.length}}<section class="missing" id="missing"><strong>Incomplete evidence.</strong> What could not be read or analysed:
<ul>{{#each missing}}<li>{{this}}</li>{{/each}}</ul></section>{{/if}}
<nav class="toc"><a href="#criteria">Criteria</a><a href="#metrics">Metrics</a><a href="#charts">Charts</a><a href="#findings">Findings</a><a href="#corridors">Corridors</a><a href="#run">Run</a></nav>

<h2 id="criteria">Success criteria</h2>
{{#if criteria.length}}<table><thead><tr><th>Criterion</th><th>Status</th><th>Value</th><th>Threshold</th><th>Evidence</th></tr></thead><tbody>
{{#each criteria}}<tr class="criterion" data-criterion="{{id}}" data-status="{{status}}"><td>{{label}}</td><td class="status {{status}}">{{status}}</td><td class="num{{#if band}} band-{{band}}{{/if}}">{{value}}</td><td>{{threshold}}</td><td>{{detail}}</td></tr>
{{/each}}</tbody></table>{{else}}<p class="muted">No criterion was judged (no analysis.json).</p>{{/if}}

<h2 id="metrics">Critical metrics</h2>
{{#if keyMetrics.length}}<table><thead><tr><th>Metric</th><th>Value</th><th>Source</th></tr></thead><tbody>
{{#each keyMetrics}}<tr><td>{{label}}</td><td class="num{{#if band}} band-{{band}}{{/if}}" data-band="{{band}}">{{value}}</td><td class="muted">{{note}}</td></tr>
{{/each}}</tbody></table>{{/if}}
<table><tbody>{{#each totals}}<tr><td>{{label}}</td><td class="num">{{value}}</td></tr>{{/each}}</tbody></table>

<h2 id="charts">Charts</h2>
{{#each charts}}{{#if svg}}<figure class="chart" data-chart="{{id}}"><h3>{{title}}</h3>{{{svg}}}{{#if caption}}<figcaption>{{caption}}</figcaption>{{/if}}</figure>
{{else}}<figure class="missing-chart" data-chart-missing="{{id}}"><h3>{{title}}</h3>Not drawn: {{missing}}</figure>
{{/if}}{{/each}}

{{#if endurance}}<h2 id="endurance">Endurance</h2><table><tbody>
{{#each endurance}}<tr><td>{{label}}</td><td class="num{{#if band}} band-{{band}}{{/if}}">{{value}}</td><td class="muted">{{note}}</td></tr>{{/each}}
</tbody></table>{{/if}}
{{#if stress}}<h2 id="stress">Stress: breaking point</h2><table><tbody>
{{#each stress}}<tr><td>{{label}}</td><td{{#if band}} class="band-{{band}}"{{/if}}>{{value}}</td><td class="muted">{{note}}</td></tr>{{/each}}
</tbody></table>{{/if}}

<h2 id="findings">Bottleneck findings</h2>
{{#each findings}}<div class="finding {{severity}}" data-finding="{{id}}">
<h3>{{title}}{{#if subject}} <span class="muted">· {{subject}}</span>{{/if}}</h3>
<div class="muted">{{severity}} · confidence {{confidence}}</div>
<p>{{summary}}</p>
{{#if evidence.length}}<table><thead><tr><th>Evidence</th><th>Values</th><th>Window</th></tr></thead><tbody>
{{#each evidence}}<tr><td><code>{{metric}}</code>{{#if labels}}<br><span class="muted">{{labels}}</span>{{/if}}{{#if query}}<br><code class="muted">{{query}}</code>{{/if}}</td><td>{{values}}</td><td class="muted">{{window}}</td></tr>{{/each}}
</tbody></table>{{/if}}
{{#if fix}}<div class="fix"><strong>Fix:</strong> {{fix.action}}{{#if fix.runbookScript}} · <code>{{fix.runbookScript}}</code>{{/if}}{{#if fix.phase}} · go back to {{fix.phase}}{{/if}}</div>{{/if}}
</div>
{{else}}<p class="muted">No bottleneck found.</p>{{/each}}

<h2 id="corridors">Per-corridor breakdown</h2>
{{#if corridors.length}}<table><thead><tr><th>Corridor</th><th>Transfers</th><th>Share</th><th>Planned</th><th>Success</th><th>p95</th><th>p99</th></tr></thead><tbody>
{{#each corridors}}<tr><td>{{name}}</td><td class="num">{{transfers}}</td><td class="num">{{share}}</td><td class="num">{{planned}}</td><td class="num">{{success}}</td><td class="num">{{p95}}</td><td class="num">{{p99}}</td></tr>{{/each}}
</tbody></table>{{else}}<p class="muted">No per-corridor data.</p>{{/if}}

{{#if dashboards.length}}<h2 id="dashboards">Dashboards</h2>
<p class="muted">The Phase-07 plan's Grafana dashboards for this run: drawn offline from metrics/ and timeseries.ndjson (and, with --grafana-url, captured from Grafana). Each JSON imports into Grafana at this run's time range.</p>
{{#each dashboards}}<figure data-dashboard="{{name}}"><img class="dashboard" alt="{{name}}" src="{{src}}"><figcaption><a href="{{href}}">{{name}}</a>{{#if json}} · <a href="{{json}}">Grafana JSON</a>{{/if}}</figcaption></figure>{{/each}}{{/if}}

<h2 id="run">Run</h2>
<table><tbody>{{#each meta}}<tr><th>{{label}}</th><td>{{value}}{{#if note}} <span class="muted">({{note}})</span>{{/if}}</td></tr>{{/each}}</tbody></table>
{{#if stages.length}}<h3>Stages as run</h3><table><tbody>{{#each stages}}<tr><td>{{label}}</td><td>{{value}}</td><td class="muted">{{note}}</td></tr>{{/each}}</tbody></table>{{/if}}
<footer>Generated by mlperf {{generatedAt}}. Charts are drawn from per-second data (long series downsampled for drawing only; every number is computed from the full data).</footer>
</body></html>
`;
