// The point page's charts with ECharts: the rain of each hour (bars, coloured by the level the
// point stood at that hour) and its 24-hour accumulation (a line, on the right-hand axis)
// against the 24-hour thresholds in force; then one small chart for each other kind of reading
// (displacement, crack width, water level). The table under them lists the same readings, so
// the page says everything without this file.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var texts = document.getElementById("chart-texts");
  var t = function (name) { return texts ? texts.getAttribute("data-t-" + name) || "" : ""; };
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", ' +
             '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", system-ui, sans-serif';
  var font = window.getComputedStyle(document.body).fontFamily || FONT;
  var COLOURS = { "": "#8a96a3", blue: "#1f6fd1", yellow: "#e0b000", orange: "#f07c00", red: "#d11f1f" };
  var LINE = "#d9dee5";
  var charts = [];

  function base() {
    return {
      textStyle: { fontFamily: font, color: "#1f2933" },
      animation: false,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { fontFamily: font } },
      tooltip: { trigger: "axis", textStyle: { fontFamily: font } }
    };
  }

  var rain = document.querySelector('[data-chart="rain"]');
  if (rain && data.has_rain) {
    var option = base();
    option.xAxis = { type: "category", data: data.times, axisLabel: { hideOverlap: true } };
    option.yAxis = [{ type: "value", name: "mm", minInterval: 1, splitLine: { lineStyle: { color: LINE } } },
                    { type: "value", name: t("day"), nameTextStyle: { align: "right" }, splitLine: { show: false } }];
    option.series = [
      { name: t("hour"), type: "bar", data: data.rain.map(function (value, i) {
        return { value: value, itemStyle: { color: COLOURS[data.levels[i] || ""] } };
      }) },
      { name: t("day"), type: "line", data: data.rain24, yAxisIndex: 1, showSymbol: false, connectNulls: true,
        lineStyle: { color: "#0b5cad", width: 2 }, itemStyle: { color: "#0b5cad" },
        markLine: { symbol: "none", silent: true,
                    label: { position: "insideStartTop", formatter: "{b} {c}", fontFamily: font, fontSize: 11 },
                    data: data.thresholds.map(function (rule) {
                      return { name: rule.label, yAxis: rule.value,
                               lineStyle: { color: COLOURS[rule.level], type: "dashed" },
                               label: { color: COLOURS[rule.level] } };
                    }) } }
    ];
    // The right-hand axis reaches the highest threshold, so that every line shows.
    var top = Math.max.apply(null, data.thresholds.map(function (r) { return r.value; }).concat([0]));
    if (top) { option.yAxis[1].max = function (value) { return Math.max(value.max, top) ; }; }
    rain.hidden = false;
    var chart = echarts.init(rain, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  var others = document.querySelector('[data-chart="others"]');
  if (others && data.others) {
    others.hidden = false;
    Object.keys(data.others).forEach(function (kind) {
      var other = data.others[kind];
      var box = document.createElement("div");
      box.className = "point-chart point-chart-small";
      others.appendChild(box);
      var option = base();
      option.legend = { show: false };
      option.title = { text: other.label, left: 0, textStyle: { fontFamily: font, fontSize: 13 } };
      option.xAxis = { type: "category", data: other.points.map(function (p) { return p[0]; }) };
      option.yAxis = { type: "value", scale: true, splitLine: { lineStyle: { color: LINE } } };
      option.series = [{ name: other.label, type: "line", data: other.points.map(function (p) { return p[1]; }),
                         lineStyle: { color: "#6b3fa0" }, itemStyle: { color: "#6b3fa0" } }];
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
