// The desk's one script: live run pages (server-sent events, one stream per page, drawn with uPlot) and the bench
// chart. Text from runs is set with textContent, never as markup.
"use strict";

(function () {
  const live = document.getElementById("live");
  if (live) runPage(live);
  const bench = document.getElementById("bench-chart");
  if (bench) benchChart(bench);

  function chart(el, title, names, colours, dots) {
    // evaluations come every few steps: their lines span the steps between, with a dot on each
    const series = [{label: "step"}].concat(names.map((n, i) => ({label: n, stroke: colours[i % colours.length],
                                                                  width: 2, spanGaps: true,
                                                                  points: {show: dots, size: 6}})));
    const width = Math.min(560, (el.parentElement.clientWidth || 1100) / 2 - 16);
    return new uPlot({title: title, width: width, height: 260, series: series, scales: {x: {time: false}},
                      axes: [{label: "step"}, {}]}, [[]].concat(names.map(() => [])), el);
  }

  function runPage(section) {
    const runId = section.dataset.run;
    const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
    const data = new Map(); // attempt -> name -> Map(step -> value)
    let charts = {loss: null, metric: null}, names = {loss: [], metric: []};
    const source = new EventSource("/runs/" + encodeURIComponent(runId) + "/events");
    source.addEventListener("state", (event) => {
      const now = JSON.parse(event.data);
      text("status", now.status);
      document.getElementById("status").className = "status " + now.status;
      text("live-stage", now.stage || "—");
      if (now.attempt) {
        text("live-attempt", now.attempt.number + " (" + now.attempt.kind + ", " + now.attempt.status +
             (now.attempt.failure ? ": " + now.attempt.failure : "") + ")");
      }
      if (now.progress) {
        const bar = document.getElementById("live-progress");
        bar.max = now.progress.total || Math.max(1, now.progress.step);
        bar.value = now.progress.step;
        text("live-steps", "step " + now.progress.step + (now.progress.total ? " of " + now.progress.total : ""));
      }
      if (now.log !== null && now.log !== undefined) {
        const log = document.getElementById("log");
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.textContent = now.log;
        if (atEnd) log.scrollTop = log.scrollHeight;
      }
      for (const [attempt, step, name, value] of now.metrics) {
        if (!data.has(attempt)) data.set(attempt, new Map());
        const byName = data.get(attempt);
        if (!byName.has(name)) byName.set(name, new Map());
        byName.get(name).set(step, value);
      }
      if (now.metrics.length) draw();
    });
    source.addEventListener("end", () => source.close());

    function draw() {
      // the latest attempt with metrics: the full run once it has started, else the smoke attempt
      const attempt = Math.max(...data.keys());
      const byName = data.get(attempt);
      const groups = {loss: [], metric: []};
      for (const name of byName.keys()) {
        if (name === "loss") groups.loss.push(name);
        else if (name.startsWith("eval_") || name.startsWith("test_") || name.startsWith("validation_")) groups.metric.push(name);
      }
      for (const kind of ["loss", "metric"]) {
        const wanted = groups[kind].sort();
        if (!wanted.length) continue;
        const steps = Array.from(new Set(wanted.flatMap(n => Array.from(byName.get(n).keys())))).sort((a, b) => a - b);
        const columns = [steps].concat(wanted.map(n => steps.map(s => byName.get(n).has(s) ? byName.get(n).get(s) : null)));
        if (!charts[kind] || names[kind].join() !== wanted.join()) {
          const el = document.getElementById(kind + "-chart");
          if (charts[kind]) charts[kind].destroy();
          charts[kind] = chart(el, (kind === "loss" ? "training loss" : "evaluation") + " (attempt " + attempt + ")",
                               wanted, kind === "loss" ? ["#1f77b4"] : ["#2ca02c", "#d62728", "#9467bd", "#8c564b"],
                               kind !== "loss");
          names[kind] = wanted;
        }
        charts[kind].setData(columns);
      }
    }
  }

  function benchChart(el) {
    const rows = Array.from(document.querySelectorAll("#bench tr")).slice(1);
    if (!rows.length) return;
    const xs = rows.map((_, i) => i), seconds = rows.map(r => Number(r.querySelector(".seconds").textContent));
    const tasks = rows.map(r => r.children[0].textContent);
    new uPlot({title: "seconds per task", width: 900, height: 300,
               scales: {x: {time: false, range: [-0.5, xs.length - 0.5]}, y: {range: [0, Math.max(...seconds) * 1.15 || 1]}},
               legend: {show: false},
               series: [{}, {label: "seconds", stroke: "#1f77b4", fill: "#1f77b455",
                             paths: uPlot.paths.bars({size: [0.6]}), points: {show: false}}],
               axes: [{splits: () => xs, values: (u, ticks) => ticks.map(t => tasks[t] || ""), size: 60},
                      {label: "seconds"}]},
              [xs, seconds], el);
  }
})();
