// The map page: questions near the map's centre as markers, a search box and
// an "ask here" form. Talks only to the host's own API; Leaflet is served by
// the host from node_modules (no CDN).
"use strict";

const params = new URLSearchParams(location.search);
const start = [Number(params.get("lat") || 33.4996), Number(params.get("lon") || 126.5312)];
const map = L.map("map").setView(start, Number(params.get("zoom") || 11));
// Tiles come from OpenStreetMap when the browser can reach it; the markers
// and lists work without them.
L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
  maxZoom: 19, attribution: "© OpenStreetMap",
}).addTo(map);

const markers = L.layerGroup().addTo(map);
const list = document.getElementById("list");
let askAt = null;
// While search results are shown, moving the map does not replace them with
// nearby questions.
let showingSearch = false;

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

function show(questions, heading) {
  markers.clearLayers();
  list.innerHTML = "";
  document.querySelector("#results h2").textContent = heading;
  for (const q of questions) {
    const link = `/api/v1/questions/${q.id}`;
    const html = `<a href="${link}">${escapeHtml(q.title)}</a> · 답변 ${q.answer_count}`;
    L.marker([q.lat, q.lon], {title: q.title}).bindPopup(html).addTo(markers);
    const item = document.createElement("li");
    item.className = "question";
    item.innerHTML = html;
    list.appendChild(item);
  }
  document.body.dataset.markers = String(questions.length);
}

async function loadNearby() {
  const c = map.getCenter();
  const url = `/api/v1/locations/nearby?lat=${c.lat}&lon=${c.lng}&radius=50000&limit=100`;
  const response = await fetch(url);
  if (!response.ok) return;
  const data = await response.json();
  show(data.hits, "근처 질문");
}

async function search(q) {
  const c = map.getCenter();
  const response = await fetch(`/api/v1/search?q=${encodeURIComponent(q)}&lat=${c.lat}&lon=${c.lng}&limit=20`);
  const data = await response.json();
  if (!response.ok) { document.body.dataset.searchError = data.error.message; return; }
  showingSearch = true;
  show(data.hits, `검색: ${q}`);
  if (data.hits.length) map.fitBounds(L.latLngBounds(data.hits.map((h) => [h.lat, h.lon])).pad(0.3));
  document.body.dataset.searchHits = String(data.hits.length);
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  search(document.getElementById("q").value);
});

map.on("click", (event) => {
  askAt = event.latlng;
  document.getElementById("ask-at").textContent = `위치: ${askAt.lat.toFixed(5)}, ${askAt.lng.toFixed(5)}`;
});

document.getElementById("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const where = askAt || map.getCenter();
  const response = await fetch("/api/v1/questions", {
    method: "POST",
    headers: {"Content-Type": "application/json",
              "Authorization": `Bearer ${document.getElementById("token").value}`},
    body: JSON.stringify({title: document.getElementById("title").value,
                          body: document.getElementById("body").value,
                          lat: where.lat, lon: where.lng}),
  });
  const data = await response.json();
  document.getElementById("ask-status").textContent =
      response.ok ? `올렸어요 (#${data.id})` : `실패: ${data.error.message}`;
  if (response.ok) loadNearby();
});

// ?q=… opens the page on a search (links, and the browser test).
if (params.get("q")) {
  document.getElementById("q").value = params.get("q");
  loadNearby().then(() => search(params.get("q")));
} else {
  loadNearby();
}
map.on("moveend", () => { if (!showingSearch) loadNearby(); });
