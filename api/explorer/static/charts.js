// Bar charts drawn from the data tables of the charts page (the table stays the accessible source).
"use strict";
document.querySelectorAll("table[data-chart]").forEach((table) => {
  if (typeof Chart === "undefined") return;
  const rows = Array.from(table.tBodies[0].rows).slice(0, 25);
  const labels = rows.map((r) => r.cells[0].textContent.trim().slice(0, 60));
  const values = rows.map((r) => Number(r.cells[1].dataset.value));
  const shown = rows.map((r) => r.cells[1].textContent.trim());
  const canvas = document.createElement("canvas");
  canvas.className = "chart";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", table.closest("section").querySelector("h2").textContent);
  const box = document.createElement("div");
  box.className = "chart-box";
  box.style.height = `${Math.min(40 * rows.length + 60, 900)}px`;
  box.append(canvas);
  table.before(box);
  new Chart(canvas, {
    type: "bar",
    data: { labels, datasets: [{ label: table.dataset.measure, data: values, backgroundColor: "#1f5fa8" }] },
    options: {
      indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => shown[ctx.dataIndex] } } },
      onClick: (_, elements) => {
        const link = elements.length && rows[elements[0].index].cells[0].querySelector("a");
        if (link) window.location.href = link.href;
      },
    },
  });
  box.dataset.rendered = String(values.length);
});
