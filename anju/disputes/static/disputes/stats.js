// Draws the dispute statistics' bar charts with ECharts from the numbers the page also shows as
// tables (per dispute type, per township). Without this file (or ECharts) the tables stay open and
// the page says everything the charts say.
(function () {
  "use strict";
  var dataNode = document.getElementById("chart-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var texts = data.texts;
  // The same font stack as anju.css, Chinese fonts first, so that no character renders as a box.
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
             '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var font = window.getComputedStyle(document.body).fontFamily || FONT;
  var INK = "#1f2933", LINE = "#d9dee5", BRAND = "#0b5cad", MUTED = "#7b8794", OK = "#1f7a3a";

  function bars(d) {
    return {
      textStyle: { fontFamily: font, color: INK },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontFamily: font } },
      legend: { top: 0, textStyle: { fontFamily: font } },
      animation: false,
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: LINE } } },
      // ECharts draws the first category at the bottom; reversed, the list reads top down like the table.
      yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
      series: [
        { name: texts.found, type: "bar", data: d.found, itemStyle: { color: BRAND } },
        { name: texts.concluded, type: "bar", data: d.concluded, itemStyle: { color: MUTED } },
        { name: texts.resolved, type: "bar", data: d.resolved, itemStyle: { color: OK } }
      ]
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    if (!data[key]) { return; }
    element.style.height = Math.max(240, data[key].names.length * 54 + 60) + "px";
    element.hidden = false;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(bars(data[key]));
    charts.push(chart);
    // The chart shows it now; the table stays one click away.
    var table = document.querySelector('[data-table-for="' + key + '"]');
    if (table) { table.open = false; }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
