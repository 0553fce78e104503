/* global document, window */
// Krypton console: draws the physicist's plots with Chart.js (served from node_modules, no CDN).
// A plot is a <canvas data-chart="…"> whose attribute holds the Chart.js configuration the
// server built (apps/api/src/console/physicist/*.view-model.ts); the table beside it carries the
// same figures for screen readers and keyboard users.
(function () {
  'use strict';
  var Chart = window.Chart;
  if (!Chart) return;
  var boxplot = window.ChartBoxPlot;
  if (boxplot) Chart.register(boxplot.BoxPlotController, boxplot.BoxAndWiskers);
  var annotation = window['chartjs-plugin-annotation'];
  if (annotation) Chart.register(annotation);

  function draw(root) {
    var canvases = (root || document).querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; i++) {
      var canvas = canvases[i];
      if (canvas.getAttribute('data-rendered') === 'true') continue;
      try {
        new Chart(canvas, JSON.parse(canvas.getAttribute('data-chart')));
        canvas.setAttribute('data-rendered', 'true');
      } catch (e) {
        canvas.setAttribute('data-rendered', 'failed');
      }
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    draw(document);
  });
  document.addEventListener('htmx:load', function (e) {
    draw(e.target);
  });
})();
