// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "support/data_gen.h"

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "geo/region_map.h"

namespace dongne::bench {
namespace {

struct Box {
  double min_lat, min_lon, max_lat, max_lon;
};

constexpr std::array<Box, 3> kFallbackBoxes = {{
    {37.45, 126.85, 37.65, 127.15},  // Seoul
    {35.08, 128.95, 35.25, 129.20},  // Busan
    {33.25, 126.20, 33.52, 126.90},  // Jeju
}};

constexpr std::array kPlaces = {"제주시",   "애월",   "협재",   "성산",   "서귀포", "중문",
                                "한라산",   "우도",   "해운대", "광안리", "서면",   "남포동",
                                "자갈치",   "기장",   "강남",   "홍대",   "명동",   "잠실",
                                "전주",     "경주",   "강릉",   "속초",   "여수",   "대전"};
constexpr std::array kThings = {"흑돼지",   "고기국수", "갈치조림", "돼지국밥", "밀면",   "어묵",
                                "카페",     "빵집",     "횟집",     "주차장",   "버스",   "택시",
                                "숙소",     "게스트하우스", "시장", "전망대",   "산책로", "해변",
                                "편의점",   "약국",     "세탁소",   "렌터카",   "일출",   "야경"};
constexpr std::array kAsks = {"어디가 좋아요?",      "추천해 주세요",       "지금 가도 되나요?",
                              "몇 시까지 하나요?",   "줄 많이 서나요?",     "가격이 어느 정도예요?",
                              "주차 가능한가요?",    "아이랑 가기 괜찮나요?", "비 오는데 괜찮을까요?",
                              "현지인 맛집 있나요?"};
constexpr std::array kBodies = {
    "내일 아침에 도착하는데 처음이라 잘 모르겠어요.",
    "부모님 모시고 가려고 하는데 너무 붐비지 않는 곳이면 좋겠습니다.",
    "혼자 여행 중이에요. 걸어서 갈 수 있는 거리였으면 해요.",
    "블로그에 나온 곳 말고 동네 분들이 가는 곳이 궁금합니다.",
    "오늘 저녁 7시쯤 근처에 있을 예정이에요 🙂",
    "예산은 2만원 정도 생각하고 있어요.",
};
constexpr std::array kCategories = {"food", "sights", "transport", "lodging", "shopping",
                                    "activity", "weather", "living", "other"};

}  // namespace

std::optional<std::filesystem::path> SharedData(const std::string& name) {
  const char* env = std::getenv("DONGNE_SHARED_DATA");
  const std::filesystem::path dir = env ? env : DONGNE_SHARED_DATA_DIR;
  std::filesystem::path path = dir / name;
  if (std::filesystem::exists(path)) return path;
  return std::nullopt;
}

struct LandSampler::Data {
  std::mt19937_64 rng;
  std::optional<geo::RegionMap> map;
  std::vector<Box> boxes;  // a neighbourhood's bounding box, or a fallback box
};

LandSampler::LandSampler(std::uint64_t seed) : data_(std::make_unique<Data>()) {
  data_->rng.seed(seed);
  if (const auto path = SharedData("korea-neighborhoods-2013.geojson")) {
    std::ifstream in(*path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    data_->map = geo::RegionMap::Parse(text.str(), path->string());
    const nlohmann::json doc = nlohmann::json::parse(text.str());
    for (const auto& feature : doc["features"]) {
      Box box{90, 180, -90, -180};
      const auto& geometry = feature["geometry"];
      auto add_polygon = [&](const nlohmann::json& rings) {
        for (const auto& position : rings[0]) {
          const double lon = position[0], lat = position[1];
          box = {std::min(box.min_lat, lat), std::min(box.min_lon, lon), std::max(box.max_lat, lat),
                 std::max(box.max_lon, lon)};
        }
      };
      if (geometry["type"] == "Polygon") {
        add_polygon(geometry["coordinates"]);
      } else {
        for (const auto& polygon : geometry["coordinates"]) add_polygon(polygon);
      }
      data_->boxes.push_back(box);
    }
  } else {
    data_->boxes.assign(kFallbackBoxes.begin(), kFallbackBoxes.end());
  }
}

LandSampler::~LandSampler() = default;

bool LandSampler::real_polygons() const { return data_->map.has_value(); }

LatLon LandSampler::Next() {
  Data& d = *data_;
  std::uniform_int_distribution<std::size_t> pick(0, d.boxes.size() - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  for (;;) {
    const std::size_t feature = pick(d.rng);
    const Box& b = d.boxes[feature];
    // A few tries inside this neighbourhood before picking another, so that
    // thin or island-strewn ones are not starved.
    for (int attempt = 0; attempt < 20; ++attempt) {
      const LatLon p{b.min_lat + unit(d.rng) * (b.max_lat - b.min_lat),
                     b.min_lon + unit(d.rng) * (b.max_lon - b.min_lon)};
      if (!d.map || d.map->Locate(p, 0) == feature) return p;
    }
  }
}

std::vector<GeneratedQuestion> GenerateQuestions(std::size_t n, std::uint64_t seed) {
  LandSampler land(seed);
  std::mt19937_64 rng(seed * 7919 + 1);
  auto pick = [&rng](const auto& list) {
    return std::string(list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(rng)]);
  };
  constexpr std::int64_t kEnd = 1746057600;  // 2025-05-01T00:00:00Z
  std::uniform_int_distribution<std::int64_t> when(kEnd - 30 * 86400, kEnd - 1);
  std::uniform_int_distribution<int> author(1, 3000), percent(0, 99);
  std::vector<GeneratedQuestion> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    GeneratedQuestion q;
    const std::string place = pick(kPlaces), thing = pick(kThings);
    q.ext_id = "g" + std::to_string(seed) + "-" + std::to_string(i);
    q.author = "여행자" + std::to_string(author(rng));
    q.title = place + " " + thing + " " + pick(kAsks);
    q.body = pick(kBodies) + " " + place + " 근처 " + thing + " 정보 부탁드려요.";
    q.category = pick(kCategories);
    q.hashtags = {place, thing};
    q.at = land.Next();
    q.urgent = percent(rng) < 10;
    q.created_at = when(rng);
    out.push_back(std::move(q));
  }
  return out;
}

void WriteJsonl(const std::vector<GeneratedQuestion>& questions, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  for (const GeneratedQuestion& q : questions) {
    nlohmann::json line = {{"ext_id", q.ext_id},     {"author", q.author},   {"title", q.title},
                           {"body", q.body},         {"lat", q.at.lat},      {"lon", q.at.lon},
                           {"category", q.category}, {"hashtags", q.hashtags},
                           {"urgent", q.urgent},     {"created_at", q.created_at}};
    out << line.dump() << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace dongne::bench
