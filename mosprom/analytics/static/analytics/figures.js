/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID"> with Chart.js, and
   again after htmx swaps in a new period. Once a chart is drawn, its table (open for readers
   without JavaScript) folds into its «Таблица» toggle. */
(function () {
  "use strict";

  // Dark enough for 3:1 against white; the second series of a comparison is dashed too, so
  // colour is never the only difference.
  var PALETTE = ["#0b4f9c", "#b3001b", "#17653a", "#6b3fa0", "#8a4b00", "#0f6b6b"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var NUMBER = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 2 });
  var COMPACT = new Intl.NumberFormat("ru-RU", { notation: "compact", maximumFractionDigits: 1 });

  function datasets(config) {
    var stacked = config.kind === "stacked";
    return config.series.map(function (series, index) {
      var colour = PALETTE[index % PALETTE.length];
      var line = series.kind === "line";
      return {
        label: series.name,
        data: series.values,
        type: series.kind,
        yAxisID: series.axis,
        borderColor: colour,
        backgroundColor: line ? colour : colour + "d9",
        borderDash: line ? DASHES[index % DASHES.length] : undefined,
        borderWidth: line ? 2.5 : 0,
        pointRadius: line ? 3 : undefined,
        tension: 0,
        spanGaps: false,
        stack: stacked && !line ? "total" : undefined,
        order: line ? 0 : 1,
        sources: series.sources,
      };
    });
  }

  function axis(title, position, stacked) {
    return {
      position: position,
      beginAtZero: true,
      stacked: stacked,
      title: { display: Boolean(title), text: title },
      ticks: { precision: 0, callback: function (value) { return COMPACT.format(value); } },
      grid: { drawOnChartArea: position === "left" },
    };
  }

  function draw(canvas) {
    if (window.Chart.getChart(canvas)) return;
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var config = JSON.parse(source.textContent);
    var stacked = config.kind === "stacked";
    var scales = { x: { stacked: stacked }, y: axis(config.unit, "left", stacked) };
    if (config.unit2) scales.y2 = axis(config.unit2, "right", false);
    new window.Chart(canvas, {
      type: config.kind === "line" ? "line" : "bar",
      data: { labels: config.labels, datasets: datasets(config) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.raw === null ? "—" : NUMBER.format(item.raw);
                return item.dataset.label + ": " + value;
              },
            },
          },
        },
      },
    });
    var card = canvas.closest(".figure-card");
    var table = card && card.querySelector("details[data-figure-table]");
    if (table) table.open = false;
  }

  function drawAll(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  function forget(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = window.Chart.getChart(canvas);
      if (chart) chart.destroy();
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(drawAll);
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      forget(event.detail.target);
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      var heading = document.getElementById("figures-heading");
      if (heading) heading.focus();
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
})();
