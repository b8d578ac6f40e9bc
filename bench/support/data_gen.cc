// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "support/data_gen.h"

#include <algorithm>
#include <array>
#include <map>
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

struct City {
  Box box;
  const char* name;
};

constexpr std::array<City, 3> kFallbackCities = {{
    {{37.45, 126.85, 37.65, 127.15}, "서울"},
    {{35.08, 128.95, 35.25, 129.20}, "부산"},
    {{33.25, 126.20, 33.52, 126.90}, "제주"},
}};

using Words = std::vector<const char*>;

// Each category's topics, the commonest first (picked with a Zipf law).
struct Topic {
  const char* category;
  Words things;
};

const std::vector<Topic>& Topics() {
  static const std::vector<Topic> topics = {
      {"food", {"맛집", "카페", "흑돼지", "고기국수", "갈치조림", "돼지국밥", "밀면", "회", "횟집", "해장국",
                "칼국수", "빵집", "순대국", "김밥", "떡볶이", "치킨", "국밥집", "한식뷔페", "브런치",
                "오마카세", "전복죽", "물회", "성게미역국", "보말칼국수", "막국수", "닭갈비", "곱창",
                "삼겹살", "냉면", "짬뽕", "수제버거", "디저트", "빙수", "베이글", "파스타", "쌀국수",
                "마라탕", "돈가스", "초밥", "어묵", "호떡", "씨앗호떡", "대게", "꼼장어", "아귀찜"}},
      {"sights", {"전망대", "해변", "산책로", "오름", "폭포", "야경", "일출", "박물관", "미술관", "사찰",
                  "등대", "동굴", "정원", "수목원", "둘레길", "올레길", "벚꽃", "유채꽃", "단풍",
                  "억새", "해수욕장", "포토존", "전시회", "공원", "성곽", "한옥마을", "벽화마을"}},
      {"transport", {"버스", "택시", "주차장", "렌터카", "공항버스", "지하철", "KTX", "SRT", "배편",
                     "자전거", "킥보드", "환승", "막차", "첫차", "정류장", "터미널", "요금", "카카오택시",
                     "공영주차장", "도로", "고속버스", "시외버스"}},
      {"lodging", {"숙소", "게스트하우스", "호텔", "펜션", "에어비앤비", "캠핑장", "글램핑", "민박",
                   "리조트", "찜질방", "한옥스테이", "모텔", "독채", "수영장", "조식"}},
      {"shopping", {"시장", "편의점", "마트", "기념품", "오일장", "아울렛", "서점", "약국", "꽃집",
                    "소품샵", "귤", "한라봉", "감귤", "특산물", "빵", "옷가게", "문구점", "다이소"}},
      {"activity", {"서핑", "스노클링", "낚시", "등산", "요가", "클래스", "체험", "승마", "카약",
                    "패러글라이딩", "스쿠버다이빙", "골프", "볼링", "노래방", "방탈출", "보드게임카페",
                    "공방", "축제", "공연", "플리마켓"}},
      {"weather", {"날씨", "비", "바람", "태풍", "미세먼지", "안개", "눈", "기온", "파도", "폭염",
                   "장마", "황사", "일몰시간", "물때"}},
      {"living", {"병원", "소아과", "치과", "세탁소", "미용실", "헬스장", "도서관", "은행", "우체국",
                  "동물병원", "분리수거", "이사", "인터넷", "수리", "학원", "어린이집", "놀이터",
                  "반찬가게", "정육점", "철물점"}},
      {"other", {"분실물", "와이파이", "충전", "화장실", "샤워장", "보관함", "통역", "환전", "ATM",
                 "코인세탁", "짐", "우산", "유모차", "휠체어", "반려견"}},
  };
  return topics;
}

const Words kModifiers = {"맛있는", "조용한", "저렴한", "가까운", "24시간", "아이랑 갈 만한",
                          "현지인이 가는", "오래된", "새로 생긴", "유명한", "분위기 좋은", "주차 되는",
                          "혼밥 가능한", "반려견 동반", "뷰 좋은", "늦게까지 하는", "줄 안 서는",
                          "가성비 좋은", "깨끗한", "친절한", "걸어서 갈 수 있는", "사람 적은"};
const Words kAsks = {"어디가 좋아요?", "추천해 주세요", "지금 가도 되나요?", "몇 시까지 하나요?",
                     "줄 많이 서나요?", "가격이 어느 정도예요?", "주차 가능한가요?", "괜찮나요?",
                     "있을까요?", "아시는 분 계세요?", "어때요?", "가 볼 만한가요?", "문 열었나요?",
                     "예약해야 하나요?", "혼자 가도 될까요?", "알려주세요", "아는 곳 있으신가요?",
                     "어떻게 가요?", "얼마나 걸려요?", "오늘 하나요?", "요즘도 있나요?",
                     "비교해 주실 분", "후기 궁금해요", "급해요!", "도와주세요 🙏"};
const Words kTimes = {"오늘 저녁", "내일 아침", "이번 주말", "다음 주", "지금", "점심때", "새벽",
                      "밤 10시쯤", "오후 3시", "금요일 밤", "연휴에", "평일 오전"};
const Words kWho = {"부모님", "아이 둘", "친구들", "혼자", "연인", "강아지", "외국인 친구",
                    "회사 동료들", "할머니", "대학생 5명", "아기"};
const Words kBodies = {
    "{time} {place}에 도착하는데 처음이라 잘 모르겠어요.",
    "{who} 같이 가려고 하는데 너무 붐비지 않는 곳이면 좋겠습니다.",
    "{who} 데리고 여행 중이에요. 걸어서 갈 수 있는 거리였으면 해요.",
    "블로그에 나온 곳 말고 동네 분들이 가는 {thing} 궁금합니다.",
    "{time} {place} 근처에 있을 예정이에요 🙂",
    "예산은 {n}만원 정도 생각하고 있어요.",
    "{thing} 찾다가 여기까지 왔네요. 검색해도 광고만 나와서요.",
    "차가 없어서 {transport} 타고 갈 수 있는 곳이면 좋겠어요.",
    "{place} 사시는 분들 {thing} 어디 가세요?",
    "작년에 갔던 곳이 문을 닫았더라고요.",
    "리뷰가 너무 갈려서 직접 물어봅니다.",
    "{n}박 {m}일 일정이고 {time} 출발해요.",
    "일행 중에 {who} 있어서 순한 메뉴 있는 곳으로요.",
    "비 오는 날에도 괜찮은 곳 찾고 있어요 ☔",
    "사진 찍기 좋은 곳이면 더 좋아요 📸",
    "{transport} 시간표가 바뀌었다던데 맞나요?",
    "{place}에서 {thing}까지 얼마나 걸리는지도 궁금해요.",
    "현금만 받는 곳인지 카드 되는지도 알려주시면 감사해요.",
    "웨이팅이 길면 다른 데 가려고요.",
    "{n}명이서 갈 건데 단체석 있을까요?",
    "주차가 제일 걱정이에요.",
    "반려견 동반 가능한지 궁금합니다 🐶",
    "영업시간이 지도 앱이랑 달라서요.",
    "여기 살게 된 지 {n}개월 됐는데 아직 잘 몰라요.",
    "이사 와서 {thing} 새로 찾아야 해요.",
    "{time} 문 여는 곳 있으면 알려주세요.",
    "가격 대비 괜찮은 곳이면 어디든 좋아요.",
    "관광객 말고 현지인 추천 부탁드려요.",
    "지난번 답변 주신 분 덕분에 잘 다녀왔어요! 이번에도 부탁드려요.",
    "SNS에서 보고 가 보려는데 실제로는 어떤지 궁금해요.",
    "{place} 쪽 숙소에서 출발할 거예요.",
    "{thing} 말고 다른 추천도 환영이에요.",
    "아이가 {n}살이라 유모차 끌고 다녀야 해요.",
    "오늘 바람이 많이 분다던데 괜찮을까요?",
    "혼자라서 1인분 되는 곳이면 좋겠어요.",
    "KTX 내려서 바로 가려고 해요.",
    "외국인 친구가 좋아할 만한 곳이면 좋겠어요.",
    "조용히 책 읽을 수 있는 곳이면 최고예요.",
};
const Words kTransports = {"버스", "지하철", "택시", "자전거", "KTX", "도보", "렌터카", "배"};
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
  struct Area {
    Box box;  // a neighbourhood's bounding box, or a fallback city's box
    std::string neighborhood, municipality;
    std::size_t feature = 0;  // its index in `map`
  };
  std::vector<Area> areas;
};

namespace {

nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return nlohmann::json::parse(in);
}

}  // namespace

LandSampler::LandSampler(std::uint64_t seed, const std::vector<std::string>& provinces)
    : data_(std::make_unique<Data>()) {
  data_->rng.seed(seed);
  const auto neighborhoods = SharedData("korea-neighborhoods-2013.geojson");
  const auto municipalities = SharedData("korea-municipalities-2013.geojson");
  if (!neighborhoods || !municipalities) {
    for (const City& city : kFallbackCities) data_->areas.push_back({city.box, city.name, city.name});
    return;
  }
  std::map<std::string, std::string> municipality_of_code;
  for (const auto& feature : ReadJson(*municipalities)["features"]) {
    municipality_of_code[feature["properties"]["code"]] = feature["properties"]["name"];
  }
  std::ifstream in(*neighborhoods, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  data_->map = geo::RegionMap::Parse(text.str(), neighborhoods->string());
  const nlohmann::json doc = nlohmann::json::parse(text.str());
  const auto& features = doc["features"];
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& feature = features[i];
    const std::string code = feature["properties"]["code"];
    if (!provinces.empty() &&
        std::none_of(provinces.begin(), provinces.end(),
                     [&code](const std::string& p) { return code.starts_with(p); })) {
      continue;
    }
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
    data_->areas.push_back({box, feature["properties"]["name"],
                            municipality_of_code[code.substr(0, 5)], i});
  }
  if (data_->areas.empty()) throw std::runtime_error("no neighbourhood in the given provinces");
}

LandSampler::~LandSampler() = default;

bool LandSampler::real_polygons() const { return data_->map.has_value(); }

LandSampler::Spot LandSampler::NextSpot() {
  Data& d = *data_;
  std::uniform_int_distribution<std::size_t> pick(0, d.areas.size() - 1);
  std::uniform_real_distribution<double> unit(0, 1);
  for (;;) {
    const std::size_t feature = pick(d.rng);
    const Data::Area& area = d.areas[feature];
    const Box& b = area.box;
    // A few tries inside this neighbourhood before picking another, so that
    // thin or island-strewn ones are not starved.
    for (int attempt = 0; attempt < 20; ++attempt) {
      const LatLon p{b.min_lat + unit(d.rng) * (b.max_lat - b.min_lat),
                     b.min_lon + unit(d.rng) * (b.max_lon - b.min_lon)};
      if (!d.map || d.map->Locate(p, 0) == area.feature) {
        return {p, area.neighborhood, area.municipality};
      }
    }
  }
}

namespace {

// Writes the questions' text from the vocabulary above.
class TextMaker {
 public:
  explicit TextMaker(std::uint64_t seed) : rng_(seed) {
    // Each topic's things, rank r with probability proportional to 1 / (r + 1).
    for (const Topic& topic : Topics()) {
      std::vector<double> weights;
      for (std::size_t r = 0; r < topic.things.size(); ++r) weights.push_back(1.0 / (r + 1.0));
      zipf_.emplace_back(weights.begin(), weights.end());
    }
  }

  const Topic& PickTopic() { return Topics()[Uniform(Topics().size())]; }

  // `topic` is one of Topics(), as PickTopic returns.
  std::string PickThing(const Topic& topic) {
    return topic.things[zipf_[&topic - Topics().data()](rng_)];
  }

  // The place as people write it: the neighbourhood (with or without its
  // 동/읍/면), the city, or nothing.
  std::string PickPlace(const LandSampler::Spot& spot) {
    const int roll = Percent();
    if (roll < 35) return spot.neighborhood;
    if (roll < 55) return Short(spot.neighborhood);
    if (roll < 80) return spot.municipality;
    return "";
  }

  std::string Title(const std::string& place, const std::string& thing) {
    std::string title = place;
    if (Percent() < 40) Append(title, Pick(kModifiers));
    Append(title, thing);
    Append(title, Pick(kAsks));
    return title;
  }

  std::string Body(const std::string& place, const Topic& topic) {
    std::string body;
    const std::size_t sentences = 1 + Uniform(3);
    for (std::size_t i = 0; i < sentences; ++i) {
      Append(body, Fill(Pick(kBodies), place.empty() ? "여기" : place, topic));
    }
    return body;
  }

  int Percent() { return static_cast<int>(Uniform(100)); }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::size_t Uniform(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::string Pick(const Words& words) { return words[Uniform(words.size())]; }

  static void Append(std::string& text, const std::string& part) {
    if (part.empty()) return;
    if (!text.empty()) text += ' ';
    text += part;
  }

  // 중문동 -> 중문; names of two syllables stay whole.
  static std::string Short(const std::string& name) {
    constexpr std::size_t kSyllable = 3;  // bytes of a Hangul syllable in UTF-8
    for (const char* suffix : {"동", "읍", "면"}) {
      if (name.size() > 2 * kSyllable && name.ends_with(suffix)) {
        return name.substr(0, name.size() - kSyllable);
      }
    }
    return name;
  }

  std::string Fill(const std::string& pattern, const std::string& place, const Topic& topic) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
      if (pattern[i] != '{') {
        out += pattern[i++];
        continue;
      }
      const std::size_t close = pattern.find('}', i);
      const std::string slot = pattern.substr(i + 1, close - i - 1);
      i = close + 1;
      if (slot == "place") out += place;
      else if (slot == "thing") out += PickThing(topic);
      else if (slot == "time") out += Pick(kTimes);
      else if (slot == "who") out += Pick(kWho);
      else if (slot == "transport") out += Pick(kTransports);
      else if (slot == "n") out += std::to_string(2 + Uniform(9));
      else if (slot == "m") out += std::to_string(1 + Uniform(4));
    }
    return out;
  }

  std::mt19937_64 rng_;
  std::vector<std::discrete_distribution<std::size_t>> zipf_;  // one per topic
};

}  // namespace

std::vector<GeneratedQuestion> GenerateQuestions(std::size_t n, std::uint64_t seed,
                                                 const std::vector<std::string>& provinces) {
  LandSampler land(seed, provinces);
  TextMaker text(seed * 7919 + 1);
  std::uniform_int_distribution<std::int64_t> when(kGeneratedUntil - 30 * 86400,
                                                   kGeneratedUntil - 1);
  // One author per 50 questions: at 10% urgent, each pays about 5 urgent
  // fees (Options::points), well within the sign-up bonus.
  std::uniform_int_distribution<std::size_t> author(1, std::max<std::size_t>(3000, n / 50));
  std::vector<GeneratedQuestion> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    GeneratedQuestion q;
    const LandSampler::Spot spot = land.NextSpot();
    const Topic& topic = text.PickTopic();
    const std::string place = text.PickPlace(spot), thing = text.PickThing(topic);
    q.ext_id = "g" + std::to_string(seed) + "-" + std::to_string(i);
    q.author = "여행자" + std::to_string(author(text.rng()));
    q.title = text.Title(place, thing);
    q.body = text.Body(place, topic);
    q.category = topic.category;
    if (!place.empty()) q.hashtags.push_back(place);
    q.hashtags.push_back(thing);
    q.at = spot.at;
    q.urgent = text.Percent() < 10;
    q.created_at = when(text.rng());
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
