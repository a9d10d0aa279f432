// Draws the dashboard's charts with ECharts from the numbers the page also shows as tables. Without
// this file (or ECharts) the tables stay open and the page says everything the charts say.
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
  var INK = "#1f2933", LINE = "#d9dee5", BRAND = "#0b5cad", OK = "#1f7a3a", BAD = "#b3261e";

  function base(extra) {
    var option = {
      textStyle: { fontFamily: font, color: INK },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, textStyle: { fontFamily: font } },
      animation: false
    };
    Object.keys(extra).forEach(function (key) { option[key] = extra[key]; });
    return option;
  }

  function horizontalBars(names, values, name, color, max) {
    return base({
      xAxis: { type: "value", max: max, splitLine: { lineStyle: { color: LINE } } },
      // ECharts draws the first category at the bottom; reversed, the list reads top down like the table.
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ name: name, type: "bar", data: values, itemStyle: { color: color },
                 label: { show: true, position: "right", fontFamily: font } }]
    });
  }

  var builders = {
    weekly: function (d) {
      return base({
        legend: { top: 0, textStyle: { fontFamily: font } },
        xAxis: { type: "category", data: d.weeks.map(function (w) { return w.slice(5); }) },
        yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: LINE } } },
        series: [
          { name: texts.received, type: "bar", data: d.received, itemStyle: { color: BRAND } },
          { name: texts.closed, type: "bar", data: d.closed, itemStyle: { color: OK }, barGap: "10%" }
        ]
      });
    },
    onTime: function (d) {
      var option = horizontalBars(d.townships, d.rates, texts.rate, OK, 100);
      // ECharts reads the formatter's string as HTML: the names are escaped.
      var escape = echarts.format.encodeHTML;
      option.tooltip.formatter = function (items) {
        var i = items[0].dataIndex;
        return escape(d.townships[i]) + "<br>" + escape(texts.rate) + ": " + d.rates[i] +
               " (" + d.onTime[i] + " / " + d.resolved[i] + ")";
      };
      return option;
    },
    categories: function (d) { return horizontalBars(d.names, d.counts, texts.cases, BRAND); },
    offices: function (d) { return horizontalBars(d.names, d.counts, texts.overdue, BAD); }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var key = element.getAttribute("data-chart");
    var rows = data[key] && (data[key].names || data[key].townships || data[key].weeks) || [];
    if (key !== "weekly") { element.style.height = Math.max(240, rows.length * 30 + 60) + "px"; }
    element.hidden = false;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(builders[key](data[key]));
    charts.push(chart);
    // The chart shows it now; the table stays one click away (and is always read by screen readers
    // that open it).
    var table = document.querySelector('[data-table-for="' + key + '"]');
    if (table) { table.open = false; }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
