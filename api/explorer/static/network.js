// The interactive network: cytoscape over the nodes and edges embedded in the page; a click opens the page.
"use strict";
(function () {
  const holder = document.getElementById("network");
  const data = JSON.parse(document.getElementById("network-data").textContent);
  if (!holder || typeof cytoscape === "undefined") return;
  const colours = { commitment: "#1f5fa8", org: "#9c4221", law: "#6b46c1", place: "#276749" };
  const lang = new URLSearchParams(window.location.search).get("lang");
  const cy = cytoscape({
    container: holder,
    elements: [...data.nodes, ...data.edges],
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "background-color": (n) => colours[n.data("kind")] || "#718096",
        label: "data(short)", "font-size": 9, color: "#1d2733", width: 14, height: 14, "text-valign": "bottom" } },
      { selector: "node[kind = 'commitment']", style: { width: 22, height: 22, shape: "round-rectangle" } },
      { selector: "edge", style: { width: 1, "line-color": "#a0aec0", "curve-style": "haystack" } },
      { selector: "edge[rel = 'responsible']", style: { width: 2, "line-color": "#9c4221" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 60 },
  });
  cy.on("tap", "node", (event) => {
    const href = event.target.data("href");
    if (href) window.location.href = href + (lang ? "?lang=" + encodeURIComponent(lang) : "");
  });
  cy.on("mouseover", "node", (event) => { holder.title = event.target.data("label"); });
  holder.dataset.nodes = String(cy.nodes().length);
  window.ogpNetwork = cy;
})();
