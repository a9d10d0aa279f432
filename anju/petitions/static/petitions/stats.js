// Draws the petition statistics' charts with ECharts from the numbers the page also shows as
// tables: the month series as bars (received, accepted, answered, answered on time), and the
// same figures per township and per body as horizontal bars. Without this file (or ECharts) the
// tables stay open and the page says everything the charts say.
(function () {
  "use strict";
  var dataNode = document.getElementById("chart-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  // The same font stack as anju.css, Chinese fonts first, so that no character renders as a box.
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
             '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var font = window.getComputedStyle(document.body).fontFamily || FONT;
  var INK = "#1f2933", LINE = "#d9dee5";
  var COLOURS = { received: "#0b5cad", accepted: "#7b8794", answered: "#4a4fb5", answered_on_time: "#1f7a3a" };

  function series(d) {
    return data.keys.map(function (key) {
      return { name: data.texts[key], type: "bar", data: d[key], itemStyle: { color: COLOURS[key] } };
    });
  }

  function common() {
    return {
      textStyle: { fontFamily: font, color: INK },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontFamily: font } },
      legend: { top: 0, textStyle: { fontFamily: font } },
      animation: false
    };
  }

  function months(d) {
    var option = common();
    option.grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    option.xAxis = { type: "category", data: d.names };
    option.yAxis = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: LINE } } };
    option.series = series(d);
    return option;
  }

  function across(d) {
    var option = common();
    option.grid = { left: 8, right: 24, top: 36, bottom: 8, containLabel: true };
    option.xAxis = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: LINE } } };
    // ECharts draws the first category at the bottom; reversed, the list reads top down like the table.
    option.yAxis = { type: "category", data: d.names, inverse: true, axisLabel: { width: 150, overflow: "truncate" } };
    option.series = series(d);
    return option;
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    var d = data[key];
    if (!d) { return; }
    var vertical = key === "months";
    element.style.height = (vertical ? 320 : Math.max(240, d.names.length * 64 + 60)) + "px";
    element.hidden = false;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(vertical ? months(d) : across(d));
    charts.push(chart);
    // The chart shows it now; the table stays one click away.
    var table = document.querySelector('[data-table-for="' + key + '"]');
    if (table) { table.open = false; }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
