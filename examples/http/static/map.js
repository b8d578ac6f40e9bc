// The map page: questions near the map's centre as markers, a search box and
// an "ask here" form. Talks only to the host's own API; Leaflet is served by
// the host from node_modules (no CDN).
"use strict";

const params = new URLSearchParams(location.search);
// A parameter that is missing, not a number or out of range is ignored.
function numberParam(name, min, max, fallback) {
  const text = params.get(name);
  const value = Number(text);
  return text && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}
const start = [numberParam("lat", -90, 90, 33.4996), numberParam("lon", -180, 180, 126.5312)];
const map = L.map("map").setView(start, numberParam("zoom", 0, 19, 11));
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

// The map's centre can be past ±180° after panning across the antimeridian:
// the API takes the wrapped longitude, and markers are drawn at the copy of
// the world nearest the centre.
function centre() {
  return map.getCenter().wrap();
}

function nearView(q) {
  const lng = map.getCenter().lng;
  return [q.lat, q.lon + 360 * Math.round((lng - q.lon) / 360)];
}

function showError(message) {
  markers.clearLayers();
  list.innerHTML = "";
  const item = document.createElement("li");
  item.className = "error";
  item.textContent = `불러오지 못했어요: ${message}`;
  list.appendChild(item);
  document.body.dataset.error = message;
}

function show(questions, heading) {
  markers.clearLayers();
  list.innerHTML = "";
  document.querySelector("#results h2").textContent = heading;
  for (const q of questions) {
    const link = `/api/v1/questions/${q.id}`;
    const html = `<a href="${link}">${escapeHtml(q.title)}</a> · 답변 ${q.answer_count}`;
    L.marker(nearView(q), {title: q.title}).bindPopup(html).addTo(markers);
    const item = document.createElement("li");
    item.className = "question";
    item.innerHTML = html;
    list.appendChild(item);
  }
  document.body.dataset.markers = String(questions.length);
  delete document.body.dataset.error;
}

// The API's answer to a GET; a refusal or a network failure throws an Error
// with its message.
async function get(url) {
  const response = await fetch(url);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error.message);
  return data;
}

async function loadNearby() {
  const c = centre();
  let data;
  try {
    data = await get(`/api/v1/locations/nearby?lat=${c.lat}&lon=${c.lng}&radius=50000&limit=100`);
  } catch (error) {
    showError(error.message);
    return;
  }
  show(data.hits, "근처 질문");
}

async function search(q) {
  const c = centre();
  let data;
  try {
    data = await get(`/api/v1/search?q=${encodeURIComponent(q)}&lat=${c.lat}&lon=${c.lng}&limit=20`);
  } catch (error) {
    document.body.dataset.searchError = error.message;
    showError(error.message);
    return;
  }
  showingSearch = true;
  show(data.hits, `검색: ${q}`);
  if (data.hits.length) map.fitBounds(L.latLngBounds(data.hits.map(nearView)).pad(0.3));
  document.body.dataset.searchHits = String(data.hits.length);
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  search(document.getElementById("q").value);
});

map.on("click", (event) => {
  askAt = event.latlng.wrap();
  document.getElementById("ask-at").textContent = `위치: ${askAt.lat.toFixed(5)}, ${askAt.lng.toFixed(5)}`;
});

document.getElementById("ask-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const where = askAt || centre();
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
